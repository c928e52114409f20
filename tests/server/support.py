"""What the helper's tests share: sample origins, a draft, and a way to call the helper over HTTP."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from onrecord.store import clients, secrets

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT.parent / "shared" / "corpus" / "profiles"
CHROME = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
CHROME_OTHER = "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba"
FIREFOX = "moz-extension://0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
DRAFT = {"site": "x", "account": "@amyclarke", "text": "Lovely walk by the river this morning.", "context": "post"}


def require_secure_keyring() -> None:
    try:
        secrets.require_secure_backend()
    except Exception as exc:
        pytest.fail(f"these tests need a real keyring: run them inside `bash scripts/with-keyring.sh` ({exc})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Helper:
    """A served helper and a way to call it as the extension (or anyone else) would."""

    url: str
    port: int
    home: Path
    app: object
    origin: str = CHROME
    token: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, *, token: str | None = "default", origin: str | None = "default",
             host: str | None = None, **kw) -> requests.Response:
        headers = dict(kw.pop("headers", {}) or {})
        origin = self.origin if origin == "default" else origin
        token = self.token if token == "default" else token
        if origin is not None:
            headers.setdefault("Origin", origin)
        if token is not None:
            headers.setdefault("Authorization", f"Bearer {token}")
        if host is not None:
            headers["Host"] = host
        return self.session.request(method, self.url + path, headers=headers, timeout=15, **kw)

    def pair(self, origin: str = CHROME) -> str:
        code = clients.new_pairing_code().code
        r = self.call("POST", "/v1/pair", token=None, origin=origin, json={"code": code})
        assert r.status_code == 200, r.text
        return r.json()["token"]


def save_profile(home: Path, name: str = "dh-amy.yaml") -> Path:
    target = home / "profile.yaml"
    shutil.copy(PROFILES / name, target)
    return target


# The helper as a separate process, for what only a process shows: signals, locks, logs, kill -9 ------

@dataclass
class HelperProcess:
    proc: subprocess.Popen
    port: int
    home: Path
    url: str

    def stop(self, sig=signal.SIGTERM, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def onrecord_env(home: Path, **extra) -> dict:
    env = dict(os.environ, ONRECORD_HOME=str(home), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def onrecord_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "onrecord", *args]


