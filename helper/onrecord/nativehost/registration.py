"""Registering the host with browsers: its manifest, where each browser looks for it, install,
uninstall and status.

A host manifest names the host (``org.onrecord.helper``), the program the browser starts and the
extensions allowed to start it: ``allowed_origins`` (``chrome-extension://ID/``) for Chrome, Chromium,
Edge and Brave, ``allowed_extensions`` (add-on ids) for Firefox. The allowed ids are the store ids
(``STORE_IDS``) plus ``allowedExtensionIds`` from managed settings.

Where the manifest goes is data (``LOCATIONS``): a folder per browser on Linux and macOS, per user or
machine-wide; on Windows a file in OnRecord's own folder, named by a registry key under HKCU or HKLM.
Every write is atomic; install and uninstall can be run any number of times with the same result.
``registration_state()`` is what ``onrecord native-host status`` (and ``onrecord status``) report.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from onrecord.errors import OnRecordError
from onrecord.nativehost import HOST_NAME
from onrecord.store.atomic import write_atomic

BROWSERS = ("chrome", "chromium", "edge", "brave", "firefox")
FAMILY = {"chrome": "chromium", "chromium": "chromium", "edge": "chromium", "brave": "chromium", "firefox": "firefox"}
DESCRIPTION = "OnRecord: your organisation's social media policy at the moment of posting"
MANIFEST_FILE = f"{HOST_NAME}.json"
HOST_PROGRAM = "onrecord-native-host"

# The extension's ids in the stores. The Chromium id is fixed by the public key in the extension's
# manifest.json (``key``), so the store item, an unpacked copy and an enterprise-forced install share it;
# Firefox's is ``browser_specific_settings.gecko.id``. A test checks both against manifest.json.
STORE_IDS = {
    "chromium": ("coilkplhkdklpnepmliobkchhlkmopno",),
    "firefox": ("onrecord@onrecord.org",),
}


class RegistrationError(OnRecordError):
    code = "native_host"


# Where each browser looks ------------------------------------------------------------------------
#
# Linux and macOS: folders, "~" being the user's home. Windows: registry keys (under HKCU per user, HKLM
# machine-wide) whose default value is the manifest's path. Sources: each browser's documentation
# (developer.chrome.com "Native messaging", MDN "Native manifests", Microsoft Edge "Native messaging").

LOCATIONS = {
    "linux": {
        "user": {
            "chrome": "~/.config/google-chrome/NativeMessagingHosts",
            "chromium": "~/.config/chromium/NativeMessagingHosts",
            "edge": "~/.config/microsoft-edge/NativeMessagingHosts",
            "brave": "~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "firefox": "~/.mozilla/native-messaging-hosts",
        },
        "system": {
            "chrome": "/etc/opt/chrome/native-messaging-hosts",
            "chromium": "/etc/chromium/native-messaging-hosts",
            "edge": "/etc/opt/edge/native-messaging-hosts",
            "brave": "/etc/opt/brave/native-messaging-hosts",
            "firefox": "/usr/lib/mozilla/native-messaging-hosts",
        },
    },
    "darwin": {
        "user": {
            "chrome": "~/Library/Application Support/Google/Chrome/NativeMessagingHosts",
            "chromium": "~/Library/Application Support/Chromium/NativeMessagingHosts",
            "edge": "~/Library/Application Support/Microsoft Edge/NativeMessagingHosts",
            "brave": "~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "firefox": "~/Library/Application Support/Mozilla/NativeMessagingHosts",
        },
        "system": {
            "chrome": "/Library/Google/Chrome/NativeMessagingHosts",
            "chromium": "/Library/Application Support/Chromium/NativeMessagingHosts",
            "edge": "/Library/Microsoft/Edge/NativeMessagingHosts",
            "brave": "/Library/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "firefox": "/Library/Application Support/Mozilla/NativeMessagingHosts",
        },
    },
    "win32": {  # registry keys; the hive is HKCU for "user", HKLM for "system"
        "user": {
            "chrome": r"Software\Google\Chrome\NativeMessagingHosts",
            "chromium": r"Software\Chromium\NativeMessagingHosts",
            "edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
            "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
            "firefox": r"Software\Mozilla\NativeMessagingHosts",
        },
    },
}
LOCATIONS["win32"]["system"] = LOCATIONS["win32"]["user"]
HIVES = {"user": "HKEY_CURRENT_USER", "system": "HKEY_LOCAL_MACHINE"}

# What shows a browser is there. Per user: the folder holding its profiles (the manifest folder's
# parent). Machine-wide: its program, or a folder its package makes.
_PROGRAMS = {
    "chrome": ("/opt/google/chrome", "/usr/bin/google-chrome", "/Applications/Google Chrome.app"),
    "chromium": ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium", "/Applications/Chromium.app"),
    "edge": ("/opt/microsoft/msedge", "/usr/bin/microsoft-edge", "/Applications/Microsoft Edge.app"),
    "brave": ("/opt/brave.com/brave", "/usr/bin/brave-browser", "/Applications/Brave Browser.app"),
    "firefox": ("/usr/lib/firefox", "/usr/lib/firefox-esr", "/usr/bin/firefox", "/usr/bin/firefox-esr",
                "/Applications/Firefox.app"),
}


def platform_key(platform: str | None = None) -> str:
    p = platform or sys.platform
    return "win32" if p.startswith("win") else "darwin" if p == "darwin" else "linux"


def check_browser(browser: str) -> str:
    if browser not in BROWSERS:
        raise RegistrationError(f"--browser: {browser!r} is not one of {', '.join(BROWSERS)}")
    return browser


def check_scope(scope: str) -> str:
    if scope not in ("user", "system"):
        raise RegistrationError(f"scope: {scope!r} is not user or system")
    return scope


# Allowed ids --------------------------------------------------------------------------------------

def managed_extension_ids() -> tuple[str, ...]:
    """``allowedExtensionIds`` from managed settings (validated there; re-read when they change)."""
    from onrecord import managed
    value = managed.current().get("allowedExtensionIds", []) or ()
    return tuple(v for v in value if isinstance(v, str))


def _is_chromium_id(value: str) -> bool:
    return len(value) == 32 and all("a" <= c <= "p" for c in value)


def allowed_ids(family: str, extra: Iterable[str] | None = None) -> frozenset[str]:
    """The ids allowed for a browser family (``chromium`` or ``firefox``): the store's and the managed ones.

    Managed ids are sorted by their form: 32 letters a-p are Chromium ids, anything else a Firefox add-on id.
    """
    extra = managed_extension_ids() if extra is None else tuple(extra)
    mine = [v for v in extra if _is_chromium_id(v) == (family == "chromium")]
    return frozenset(STORE_IDS[family]) | frozenset(mine)


# The manifest -------------------------------------------------------------------------------------

def host_program(platform: str | None = None) -> Path:
    """The program a browser starts: ``onrecord-native-host`` beside the ``onrecord`` program (a console
    script in a Python install; in the packaged program a small script shipped beside the executable)."""
    windows = platform_key(platform) == "win32"
    if getattr(sys, "frozen", False):
        name = HOST_PROGRAM + (".bat" if windows else "")
        return Path(sys.executable).resolve().with_name(name)
    beside = Path(sys.executable).parent / (HOST_PROGRAM + (".exe" if windows else ""))
    if beside.exists():
        return beside.absolute()
    found = shutil.which(HOST_PROGRAM)
    return Path(found).absolute() if found else beside.absolute()


def manifest(browser: str, program: Path | None = None, extra_ids: Iterable[str] | None = None) -> dict:
    """The host manifest for ``browser``, as that browser reads it."""
    family = FAMILY[check_browser(browser)]
    ids = sorted(allowed_ids(family, extra_ids))
    data = {"name": HOST_NAME, "description": DESCRIPTION, "path": str(program or host_program()), "type": "stdio"}
    if family == "firefox":
        data["allowed_extensions"] = ids
    else:
        data["allowed_origins"] = [f"chrome-extension://{i}/" for i in ids]
    return data


def manifest_text(browser: str, program: Path | None = None, extra_ids: Iterable[str] | None = None) -> str:
    return json.dumps(manifest(browser, program, extra_ids), indent=2) + "\n"


# Where the manifest goes ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where one browser's registration lives in one scope."""

    browser: str
    scope: str  # user | system
    manifest_path: Path
    registry_key: str | None = None  # Windows: HIVE\key whose default value is manifest_path

    def to_json(self) -> dict:
        out = {"browser": self.browser, "scope": self.scope, "manifest": str(self.manifest_path)}
        if self.registry_key:
            out["registry_key"] = self.registry_key
        return out


def _windows_folder(scope: str, env: dict) -> Path:
    base = env.get("PROGRAMDATA", r"C:\ProgramData") if scope == "system" else \
        env.get("LOCALAPPDATA", str(Path(env.get("USERPROFILE", "~")) / "AppData" / "Local"))
    return Path(base) / "OnRecord" / "NativeMessagingHosts"


def place(browser: str, scope: str, platform: str | None = None, home: Path | None = None,
          env: dict | None = None) -> Place:
    """Where ``browser`` looks for the manifest in ``scope`` (``user`` or ``system``) on ``platform``."""
    check_browser(browser)
    check_scope(scope)
    key = platform_key(platform)
    env = os.environ if env is None else env
    where = LOCATIONS[key][scope][browser]
    if key == "win32":
        folder = _windows_folder(scope, env) / browser
        return Place(browser, scope, folder / MANIFEST_FILE, f"{HIVES[scope]}\\{where}\\{HOST_NAME}")
    if key == "linux" and where.startswith("~/.config/") and env.get("XDG_CONFIG_HOME") and home is None:
        where = env["XDG_CONFIG_HOME"] + where[len("~/.config"):]  # Chromium browsers keep to XDG
    elif where.startswith("~/"):
        where = str(Path(home) if home else Path.home()) + where[1:]
    return Place(browser, scope, Path(where) / MANIFEST_FILE)


def browser_found(browser: str, scope: str, platform: str | None = None, home: Path | None = None) -> bool:
    """Whether ``browser`` seems to be used here: its profile folder (per user) or its program (system)."""
    found = place(browser, scope, platform, home)
    if platform_key(platform) == "win32":
        return True  # registering costs a registry value; a browser installed later then finds it
    if scope == "user":
        return found.manifest_path.parent.parent.is_dir()
    return any(Path(p).exists() for p in _PROGRAMS[browser])


# Windows registry -----------------------------------------------------------------------------------

class WindowsRegistry:
    """The registry values, through ``winreg`` (or a stand-in with the same functions, for tests)."""

    def __init__(self, winreg=None):
        if winreg is None:
            import winreg  # type: ignore[import-not-found]
        self.winreg = winreg

    def _split(self, full_key: str):
        hive, _, key = full_key.partition("\\")
        return getattr(self.winreg, hive), key

    def set(self, full_key: str, value: str) -> None:
        hive, key = self._split(full_key)
        with self.winreg.CreateKeyEx(hive, key, 0, self.winreg.KEY_WRITE) as handle:
            self.winreg.SetValueEx(handle, "", 0, self.winreg.REG_SZ, value)

    def get(self, full_key: str) -> str | None:
        hive, key = self._split(full_key)
        try:
            with self.winreg.OpenKey(hive, key) as handle:
                value, _ = self.winreg.QueryValueEx(handle, "")
                return value
        except OSError:
            return None

    def delete(self, full_key: str) -> None:
        hive, key = self._split(full_key)
        try:
            self.winreg.DeleteKey(hive, key)
        except FileNotFoundError:
            pass


# Install, uninstall, status ---------------------------------------------------------------------------

@dataclass(frozen=True)
class State:
    place: Place
    registered: bool  # the manifest is there (and, on Windows, the registry names it)
    program: str | None  # the program it names
    program_exists: bool
    allowed: tuple[str, ...]

    def to_json(self) -> dict:
        return {**self.place.to_json(), "registered": self.registered, "program": self.program,
                "program_exists": self.program_exists, "allowed": list(self.allowed)}


class Registrar:
    """Registers the host for a platform, rooted at ``home`` (tests pass their own home and registry)."""

    def __init__(self, platform: str | None = None, home: Path | None = None, env: dict | None = None,
                 registry: WindowsRegistry | None = None, program: Path | None = None,
                 extra_ids: Iterable[str] | None = None):
        self.platform = platform_key(platform)
        self.home = home
        self.env = os.environ if env is None else env
        self._registry = registry
        self.program = program
        self.extra_ids = extra_ids

    @property
    def registry(self) -> WindowsRegistry:
        if self._registry is None:
            self._registry = WindowsRegistry()
        return self._registry

    def place(self, browser: str, scope: str) -> Place:
        return place(browser, scope, self.platform, self.home, self.env)

    def browsers(self, scope: str, everyone: bool = False, only: str | None = None) -> list[str]:
        if only:
            return [check_browser(only)]
        if everyone:
            return list(BROWSERS)
        return [b for b in BROWSERS if browser_found(b, scope, self.platform, self.home)]

    def install(self, scope: str, browsers: Iterable[str]) -> list[Place]:
        done = []
        for browser in browsers:
            where = self.place(browser, scope)
            text = manifest_text(browser, self.program or host_program(self.platform), self.extra_ids)
            try:
                where.manifest_path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(where.manifest_path, text, mode=0o644)  # browsers read it as the user
            except PermissionError:
                raise RegistrationError(f"cannot write {where.manifest_path}: machine-wide registration "
                                        "(--system) needs administrator rights") from None
            if where.registry_key:
                self.registry.set(where.registry_key, str(where.manifest_path))
            done.append(where)
        return done

    def uninstall(self, scope: str, browsers: Iterable[str] = BROWSERS) -> list[Place]:
        """Remove the registration for every browser (also ones no longer found): nothing left is harmless."""
        removed = []
        for browser in browsers:
            where = self.place(browser, scope)
            existed = where.manifest_path.exists()
            try:
                where.manifest_path.unlink(missing_ok=True)
            except PermissionError:
                raise RegistrationError(f"cannot remove {where.manifest_path}: machine-wide registration "
                                        "(--system) needs administrator rights") from None
            if where.registry_key and self.registry.get(where.registry_key) is not None:
                self.registry.delete(where.registry_key)
                existed = True
            if existed:
                removed.append(where)
        return removed

    def state(self, browser: str, scope: str) -> State:
        where = self.place(browser, scope)
        program, allowed = None, ()
        registered = where.manifest_path.is_file()
        if registered and where.registry_key:
            registered = self.registry.get(where.registry_key) == str(where.manifest_path)
        if where.manifest_path.is_file():
            try:
                data = json.loads(where.manifest_path.read_text(encoding="utf-8"))
                program = data.get("path")
                allowed = tuple(data.get("allowed_origins") or data.get("allowed_extensions") or ())
            except (OSError, ValueError):
                registered = False
        return State(where, registered, program, bool(program) and Path(program).exists(), allowed)


def registration_state(platform: str | None = None, home: Path | None = None) -> list[dict]:
    """Per browser and scope: whether the host is registered, where, which program and ids it names."""
    registrar = Registrar(platform, home)
    return [registrar.state(b, s).to_json() for s in ("user", "system") for b in BROWSERS]
