"""``onrecord autostart``: for real on Linux (XDG autostart), and what the Windows and macOS entries
say, since the registry and launchctl exist only there."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.commands import autostart

ONRECORD = str(Path(sys.executable).with_name("onrecord"))


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONRECORD, "autostart", *args], env=env, capture_output=True, text=True, timeout=60)


def desktop_keys(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def test_enable_status_disable_on_linux(user_env):
    entry = Path(user_env["XDG_CONFIG_HOME"]) / "autostart" / "onrecord.desktop"

    off = run_cli(user_env, "status")
    assert off.returncode == 0 and off.stdout.startswith("Start at login: off")

    on = run_cli(user_env, "enable")
    assert on.returncode == 0, on.stderr
    assert "Start at login: on" in on.stdout
    keys = desktop_keys(entry)
    assert keys["Type"] == "Application" and keys["Name"] == "OnRecord"
    # What starts at login is this very program, serving the extension without opening a window.
    argv = shlex.split(keys["Exec"])
    assert Path(argv[0]).is_file() and argv[-2:] == ["run", "--no-window"]
    assert run_cli(user_env, "status").stdout.startswith("Start at login: on")

    # Enabling twice is harmless.
    assert run_cli(user_env, "enable").returncode == 0

    off = run_cli(user_env, "disable")
    assert off.returncode == 0 and "Start at login: off" in off.stdout
    assert not entry.exists()
    assert run_cli(user_env, "status").stdout.startswith("Start at login: off")


def test_the_started_command_really_runs(user_env):
    """The Exec line, run as a desktop session would, starts a program that answers."""
    run_cli(user_env, "enable")
    keys = desktop_keys(Path(user_env["XDG_CONFIG_HOME"]) / "autostart" / "onrecord.desktop")
    argv = shlex.split(keys["Exec"])[:-2] + ["--version"]
    done = subprocess.run(argv, env=user_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("onrecord ")


def test_disable_hides_a_system_wide_entry_for_this_user(user_env):
    """The .deb starts OnRecord for every user from /etc/xdg/autostart; one user can still say no."""
    system = Path(user_env["XDG_CONFIG_DIRS"]) / "autostart" / "onrecord.desktop"
    system.parent.mkdir(parents=True)
    system.write_text(autostart.desktop_entry(["/opt/onrecord/onrecord", "run", "--no-window"]))
    on = run_cli(user_env, "status")
    assert on.stdout.startswith("Start at login: on") and str(system) in on.stdout

    run_cli(user_env, "disable")
    user_entry = Path(user_env["XDG_CONFIG_HOME"]) / "autostart" / "onrecord.desktop"
    assert desktop_keys(user_entry)["Hidden"] == "true"
    assert system.exists()  # the administrator's file is left alone
    assert run_cli(user_env, "status").stdout.startswith("Start at login: off")

    run_cli(user_env, "enable")
    assert run_cli(user_env, "status").stdout.startswith("Start at login: on")


def test_an_entry_switched_off_in_the_desktop_settings_reads_as_off(tmp_path):
    xdg = autostart._XdgBackend({"XDG_CONFIG_HOME": str(tmp_path), "XDG_CONFIG_DIRS": str(tmp_path / "none")})
    xdg.enable(["/opt/onrecord/onrecord", "run", "--no-window"])
    xdg.user_file.write_text(xdg.user_file.read_text().replace("X-GNOME-Autostart-enabled=true",
                                                               "X-GNOME-Autostart-enabled=false"))
    assert xdg.status().enabled is False


@pytest.mark.parametrize("argv, exec_line", [
    (["/opt/onrecord/onrecord", "run"], "/opt/onrecord/onrecord run"),
    (["/home/amy/My Apps/onrecord", "run"], '"/home/amy/My Apps/onrecord" run'),
    # The spec's two levels of escaping: a backslash inside quotes, then again in the key file.
    (["/tmp/a\\b$c", "run"], '"/tmp/a\\\\\\\\b\\\\$c" run'),
    (["/tmp/100%/onrecord"], "/tmp/100%%/onrecord"),
])
def test_exec_line_is_quoted_by_the_desktop_entry_rules(argv, exec_line):
    assert autostart.desktop_exec(argv) == exec_line


# --- Windows: the registry value (winreg itself exists only on Windows) ------------------------

def test_windows_run_value_quotes_a_path_with_spaces():
    value = autostart.windows_run_value([r"C:\Program Files\OnRecord\onrecordw.exe", "run", "--no-window"])
    assert value == r'"C:\Program Files\OnRecord\onrecordw.exe" run --no-window'


def test_windows_run_key_is_the_one_the_installer_writes():
    iss = (Path(__file__).resolve().parents[2] / "packaging" / "windows" / "onrecord.iss").read_text()
    assert autostart.RUN_KEY in iss
    assert f'ValueName: "{autostart.RUN_VALUE}"' in iss


def test_windows_prefers_the_windowless_program(tmp_path, monkeypatch):
    """At login no console window may flash up: the Run key names onrecordw.exe when it is there."""
    console = tmp_path / "onrecord.exe"
    console.write_bytes(b"")
    (tmp_path / "onrecordw.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(console))
    monkeypatch.setattr(sys, "platform", "win32")
    assert autostart.launch_command() == [str(tmp_path / "onrecordw.exe"), "run", "--no-window"]


# --- macOS: the LaunchAgent (launchctl exists only on macOS) -----------------------------------

def test_launch_agent_runs_the_program_at_login():
    data = plistlib.loads(autostart.launch_agent(["/Applications/OnRecord.app/Contents/MacOS/onrecord",
                                                  "run", "--no-window"]))
    assert data["Label"] == autostart.LAUNCH_AGENT_LABEL
    assert data["ProgramArguments"][1:] == ["run", "--no-window"]
    assert data["RunAtLoad"] is True and data["KeepAlive"] is False


def test_mac_backend_writes_and_removes_the_plist(tmp_path):
    """The plist handling for real; launchctl is replaced because it exists only on macOS."""
    calls = []

    class Recorded(autostart._MacBackend):
        def _launchctl(self, *args):
            calls.append(args)

    mac = Recorded(home=tmp_path)
    status = mac.enable(["/Applications/OnRecord.app/Contents/MacOS/onrecord", "run", "--no-window"])
    assert status.enabled and mac.plist.is_file()
    assert mac.plist.parent == tmp_path / "Library" / "LaunchAgents"
    assert calls[-1][0] == "bootstrap" and calls[-1][-1] == str(mac.plist)
    status = mac.disable()
    assert not status.enabled and not mac.plist.exists()
    assert calls[-1][0] == "bootout"


def test_shipped_launch_agent_template_matches(tmp_path):
    """packaging/macos's LaunchAgent (for administrators deploying it) names the same label."""
    shipped = plistlib.loads((Path(__file__).resolve().parents[2] / "packaging" / "macos" /
                              f"{autostart.LAUNCH_AGENT_LABEL}.plist").read_bytes())
    assert shipped["Label"] == autostart.LAUNCH_AGENT_LABEL
    assert shipped["ProgramArguments"][1:] == ["run", "--no-window"]
    assert shipped["RunAtLoad"] is True


# --- what the packaged program does when opened without arguments ---------------------------

def test_opened_from_finder_or_as_the_windowless_program_it_starts_the_helper():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
    from launcher import arguments

    assert arguments([], "/Applications/OnRecord.app/Contents/MacOS/onrecord", "darwin") == ["run"]
    assert arguments(["-psn_0_12345"], "/Applications/OnRecord.app/Contents/MacOS/onrecord", "darwin") == ["run"]
    assert arguments([], r"C:\Program Files\OnRecord\onrecordw.exe", "win32") == ["run"]
    # From a terminal, no arguments still means usage, and arguments are passed through untouched.
    assert arguments([], r"C:\Program Files\OnRecord\onrecord.exe", "win32") == []
    assert arguments([], "/opt/onrecord/onrecord", "linux") == []
    assert arguments(["autostart", "status"], "/Applications/OnRecord.app/Contents/MacOS/onrecord",
                     "darwin") == ["autostart", "status"]
