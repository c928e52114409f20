"""`onrecord --self-test` checks the installation, then says what the user's own set-up still needs.

Real processes: the self-test as a user runs it, and the user's helper as `onrecord run` starts it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import requests

from onrecord.store.secrets import require_secure_backend

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def _env(tmp_path: Path) -> dict:
    return dict(os.environ, ONRECORD_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
                XDG_CONFIG_DIRS=str(tmp_path / "no-system-config"))


def _self_test(env: dict) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "onrecord", "--self-test"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 of 4 checks passed" in done.stdout
    lines = {}
    for line in done.stdout.splitlines():
        state, _, rest = line.partition("  ")
        name, _, detail = rest.strip().partition(": ")
        if state.strip() in ("ok", "todo"):
            lines[name] = f"{state.strip()} {detail}"
    return lines


def test_on_a_new_machine_each_missing_part_says_what_to_do(tmp_path):
    require_secure_backend()
    lines = _self_test(_env(tmp_path))
    assert lines["your helper"].startswith("todo not running") and "`onrecord run`" in lines["your helper"]
    assert lines["your profile"].startswith("todo none saved yet") and "onrecord profile import" in lines["your profile"]
    assert lines["browsers"].startswith("todo no browser has connected yet") and "`onrecord pair`" in lines["browsers"]
    assert "native-host install" in lines["browsers"]
    assert lines["start at login"].startswith("todo off") and "`onrecord autostart enable`" in lines["start at login"]
    assert not (tmp_path / "data").exists()  # looking made nothing


def test_a_set_up_user_is_told_each_part_works_and_a_broken_profile_is_named(tmp_path):
    require_secure_backend()
    env = _env(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.yaml").write_text((ROOT / "examples" / "amy.yaml").read_text())
    subprocess.run([sys.executable, "-m", "onrecord", "autostart", "enable"], env=env, check=True, timeout=60,
                   capture_output=True)
    # The helper as start at login runs it: on the first free port of those the extension looks at.
    helper = subprocess.Popen([sys.executable, "-m", "onrecord", "run", "--no-window"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = helper.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:4765"), url
        code = json.loads(subprocess.run([sys.executable, "-m", "onrecord", "pair", "--json"], env=env, timeout=60,
                                         capture_output=True, text=True, check=True).stdout)["code"]
        r = requests.post(f"{url}/v1/pair", json={"code": code}, headers={"Origin": EXTENSION}, timeout=10)
        assert r.status_code == 200, r.text
        lines = _self_test(env)
        assert lines["your helper"] == f"ok running (pid {helper.pid}) at {url}, where the extension looks"
        assert lines["your profile"].startswith("ok ") and "Amy Clarke, 4 accounts" in lines["your profile"]
        assert lines["browsers"].startswith("ok 1 paired, last seen ")
        # A browser the user's own browser connected by native messaging counts without any pairing.
        from onrecord.store.clients import ClientStore
        store = ClientStore(data)
        store.record_native("chrome-extension://coilkplhkdklpnepmliobkchhlkmopno/", "Chromium")
        store.close()
        lines = _self_test(env)
        assert lines["browsers"].startswith("ok 1 by native messaging, 1 paired, last seen ")
        assert lines["start at login"].startswith("ok on ")

        (data / "profile.yaml").write_text("name: [unclosed\n")
        lines = _self_test(env)
        assert lines["your profile"].startswith("todo ") and "fix the file" in lines["your profile"]
        assert (data / "profile.yaml").exists()  # only read, never moved aside by the self-test
    finally:
        helper.terminate()
        helper.wait(20)


def test_a_helper_on_a_port_the_extension_does_not_look_at_is_named(tmp_path):
    require_secure_backend()
    env = _env(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    helper = subprocess.Popen([sys.executable, "-m", "onrecord", "run", "--no-window", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert helper.stdout.readline().strip().endswith(f":{port}")
        line = _self_test(env)["your helper"]
        assert line.startswith(f"todo running (pid {helper.pid}) on port {port}, where the extension does not look")
        assert "restart it without --port" in line
    finally:
        helper.terminate()
        helper.wait(20)
