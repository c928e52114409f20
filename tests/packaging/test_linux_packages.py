"""The Linux tarball and .deb, opened and installed the way staff and IT would, into temporary
folders (no package is installed on this machine)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tarfile
from pathlib import Path

import onrecord


def desktop_keys(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))


def test_tarball_installs_for_one_user_and_uninstalls(linux_build, user_env, tmp_path):
    with tarfile.open(linux_build.tarball) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (folder,) = (tmp_path / "unpacked").iterdir()
    prefix, data = tmp_path / "prefix", tmp_path / "share"
    home = tmp_path / "home"
    (home / ".mozilla").mkdir(parents=True)  # this user has Firefox and Chromium
    (Path(user_env["XDG_CONFIG_HOME"]) / "chromium").mkdir()
    env = dict(user_env, PREFIX=str(prefix), XDG_DATA_HOME=str(data), HOME=str(home))

    done = subprocess.run(["sh", str(folder / "install.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    # The command on the PATH runs the installed program.
    version = subprocess.run([str(prefix / "bin" / "onrecord"), "--version"], env=env, capture_output=True, text=True)
    assert version.stdout.strip() == f"onrecord {onrecord.__version__}"
    # The menu entry starts the installed program and has its icon.
    menu = desktop_keys(data / "applications" / "onrecord.desktop")
    assert shlex.split(menu["Exec"]) == [str(prefix / "lib" / "onrecord" / "onrecord"), "run"]
    assert menu["Icon"] == "onrecord" and (data / "icons/hicolor/256x256/apps/onrecord.png").is_file()
    # It starts at login, without its window.
    login = desktop_keys(Path(env["XDG_CONFIG_HOME"]) / "autostart" / "onrecord.desktop")
    assert shlex.split(login["Exec"]) == [str(prefix / "lib" / "onrecord" / "onrecord"), "run", "--no-window"]
    # Both browsers find the native messaging host, which is the installed program's.
    hosts = [Path(env["XDG_CONFIG_HOME"]) / "chromium/NativeMessagingHosts/org.onrecord.helper.json",
             home / ".mozilla/native-messaging-hosts/org.onrecord.helper.json"]
    for manifest in hosts:
        program = Path(json.loads(manifest.read_text())["path"])
        assert program == prefix / "lib" / "onrecord" / "onrecord-native-host" and os.access(program, os.X_OK)

    done = subprocess.run(["sh", str(folder / "uninstall.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not (prefix / "lib" / "onrecord").exists() and not (prefix / "bin" / "onrecord").exists()
    assert not (data / "applications" / "onrecord.desktop").exists()
    assert not (Path(env["XDG_CONFIG_HOME"]) / "autostart" / "onrecord.desktop").exists()
    assert not any(manifest.exists() for manifest in hosts)


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_deb_says_what_it_is_and_needs(linux_build):
    assert deb_field(linux_build.deb, "Package") == "onrecord"
    assert deb_field(linux_build.deb, "Version") == onrecord.__version__
    depends = deb_field(linux_build.deb, "Depends")
    for lib in ("libnss3", "libxkbcommon-x11-0", "libxcb-cursor0"):  # what Qt WebEngine loads from the system
        assert lib in depends
    assert "gnome-keyring" in deb_field(linux_build.deb, "Recommends")


def test_deb_contents_run_and_start_at_every_login(linux_build, user_env, tmp_path):
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(linux_build.deb), str(root)], check=True)
    assert os.readlink(root / "usr/bin/onrecord") == "/opt/onrecord/onrecord"
    menu = desktop_keys(root / "usr/share/applications/onrecord.desktop")
    assert shlex.split(menu["Exec"]) == ["/opt/onrecord/onrecord", "run"]
    login = root / "etc/xdg/autostart/onrecord.desktop"
    assert shlex.split(desktop_keys(login)["Exec"]) == ["/opt/onrecord/onrecord", "run", "--no-window"]

    assert os.access(root / "opt/onrecord/onrecord-native-host", os.X_OK)
    # The unpacked program runs where it lies (one-folder builds are relocatable).
    program = root / "opt/onrecord/onrecord"
    version = subprocess.run([str(program), "--version"], env=user_env, capture_output=True, text=True)
    assert version.stdout.strip() == f"onrecord {onrecord.__version__}"

    # A user can switch the system-wide entry off for themselves, and on again.
    env = dict(user_env, XDG_CONFIG_DIRS=str(root / "etc/xdg"))
    status = subprocess.run([str(program), "autostart", "status"], env=env, capture_output=True, text=True)
    assert status.stdout.startswith("Start at login: on") and str(login) in status.stdout
    subprocess.run([str(program), "autostart", "disable"], env=env, check=True, capture_output=True)
    status = subprocess.run([str(program), "autostart", "status"], env=env, capture_output=True, text=True)
    assert status.stdout.startswith("Start at login: off")


def test_deb_maintainer_scripts_are_valid_shell(linux_build, tmp_path):
    subprocess.run(["dpkg-deb", "-e", str(linux_build.deb), str(tmp_path / "control")], check=True)
    for script in ("postinst", "prerm", "postrm"):
        path = tmp_path / "control" / script
        assert os.access(path, os.X_OK)
        assert subprocess.run(["sh", "-n", str(path)]).returncode == 0
