"""Registering the host: the manifest each browser reads, where it goes on each system, install and
uninstall (idempotent), and status. Linux paths are exercised for real in a temporary home; the macOS
folders and the Windows registry keys are DATA TESTS: the paths and registry values are checked against
what the browsers' documentation records, since neither system can run here, and the winreg code is run
against a recorded stand-in of the winreg module."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.nativehost import HOST_NAME
from onrecord.nativehost.registration import (BROWSERS, STORE_IDS, Registrar, WindowsRegistry, allowed_ids,
                                              manifest, place)

ROOT = Path(__file__).resolve().parents[2]
ONRECORD = Path(sys.executable).parent / "onrecord"


def test_store_ids_are_the_extensions_own():
    data = json.loads((ROOT / "extension" / "manifest.json").read_text())
    digest = hashlib.sha256(base64.b64decode(data["key"])).hexdigest()[:32]
    assert STORE_IDS["chromium"] == ("".join(chr(ord("a") + int(c, 16)) for c in digest),)
    assert STORE_IDS["firefox"] == (data["browser_specific_settings"]["gecko"]["id"],)
    assert "nativeMessaging" in data["permissions"]


@pytest.mark.parametrize("browser", BROWSERS)
def test_manifest_printed_for_each_browser(browser):
    out = subprocess.run([str(ONRECORD), "native-host", "manifest", "--browser", browser], capture_output=True,
                         text=True, check=True).stdout
    data = json.loads(out)
    assert data["name"] == HOST_NAME == "org.onrecord.helper"
    assert data["type"] == "stdio"
    assert Path(data["path"]).is_absolute() and Path(data["path"]).name == "onrecord-native-host"
    assert Path(data["path"]).exists()
    if browser == "firefox":
        assert data["allowed_extensions"] == ["onrecord@onrecord.org"] and "allowed_origins" not in data
    else:
        assert data["allowed_origins"] == [f"chrome-extension://{STORE_IDS['chromium'][0]}/"]
        assert "allowed_extensions" not in data


def test_unknown_browser_is_named_in_the_error():
    done = subprocess.run([str(ONRECORD), "native-host", "manifest", "--browser", "opera"], capture_output=True,
                          text=True)
    assert done.returncode == 2 and "opera" in done.stderr


def test_managed_ids_are_added_to_the_right_family():
    extra = ["abcdefghijklmnopabcdefghijklmnop", "pilot@example.org"]
    assert allowed_ids("chromium", extra) == {STORE_IDS["chromium"][0], "abcdefghijklmnopabcdefghijklmnop"}
    assert allowed_ids("firefox", extra) == {"onrecord@onrecord.org", "pilot@example.org"}
    assert manifest("edge", Path("/x"), extra)["allowed_origins"] == [
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop/", f"chrome-extension://{STORE_IDS['chromium'][0]}/"]


LINUX = {
    ("user", "chrome"): "~/.config/google-chrome/NativeMessagingHosts",
    ("user", "chromium"): "~/.config/chromium/NativeMessagingHosts",
    ("user", "edge"): "~/.config/microsoft-edge/NativeMessagingHosts",
    ("user", "brave"): "~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("user", "firefox"): "~/.mozilla/native-messaging-hosts",
    ("system", "chrome"): "/etc/opt/chrome/native-messaging-hosts",
    ("system", "chromium"): "/etc/chromium/native-messaging-hosts",
    ("system", "edge"): "/etc/opt/edge/native-messaging-hosts",
    ("system", "brave"): "/etc/opt/brave/native-messaging-hosts",
    ("system", "firefox"): "/usr/lib/mozilla/native-messaging-hosts",
}
MACOS = {  # data test: macOS cannot run here
    ("user", "chrome"): "~/Library/Application Support/Google/Chrome/NativeMessagingHosts",
    ("user", "chromium"): "~/Library/Application Support/Chromium/NativeMessagingHosts",
    ("user", "edge"): "~/Library/Application Support/Microsoft Edge/NativeMessagingHosts",
    ("user", "brave"): "~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("user", "firefox"): "~/Library/Application Support/Mozilla/NativeMessagingHosts",
    ("system", "chrome"): "/Library/Google/Chrome/NativeMessagingHosts",
    ("system", "chromium"): "/Library/Application Support/Chromium/NativeMessagingHosts",
    ("system", "edge"): "/Library/Microsoft/Edge/NativeMessagingHosts",
    ("system", "brave"): "/Library/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("system", "firefox"): "/Library/Application Support/Mozilla/NativeMessagingHosts",
}
WINDOWS = {  # data test: Windows cannot run here
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts\org.onrecord.helper",
    "chromium": r"Software\Chromium\NativeMessagingHosts\org.onrecord.helper",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts\org.onrecord.helper",
    "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\org.onrecord.helper",
    "firefox": r"Software\Mozilla\NativeMessagingHosts\org.onrecord.helper",
}


@pytest.mark.parametrize("platform,table", [("linux", LINUX), ("darwin", MACOS)])
def test_manifest_folders_on_linux_and_macos(platform, table):
    home = Path("/home/amy")
    for (scope, browser), folder in table.items():
        expected = Path(folder.replace("~", str(home))) / "org.onrecord.helper.json"
        assert place(browser, scope, platform, home).manifest_path == expected


def test_registry_keys_on_windows():
    env = {"LOCALAPPDATA": r"C:\Users\amy\AppData\Local", "PROGRAMDATA": r"C:\ProgramData"}
    for browser, key in WINDOWS.items():
        assert place(browser, "user", "win32", env=env).registry_key == "HKEY_CURRENT_USER\\" + key
        assert place(browser, "system", "win32", env=env).registry_key == "HKEY_LOCAL_MACHINE\\" + key


class RecordedWinreg:
    """The part of the winreg module the registrar uses, keeping keys in a dict as Windows would."""

    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE = "HKCU", "HKLM"
    KEY_WRITE, REG_SZ = 0x20006, 1

    def __init__(self):
        self.keys: dict[tuple[str, str], str] = {}

    class _Handle:
        def __init__(self, owner, hive, key):
            self.owner, self.hive, self.key = owner, hive, key

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def CreateKeyEx(self, hive, key, reserved, access):
        assert access == self.KEY_WRITE
        return self._Handle(self, hive, key)

    def SetValueEx(self, handle, name, reserved, kind, value):
        assert name == "" and kind == self.REG_SZ
        self.keys[(handle.hive, handle.key)] = value

    def OpenKey(self, hive, key):
        if (hive, key) not in self.keys:
            raise FileNotFoundError(key)
        return self._Handle(self, hive, key)

    def QueryValueEx(self, handle, name):
        return self.keys[(handle.hive, handle.key)], self.REG_SZ

    def DeleteKey(self, hive, key):
        if (hive, key) not in self.keys:
            raise FileNotFoundError(key)
        del self.keys[(hive, key)]


def test_windows_install_and_uninstall_write_and_remove_the_registry_values(tmp_path):
    # Data test with a recorded winreg: the values Windows would hold after install, and none after uninstall.
    winreg = RecordedWinreg()
    env = {"LOCALAPPDATA": str(tmp_path / "Local"), "PROGRAMDATA": str(tmp_path / "ProgramData")}
    registrar = Registrar("win32", env=env, registry=WindowsRegistry(winreg), program=Path(r"C:\OnRecord\x.bat"))
    for _ in range(2):
        registrar.install("user", BROWSERS)
    assert winreg.keys == {("HKCU", key): str(tmp_path / "Local" / "OnRecord" / "NativeMessagingHosts" / browser
                                               / "org.onrecord.helper.json") for browser, key in WINDOWS.items()}
    assert all(registrar.state(b, "user").registered for b in BROWSERS)
    assert len(registrar.uninstall("user")) == 5
    assert winreg.keys == {} and registrar.uninstall("user") == []
    assert not any(registrar.state(b, "user").registered for b in BROWSERS)


def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([str(ONRECORD), "native-host", *args], capture_output=True, text=True,
                          env={**os.environ, "HOME": str(home), "ONRECORD_HOME": str(home / "data")})


def test_install_registers_for_the_browsers_found_and_is_idempotent(tmp_path):
    home = tmp_path / "amy"
    (home / ".config" / "chromium").mkdir(parents=True)
    (home / ".mozilla").mkdir()
    for _ in range(2):
        done = _run(home, "install")
        assert done.returncode == 0, done.stderr
    chromium = home / ".config/chromium/NativeMessagingHosts/org.onrecord.helper.json"
    firefox = home / ".mozilla/native-messaging-hosts/org.onrecord.helper.json"
    assert json.loads(chromium.read_text())["allowed_origins"] == [f"chrome-extension://{STORE_IDS['chromium'][0]}/"]
    assert json.loads(firefox.read_text())["allowed_extensions"] == ["onrecord@onrecord.org"]
    assert not (home / ".config/google-chrome").exists(), "a browser not found is not registered"
    status = json.loads(_run(home, "status", "--json").stdout)
    registered = {(s["browser"], s["scope"]) for s in status if s["registered"]}
    assert {("chromium", "user"), ("firefox", "user")} <= registered
    assert ("chrome", "user") not in registered
    assert "chromium" in _run(home, "status").stdout
    for _ in range(2):
        assert _run(home, "uninstall").returncode == 0
    assert not chromium.exists() and not firefox.exists()
    assert "not registered" in _run(home, "status").stdout


def test_install_all_and_one_browser(tmp_path):
    home = tmp_path / "amy"
    home.mkdir()
    assert _run(home, "install", "--browser", "edge").returncode == 0
    assert (home / ".config/microsoft-edge/NativeMessagingHosts/org.onrecord.helper.json").is_file()
    assert _run(home, "install", "--all").returncode == 0
    assert (home / ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts/org.onrecord.helper.json").is_file()
    assert _run(home, "uninstall", "--browser", "edge").returncode == 0
    assert not (home / ".config/microsoft-edge/NativeMessagingHosts/org.onrecord.helper.json").exists()
    assert (home / ".config/google-chrome/NativeMessagingHosts/org.onrecord.helper.json").is_file()


def test_every_installer_registers_the_host_and_every_uninstaller_removes_it():
    # Data test for the installers that cannot run here (Windows, macOS); the Linux tarball and .deb are
    # installed for real in tests/packaging.
    packaging = ROOT / "packaging"
    iss = (packaging / "windows" / "onrecord.iss").read_text()
    assert 'Parameters: "native-host install --all --system"' in iss and 'Parameters: "native-host install --all"' in iss
    assert 'Parameters: "native-host uninstall --system"' in iss and 'Parameters: "native-host uninstall"' in iss
    assert 'Source: "onrecord-native-host.bat"' in iss
    bat = (packaging / "windows" / "onrecord-native-host.bat").read_text()
    assert '"%~dp0onrecord.exe" native-host %*' in bat
    assert "onrecord-native-host" in (packaging / "macos" / "build.sh").read_text()
    assert "native-host install --system --all" in (packaging / "linux" / "postinst").read_text()
    assert "native-host uninstall --system" in (packaging / "linux" / "prerm").read_text()
    assert "native-host install" in (packaging / "linux" / "install.sh").read_text()
    assert "native-host uninstall" in (packaging / "linux" / "uninstall.sh").read_text()


def test_the_packaged_wrapper_runs_the_program_beside_it(tmp_path):
    import shutil
    folder = tmp_path / "onrecord"
    folder.mkdir()
    shutil.copy(ROOT / "packaging" / "linux" / "onrecord-native-host", folder)
    (folder / "onrecord").write_text('#!/bin/sh\necho "$@"\n')
    (folder / "onrecord").chmod(0o755)
    link = tmp_path / "elsewhere"
    link.symlink_to(folder / "onrecord-native-host")
    out = subprocess.run([str(link), "chrome-extension://x/"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "native-host chrome-extension://x/"
