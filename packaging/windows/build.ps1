# Builds the Windows installer: PyInstaller's one-folder program, its self-test, then Inno Setup.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Signing happens only when WINDOWS_CERT_PFX (base64 of a .pfx) and WINDOWS_CERT_PASSWORD are set.
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Root
$Python = if ($env:PYTHON) { $env:PYTHON } else { "python" }

& $Python -m PyInstaller packaging\onrecord.spec --noconfirm --distpath dist --workpath build\pyinstaller
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$Version = ((& dist\onrecord\onrecord.exe --version) -split " ")[1]
& dist\onrecord\onrecord.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the packaged program failed its self-test" }

$Iscc = if ($env:ISCC) { $env:ISCC } else { "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
$IsccArgs = @("/DAppVersion=$Version")
if ($env:WINDOWS_CERT_PFX -and $env:WINDOWS_CERT_PASSWORD) {
    $Tmp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { $env:TEMP }
    $Pfx = Join-Path $Tmp "onrecord-signing.pfx"
    [IO.File]::WriteAllBytes($Pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX))
    $Sign = "signtool sign /f `"$Pfx`" /p `"$env:WINDOWS_CERT_PASSWORD`" /fd SHA256 /tr http://timestamp.digicert.com /td SHA256"
    Get-ChildItem dist\onrecord -Recurse -Include *.exe | ForEach-Object { & cmd /c "$Sign `"$($_.FullName)`"" }
    $IsccArgs += "/Sonrecordsign=$Sign `$f"
    $IsccArgs += "/DSignTool=onrecordsign"
} else {
    Write-Host "No signing certificate: the installer is unsigned (SmartScreen will warn)."
}
& $Iscc @IsccArgs packaging\windows\onrecord.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "built dist\onrecord-$Version-windows-setup.exe"
