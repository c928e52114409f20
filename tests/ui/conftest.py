"""The real helper over real HTTP, and headless Debian Chromium driven by Playwright, for the settings pages.

Each test gets its own data folder and a free port; the helper is `onrecord run --no-window`, exactly
as a user starts it (the keyring comes from scripts/with-keyring.sh, as in scripts/test.sh).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PROFILES = ROOT.parent / "shared" / "corpus" / "profiles"
# An extension origin of the shape Chrome gives (32 letters a to p).
EXTENSION_ORIGIN = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def onrecord(*args: str, home: Path, check: bool = True, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, ONRECORD_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "onrecord", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=check, **kw)


class Helper:
    """`onrecord run` in its own process, with its own data folder and port."""

    def __init__(self, home: Path, window: bool = False, env: dict | None = None):
        self.home = home
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "onrecord", "run", "--port", str(self.port)]
        if not window:
            args.append("--no-window")
        self.log = open(home.parent / f"helper-{self.port}.log", "w+")
        self.proc = subprocess.Popen(args, env=dict(os.environ, ONRECORD_HOME=str(home), **(env or {})),
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the helper exited with {self.proc.returncode}: {self.output()}")
            try:
                if requests.get(f"{self.base}/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the helper did not answer within {timeout}s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    @property
    def key(self) -> str:
        return (self.home / "window.key").read_text().strip()

    @property
    def window_url(self) -> str:
        return f"{self.base}/settings/?key={self.key}"

    def session(self) -> requests.Session:
        """An HTTP session that has traded the window key for the window's cookie, as the window does."""
        s = requests.Session()
        r = s.get(self.window_url, timeout=5)
        assert r.status_code == 200, r.text
        s.headers["Origin"] = self.base
        return s

    def pair_extension(self) -> str:
        """Pair a browser the way a user does: a code from `onrecord pair`, typed into the extension."""
        code = json.loads(onrecord("pair", "--json", home=self.home).stdout)["code"]
        r = requests.post(f"{self.base}/v1/pair", json={"code": code}, headers={"Origin": EXTENSION_ORIGIN}, timeout=5)
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


@pytest.fixture
def helper(onrecord_home):
    h = Helper(onrecord_home)
    yield h
    h.stop()


def _launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser(playwright_instance):
    b = _launch(playwright_instance)
    yield b
    b.close()


@pytest.fixture
def page(browser, helper):
    """The settings window's page, opened as the window opens it (its URL with the window key)."""
    # bypass_csp only so the tests can inject axe-core; the pages themselves load under their CSP.
    context = browser.new_context(viewport={"width": 1000, "height": 900}, accept_downloads=True, bypass_csp=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(helper.window_url)
    pg.wait_for_selector("body[data-ready=true]")
    yield pg
    context.close()
    assert not errors, f"the page raised: {errors}"


def run_axe(pg) -> list[dict]:
    """Every axe-core finding on the page as it is now, whatever its impact."""
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.add_script_tag(path=str(AXE))
    results = pg.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results]


def save_profile(home: Path, text: str) -> None:
    src = home.parent / "profile-in.yaml"
    src.write_text(text)
    onrecord("profile", "import", str(src), home=home)
