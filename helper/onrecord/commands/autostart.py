"""``onrecord autostart enable | disable | status``: start the helper when the user logs in.

Each platform has the usual per-user mechanism, and nothing that needs administrator rights:

- Linux (and other XDG desktops): ``$XDG_CONFIG_HOME/autostart/onrecord.desktop``. The .deb installs a
  system-wide entry in ``/etc/xdg/autostart``; per the XDG autostart spec a user entry of the same
  name with ``Hidden=true`` switches that off for one user, so ``disable`` writes one when it exists.
- Windows: the ``OnRecord`` value of ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` (the
  same value the installer writes, so either can undo the other).
- macOS: a LaunchAgent plist in ``~/Library/LaunchAgents``, loaded with ``launchctl``.

What each entry says (the .desktop text, the Run value, the plist) is made by plain functions, so it
can be checked on any platform; only the small ``_*Backend`` classes touch the registry or launchctl.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from onrecord import NAME
from onrecord.errors import OnRecordError
from onrecord.store.atomic import write_atomic

DESKTOP_FILE = "onrecord.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = NAME
LAUNCH_AGENT_LABEL = "org.onrecord.helper"


class AutostartError(OnRecordError):
    code = "autostart"


@dataclass(frozen=True)
class Status:
    enabled: bool
    where: str          # the file or registry value that decides it
    command: str = ""   # what will be started, as written there


def launch_command() -> list[str]:
    """What to start at login: the helper without its window (the window opens when asked for)."""
    if getattr(sys, "frozen", False):  # the packaged program: its own executable
        program = Path(sys.executable)
        windowless = program.with_name(program.stem + "w" + program.suffix)
        if sys.platform.startswith("win") and windowless.is_file():
            program = windowless  # so that no console window flashes up at login
        return [str(program), "run", "--no-window"]
    return [sys.executable, "-m", "onrecord", "run", "--no-window"]


# --- Linux / XDG ------------------------------------------------------------------------------

_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec(argv: list[str]) -> str:
    """``argv`` as an ``Exec=`` value, quoted by the Desktop Entry spec's rules.

    An argument with a reserved character is double-quoted with ``"`, $ and \\`` backslash-escaped;
    then, because the value is itself a string in a key file, every backslash is doubled again.
    ``%`` is doubled so that a path containing it is not read as a field code.
    """
    parts = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if not arg or any(c in _DESKTOP_RESERVED for c in arg):
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        parts.append(arg)
    return " ".join(parts).replace("\\", "\\\\")


def desktop_entry(argv: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={NAME}\n"
        "Comment=Reminds you of your organisation's social media policy as you post\n"
        f"Exec={desktop_exec(argv)}\n"
        "Icon=onrecord\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def hidden_desktop_entry() -> str:
    return f"[Desktop Entry]\nType=Application\nName={NAME}\nHidden=true\n"


def _read_keys(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    in_main = False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith("["):
            in_main = line == "[Desktop Entry]"
        elif in_main and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), value.strip())
    return keys


class _XdgBackend:
    def __init__(self, env: dict[str, str] | None = None):
        env = os.environ if env is None else env
        config_home = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        self.user_file = Path(config_home) / "autostart" / DESKTOP_FILE
        dirs = env.get("XDG_CONFIG_DIRS") or "/etc/xdg"
        self.system_files = [Path(d) / "autostart" / DESKTOP_FILE for d in dirs.split(":") if d]

    def _system_file(self) -> Path | None:
        return next((p for p in self.system_files if p.is_file()), None)

    def enable(self, argv: list[str]) -> Status:
        # A user entry that is enabled and starts this program beats the system one, which may be stale.
        self.user_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.user_file, desktop_entry(argv), mode=0o644)
        return self.status()

    def disable(self) -> Status:
        if self._system_file() is not None:
            self.user_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.user_file, hidden_desktop_entry(), mode=0o644)
        elif self.user_file.exists():
            self.user_file.unlink()
        return self.status()

    def status(self) -> Status:
        # The user's entry, when there is one, hides any system entry of the same name.
        path = self.user_file if self.user_file.is_file() else self._system_file()
        if path is None:
            return Status(False, str(self.user_file))
        keys = _read_keys(path)
        enabled = (keys.get("Hidden", "false").lower() != "true"
                   and keys.get("X-GNOME-Autostart-enabled", "true").lower() != "false"
                   and bool(keys.get("Exec")))
        return Status(enabled, str(path), keys.get("Exec", ""))


# --- Windows ----------------------------------------------------------------------------------

def windows_run_value(argv: list[str]) -> str:
    """The command line Windows runs at login, quoted as the C runtime parses it."""
    return subprocess.list2cmdline(argv)


class _WindowsBackend:
    """The only code that touches the registry (``winreg`` exists on Windows alone)."""

    where = "HKEY_CURRENT_USER\\" + RUN_KEY + "\\" + RUN_VALUE

    def enable(self, argv: list[str]) -> Status:
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, windows_run_value(argv))
        return self.status()

    def disable(self) -> Status:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            pass
        return self.status()

    def status(self) -> Status:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _ = winreg.QueryValueEx(key, RUN_VALUE)
        except FileNotFoundError:
            return Status(False, self.where)
        return Status(bool(value), self.where, str(value))


# --- macOS ------------------------------------------------------------------------------------

def launch_agent(argv: list[str]) -> bytes:
    """The LaunchAgent plist: run at load (login), not kept alive, so quitting OnRecord sticks."""
    return plistlib.dumps({
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    })


class _MacBackend:
    def __init__(self, home: Path | None = None):
        self.plist = (home or Path.home()) / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def _launchctl(self, *args: str) -> None:
        # Best effort: the plist alone starts OnRecord at the next login; launchctl only makes the
        # change take effect now, and answers an error when the agent is already (un)loaded.
        subprocess.run(["launchctl", *args], check=False, capture_output=True)

    def enable(self, argv: list[str]) -> Status:
        self.plist.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.plist, launch_agent(argv), mode=0o644)
        self._launchctl("bootstrap", f"gui/{os.getuid()}", str(self.plist))
        return self.status()

    def disable(self) -> Status:
        if self.plist.exists():
            self._launchctl("bootout", f"gui/{os.getuid()}/{LAUNCH_AGENT_LABEL}")
            self.plist.unlink()
        return self.status()

    def status(self) -> Status:
        if not self.plist.is_file():
            return Status(False, str(self.plist))
        try:
            data = plistlib.loads(self.plist.read_bytes())
        except Exception as exc:  # a damaged plist is reported, not a traceback
            raise AutostartError(f"cannot read {self.plist}: {exc}") from exc
        argv = data.get("ProgramArguments") or []
        return Status(bool(data.get("RunAtLoad")) and not data.get("Disabled", False),
                      str(self.plist), subprocess.list2cmdline(argv))


def backend(platform: str | None = None):
    platform = platform or sys.platform
    if platform.startswith("win"):
        return _WindowsBackend()
    if platform == "darwin":
        return _MacBackend()
    return _XdgBackend()


# --- the command ------------------------------------------------------------------------------

def register(sub) -> None:
    p = sub.add_parser("autostart", help="start OnRecord when you log in (enable, disable or status)")
    p.add_argument("action", choices=("enable", "disable", "status"))
    p.set_defaults(func=_run)


def _run(args) -> int:
    b = backend()
    if args.action == "enable":
        status = b.enable(launch_command())
    elif args.action == "disable":
        status = b.disable()
    else:
        status = b.status()
    state = "on" if status.enabled else "off"
    print(f"Start at login: {state} ({status.where})")
    if status.enabled and status.command:
        print(f"Starts: {status.command}")
    return 0
