"""A full disk: the helper still starts and checks drafts, and every write that cannot happen says
`disk_full` (HTTP 507, or one line and exit 2 on the command line), never an internal error; once there
is space again, nothing was lost.

A real full file system: a small tmpfs mounted for the test (the tests run as root in CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .support import CHROME, PROFILES, free_port, onrecord_env, require_secure_keyring

DRAFT = {"site": "x", "account": "@amyclarke", "text": "Vote for the Green Party on Thursday."}


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"this test mounts a small tmpfs and needs root (as CI runs it): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    assert os.statvfs(disk).f_bavail == 0


def start(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "onrecord", "run", "--no-window", "--port", str(port)],
                            env=onrecord_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the helper did not start on a full disk: {proc.stderr.read()}")
        try:
            if requests.get(url + "/v1/health", timeout=1).ok:
                return proc, url
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("no answer within 30 s")


def stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    proc.wait(20)
    return proc.stderr.read()


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onrecord", *args], env=onrecord_env(home), capture_output=True,
                          text=True, timeout=60)


def call(url: str, path: str, token: str, body: dict) -> requests.Response:
    return requests.post(url + path, json=body, timeout=15,
                         headers={"Origin": CHROME, "Authorization": f"Bearer {token}"})


def test_on_a_full_disk_the_helper_starts_checks_and_says_disk_full_for_every_write(small_disk):
    require_secure_keyring()
    home = small_disk / "home"
    home.mkdir()
    (home / "profile.yaml").write_text((PROFILES / "dh-amy.yaml").read_text())
    proc, url = start(home)
    try:
        code = json.loads(cli(home, "pair", "--json").stdout)["code"]
        token = requests.post(url + "/v1/pair", json={"code": code}, headers={"Origin": CHROME}, timeout=10).json()["token"]
        assert call(url, "/v1/decisions", token, {"site": "x", "account": "@amyclarke", "decision": "fixed"}).ok
    finally:
        stop(proc)
    profile_before = (home / "profile.yaml").read_bytes()

    fill(small_disk)
    proc, url = start(home)  # the window key and runtime.json cannot be written: it starts all the same
    try:
        checked = call(url, "/v1/check", token, DRAFT)
        assert checked.status_code == 200, checked.text
        assert "political" in {p["category"] for p in checked.json()["prompts"]}
        for path, body in (("/v1/accounts", {"site": "x", "handle": "@amynew", "channel": "personal"}),
                           ("/v1/decisions", {"site": "x", "account": "@amyclarke", "decision": "overridden",
                                              "reason": "cleared with the press office"})):
            r = call(url, path, token, body)
            assert r.status_code == 507, (path, r.text)
            assert r.json()["error"]["code"] == "disk_full" and "disk is full" in r.json()["error"]["message"]
        for args in (("pair",), ("profile", "import", str(PROFILES / "dh-amy.yaml"))):
            done = cli(home, *args)
            assert done.returncode == 2 and done.stderr.count("\n") == 1, (args, done.stderr)
            assert "disk is full" in done.stderr and "internal" not in done.stderr
    finally:
        err = stop(proc)
    assert "Traceback" not in err and "Logging error" not in err

    (small_disk / "filler").unlink()  # space again: nothing was lost or half-written
    assert (home / "profile.yaml").read_bytes() == profile_before
    proc, url = start(home)
    try:
        assert call(url, "/v1/check", token, DRAFT).status_code == 200
        assert call(url, "/v1/accounts", token, {"site": "x", "handle": "@amynew", "channel": "personal"}).ok
    finally:
        stop(proc)
    events = json.loads(cli(home, "audit", "show", "--json").stdout)
    assert [e["decision"] for e in events] == ["fixed"]


WINDOW_KEY = "k" * 43


@pytest.fixture
def full_home(onrecord_home):
    """The data folder itself on a small tmpfs (filled by the test once the helper is up)."""
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(onrecord_home)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"this test mounts a small tmpfs and needs root (as CI runs it): {mounted.stderr.strip()}")
    try:
        yield onrecord_home
    finally:
        subprocess.run(["umount", "-l", str(onrecord_home)], check=False)


def test_the_settings_window_says_disk_full_for_each_change_it_cannot_save(full_home, served):
    h = served({"ONRECORD_WINDOW_KEY": WINDOW_KEY, "ONRECORD_WINDOW_KEY_FILE": False})
    window = requests.Session()
    assert window.get(f"{h.url}/settings/?key={WINDOW_KEY}", timeout=10).ok
    window.headers["Origin"] = h.url
    profile = window.get(f"{h.url}/settings/api/state", timeout=10).json()["profile"]
    fill(full_home)
    changes = (("PUT", "/settings/api/settings", {"reminder_frequency": "every_post"}),
               ("POST", "/settings/api/pairing", None),
               ("PUT", "/settings/api/profile", {**profile, "job_title": "Head of policy"}),
               ("POST", "/settings/api/accounts", {"account": {"site": "x", "handle": "@amynew", "channel": "personal"}}))
    for method, path, body in changes:
        r = window.request(method, h.url + path, json=body, timeout=10)
        assert r.status_code == 507 and r.json()["error"]["code"] == "disk_full", (path, r.status_code, r.text)
    state = window.get(f"{h.url}/settings/api/state", timeout=10).json()
    assert state["profile"] == profile  # nothing half-saved
