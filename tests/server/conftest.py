"""A real helper for each test: the app served by waitress on a free loopback port, called over HTTP.

The keyring is real too: these tests run inside scripts/with-keyring.sh (gnome-keyring on a private
D-Bus session). Outside it they fail with a message saying so, rather than fall back to a fake.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import requests

from onrecord.app import create_app
from onrecord.server.serve import HelperServer
from onrecord.store import clients

from .support import Helper, HelperProcess, free_port, onrecord_cmd, onrecord_env, require_secure_keyring, save_profile


@pytest.fixture
def served(onrecord_home):
    """Start a helper with ``config`` on a free port (``server_options`` go to HelperServer); stopped at
    the end of the test."""
    require_secure_keyring()
    started: list[HelperServer] = []

    def start(config: dict | None = None, profile: str | None = "dh-amy.yaml", **server_options) -> Helper:
        if profile:
            save_profile(onrecord_home, profile)
        clients.ensure_token_key()
        app = create_app(config or {})
        server = HelperServer(app, [free_port()], **server_options).start()
        started.append(server)
        return Helper(server.url, server.port, onrecord_home, app)

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def helper(served) -> Helper:
    """A helper with the sample profile, and a paired extension (``helper.token``)."""
    h = served()
    h.token = h.pair()
    return h


@pytest.fixture
def spawn(onrecord_home):
    """Start ``onrecord run --no-window --port FREE`` as its own process; waits until it answers."""
    require_secure_keyring()
    procs: list[HelperProcess] = []

    def start(profile: str | None = "dh-amy.yaml", home: Path | None = None) -> HelperProcess:
        where = home or onrecord_home
        where.mkdir(parents=True, exist_ok=True)
        if profile:
            save_profile(where, profile)
        port = free_port()
        proc = subprocess.Popen(onrecord_cmd("run", "--no-window", "--port", str(port)), env=onrecord_env(where),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        hp = HelperProcess(proc, port, where, f"http://127.0.0.1:{port}")
        procs.append(hp)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"onrecord run exited {proc.returncode}: {proc.stderr.read()}")
            try:
                if requests.get(hp.url + "/v1/health", timeout=1).status_code == 200:
                    return hp
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("onrecord run did not answer within 20 s")

    yield start
    for hp in procs:
        if hp.proc.poll() is None:
            hp.proc.kill()
            hp.proc.wait(10)
