"""`onrecord run`, `onrecord pair` and friends as separate processes: what only a real process shows
(signals, the single-instance lock, the log files, a kill -9, the keyring it finds)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import stat
import subprocess
import threading
import time

import pytest
import requests

from onrecord.profile import load_profile
from onrecord.server.serve import HelperServer, PortUnavailable

from .support import CHROME, DRAFT, free_port, onrecord_cmd, onrecord_env

CANARY = "CANARY-5f2d9e-do-not-store"


def _run(home, *args, **env):
    return subprocess.run(onrecord_cmd(*args), env=onrecord_env(home, **env), capture_output=True, text=True,
                          timeout=60)


def _pair_like_the_extension(hp) -> str:
    out = _run(hp.home, "pair")
    assert out.returncode == 0, out.stderr
    code = out.stdout.splitlines()[0]
    assert re.fullmatch(r"\d{6}", code), out.stdout
    assert hp.url in out.stdout
    r = requests.post(hp.url + "/v1/pair", json={"code": code}, headers={"Origin": CHROME}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _call(hp, token, method, path, **kw):
    headers = {"Origin": CHROME, "Authorization": f"Bearer {token}"}
    return requests.request(method, hp.url + path, headers=headers, timeout=10, **kw)


def test_pair_prints_a_code_that_the_extension_can_use(spawn):
    hp = spawn()
    token = _pair_like_the_extension(hp)
    assert _call(hp, token, "POST", "/v1/settings", json={}).status_code == 200
    out = _run(hp.home, "pair", "--json")
    info = json.loads(out.stdout)
    assert re.fullmatch(r"\d{6}", info["code"]) and info["url"] == hp.url
    assert hp.stop() == 0


def test_pair_without_a_running_helper_says_so(onrecord_home):
    out = _run(onrecord_home, "pair")
    assert out.returncode == 2
    assert "not running" in out.stderr and "onrecord run" in out.stderr
    assert out.stderr.count("\n") == 1


def test_a_second_run_says_one_is_running_and_where(spawn):
    hp = spawn()
    out = _run(hp.home, "run", "--no-window", "--port", str(free_port()))
    assert out.returncode == 2
    assert "already running" in out.stderr and str(hp.proc.pid) in out.stderr and hp.url in out.stderr
    # The first one is untouched.
    assert requests.get(hp.url + "/v1/health", timeout=5).status_code == 200
    assert json.loads((hp.home / "runtime.json").read_text())["port"] == hp.port


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signals_stop_the_helper_cleanly(spawn, sig):
    hp = spawn()
    runtime = json.loads((hp.home / "runtime.json").read_text())
    assert runtime == {**runtime, "pid": hp.proc.pid, "port": hp.port, "url": hp.url}
    assert hp.stop(sig) == 0
    assert "Traceback" not in hp.proc.stderr.read()
    assert not (hp.home / "runtime.json").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(hp.url + "/v1/health", timeout=2)
    # The lock went with the process: it starts again at once.
    again = subprocess.Popen(onrecord_cmd("run", "--no-window", "--port", str(free_port())),
                             env=onrecord_env(hp.home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "listening" in again.stdout.readline()
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(10) == 0


def test_after_kill_9_the_next_start_is_not_blocked(spawn):
    hp = spawn()
    hp.stop(signal.SIGKILL)
    out = _run(hp.home, "pair")
    assert out.returncode == 2 and "not running" in out.stderr  # the stale runtime.json is not believed
    assert spawn(home=hp.home, profile=None).proc.poll() is None


def test_no_secure_keyring_is_refused_plainly(onrecord_home):
    fail = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    out = _run(onrecord_home, "run", "--no-window", "--port", str(free_port()), **fail)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "no secure keyring" in out.stderr and "install gnome-keyring" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (onrecord_home / "runtime.json").exists()
    for backend in ("keyring.backends.null.Keyring",):
        out = _run(onrecord_home, "run", "--no-window", "--port", str(free_port()), PYTHON_KEYRING_BACKEND=backend)
        assert out.returncode == 2 and "no secure keyring" in out.stderr


@pytest.mark.parametrize("log_level", ["INFO", "DEBUG"])
def test_no_draft_text_or_token_is_ever_written(spawn, onrecord_home, log_level):
    (onrecord_home / "settings.json").write_text(json.dumps({"log_level": log_level}))
    hp = spawn()
    token = _pair_like_the_extension(hp)
    text = f"Meeting the team at St Mary's today {CANARY} - views my own"
    assert _call(hp, token, "POST", "/v1/check", json={**DRAFT, "text": text}).status_code == 200
    _call(hp, token, "POST", "/v1/check", json={**DRAFT, "text": text, "extra": CANARY})  # refused: unknown field
    _call(hp, token, "POST", "/v1/check", json={**DRAFT, "site": CANARY, "text": text})  # refused: bad site
    _call(hp, token, "GET", "/v1/check", params={"text": text})  # refused: GET
    _call(hp, token, "POST", f"/v1/check?q={CANARY}", json={**DRAFT, "text": text})
    _call(hp, token, "POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "overridden",
                                                    "reason": "speaking at a public event", "categories": ["conduct"]})
    _call(hp, "A" * 43, "POST", "/v1/check", json={**DRAFT, "text": text})  # wrong token
    requests.post(hp.url + "/v1/check", json={**DRAFT, "text": text}, timeout=5,
                  headers={"Origin": "https://evil.example", "Authorization": f"Bearer {token}"})
    _run(hp.home, "audit", "export", "--csv", str(hp.home / "activity.csv"))
    assert hp.stop() == 0
    stderr, stdout = hp.proc.stderr.read(), hp.proc.stdout.read()
    seen = 0
    for path in hp.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            seen += 1
            assert CANARY.encode() not in data, f"the draft's canary is in {path}"
            assert token.encode() not in data, f"the token is in {path}"
    assert seen >= 4  # the profile, the databases and the log at least
    assert CANARY not in stderr + stdout and token not in stderr + stdout
    log = (hp.home / "logs" / "helper.log").read_text()
    assert re.search(r"POST /v1/check 200 [\d.]+ms rules=\S*permanence", log)
    assert "POST /v1/decisions 200" in log


def test_log_files_are_for_the_user_alone(spawn):
    hp = spawn()
    _pair_like_the_extension(hp)
    hp.stop()
    for path in [hp.home / "logs" / "helper.log", hp.home / "audit.sqlite3", hp.home / "clients.sqlite3"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((hp.home / "logs").stat().st_mode) == 0o700


def test_kill_9_in_the_middle_of_profile_writes_leaves_a_loadable_profile(spawn):
    hp = spawn()
    token = _pair_like_the_extension(hp)
    rng = random.Random(7)
    for round_ in range(3):
        stop = threading.Event()

        def declare():
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    _call(hp, token, "POST", "/v1/accounts",
                          json={"site": "blog", "handle": f"blog{round_}-{n}.example", "channel": "personal"})
                except requests.RequestException:
                    return
        writers = [threading.Thread(target=declare) for _ in range(3)]
        for w in writers:
            w.start()
        time.sleep(rng.uniform(0.3, 0.8))
        hp.proc.send_signal(signal.SIGKILL)
        hp.proc.wait(10)
        stop.set()
        for w in writers:
            w.join(10)
        profile = load_profile(hp.home / "profile.yaml")
        assert profile.name == "Amy Clarke"
        assert len([a for a in profile.accounts if a.site == "blog"]) >= 1
        hp = spawn(home=hp.home, profile=None)
        token = _pair_like_the_extension(hp)


def _free_block(size: int) -> int:
    """A first port whose next ``size - 1`` ports are free too."""
    for _ in range(50):
        first = free_port()
        if first + size > 65535:
            continue
        try:
            socks = []
            for p in range(first, first + size):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no block of free ports")


def test_a_taken_port_falls_back_to_the_next(onrecord_home):
    from onrecord.app import create_app
    first = _free_block(3)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", first))
        taken.listen()
        app = create_app()
        server = HelperServer(app, [first, first + 1, first + 2]).start()
        try:
            assert server.port == first + 1
            r = requests.get(server.url + "/v1/health", timeout=5)
            assert r.status_code == 200
            # The guard accepts the port it really got, not the one it first tried.
            r = requests.get(server.url + "/v1/health", headers={"Host": f"127.0.0.1:{first}"}, timeout=5)
            assert r.status_code == 403
        finally:
            server.stop()
        with pytest.raises(PortUnavailable, match=str(first)):
            HelperServer(app, [first])


def test_run_starts_from_the_settings_port_and_falls_back(onrecord_home, spawn):
    first = _free_block(5)
    (onrecord_home / "settings.json").write_text(json.dumps({"port": first}))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", first))
        taken.listen()
        proc = subprocess.Popen(onrecord_cmd("run", "--no-window"), env=onrecord_env(onrecord_home),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            assert f"http://127.0.0.1:{first + 1}" in line, line + proc.stderr.read()
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(10) == 0
        out = _run(onrecord_home, "run", "--no-window", "--port", str(first))
        assert out.returncode == 2 and str(first) in out.stderr and "--port" in out.stderr


def test_bad_port_is_refused(onrecord_home):
    out = _run(onrecord_home, "run", "--no-window", "--port", "70000")
    assert out.returncode == 2 and "70000" in out.stderr


def test_without_no_window_the_helper_keeps_serving_after_the_window(onrecord_home):
    """With no display the window cannot open (or is not available yet): the helper logs it and serves on."""
    port = free_port()
    env = onrecord_env(onrecord_home)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(onrecord_cmd("run", "--port", str(port)), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert "listening" in proc.stdout.readline()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if "window" in (onrecord_home / "logs" / "helper.log").read_text():
                break
            time.sleep(0.2)
        assert proc.poll() is None
        assert requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0


def test_a_restarted_helper_remembers_who_was_reminded_today(spawn):
    hp = spawn()
    token = _pair_like_the_extension(hp)

    def reminded(helper):
        r = _call(helper, token, "POST", "/v1/check", json=DRAFT)
        assert r.status_code == 200, r.text
        return "permanence" in [p["category"] for p in r.json()["prompts"]]

    assert reminded(hp)
    decision = {"site": "x", "account": "@amyclarke", "decision": "posted"}
    assert _call(hp, token, "POST", "/v1/decisions", json=decision).json()["recorded"] is True
    assert not reminded(hp)
    assert hp.stop() == 0
    again = spawn(home=hp.home, profile=None)
    assert not reminded(again)  # still today, still the same account: not reminded again
