; Inno Setup script for OnRecord on Windows (Inno Setup 6).
;   iscc /DAppVersion=0.1.0 packaging\windows\onrecord.iss
; build.ps1 runs it after PyInstaller, and signs with SignTool only when the certificate is there.
;
; Staff double-click the installer: no administrator rights are needed (it installs for the current
; user). IT can install for every user with /ALLUSERS, silently with /VERYSILENT /SUPPRESSMSGBOXES
; (see docs/it-guide.md).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z onrecord.iss
#endif
#define AppName "OnRecord"
#define Dist "..\..\dist\onrecord"

[Setup]
AppId={{6F1C2B0E-7A51-4C3B-9E0F-0B3D2C8A41E7}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=OnRecord
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; IT may choose all users (then HKA below is HKLM, for everyone).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=onrecord-{#AppVersion}-windows-setup
SetupIconFile=..\..\assets\icons\onrecord.ico
UninstallDisplayIcon={app}\onrecord.exe
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; An upgrade closes the running helper first, and starts it again afterwards.
CloseApplications=yes
RestartApplications=no
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "startatlogin"; Description: "Start {#AppName} when I log in (recommended)"; GroupDescription: "When to start:"

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; What browsers start for native messaging (a host manifest cannot pass "native-host" itself).
Source: "onrecord-native-host.bat"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
; onrecordw.exe is the windowless program: no console window with the settings window.
Name: "{group}\{#AppName}"; Filename: "{app}\onrecordw.exe"; Parameters: "run"; IconFilename: "{app}\onrecord.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"

[Registry]
; Start at login: the same value `onrecord autostart enable` writes, so either can undo the other.
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "OnRecord"; ValueData: """{app}\onrecordw.exe"" run --no-window"; Flags: uninsdeletevalue; Tasks: startatlogin

[Run]
; Register the native messaging host for every browser OnRecord knows: HKLM when installed for all
; users, else HKCU (the registry values and manifests `onrecord native-host status` lists).
Filename: "{app}\onrecord.exe"; Parameters: "native-host install --all --system"; Flags: runhidden; Check: IsAdminInstallMode
Filename: "{app}\onrecord.exe"; Parameters: "native-host install --all"; Flags: runhidden; Check: not IsAdminInstallMode
Filename: "{app}\onrecordw.exe"; Parameters: "run"; Description: "Open {#AppName} now"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{app}\onrecord.exe"; Parameters: "native-host uninstall --system"; Flags: runhidden; RunOnceId: "UnregisterHostAll"; Check: IsAdminInstallMode
Filename: "{app}\onrecord.exe"; Parameters: "native-host uninstall"; Flags: runhidden; RunOnceId: "UnregisterHost"; Check: not IsAdminInstallMode
; Stop a running helper and remove a start-at-login entry the user made with the command line.
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM onrecordw.exe"; Flags: runhidden; RunOnceId: "StopHelper"
Filename: "{app}\onrecord.exe"; Parameters: "autostart disable"; Flags: runhidden; RunOnceId: "DisableAutostart"

; The user's profile and activity record (%APPDATA%\OnRecord) are kept on uninstall, like the keyring
; entries; docs/it-guide.md says how to remove them too.
