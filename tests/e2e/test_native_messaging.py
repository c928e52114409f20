"""The extension reaching OnRecord in real Chromium: by native messaging with no pairing and no helper
running, and over HTTP with an impostor squatting the helper's port.

Native messaging: the host manifest (`onrecord native-host manifest --browser chromium`) is written into
the test profile's NativeMessagingHosts folder, where Chromium looks for a user's hosts, and Chromium
starts the real `onrecord-native-host` with the browser's environment (its ONRECORD_HOME)."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import socketserver
import subprocess
import threading

import pytest
import yaml
from playwright.sync_api import expect

from site_flow import STAFF_PROFILE, WORK, _harness, held_then_fixed

X_PROFILE = {**STAFF_PROFILE, "accounts": [{"site": "x", "handle": "@amyclarke", "channel": "personal"}]}
X_HOME = "home-2026-11-20.html"
X_EDITOR = '[data-testid="tweetTextarea_0"]'
X_POST = '[data-testid="tweetButtonInline"]'
X_STATE = """Array.from(document.querySelectorAll('[data-composer="home"] [data-block="true"]'),
                        (b) => b.textContent).join('\\n')"""


def _onrecord(home, *args: str) -> str:
    harness = _harness()
    return subprocess.run([str(harness.VENV_BIN / "onrecord"), *args], env={**os.environ, "ONRECORD_HOME": str(home)},
                          capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture
def native_browser(playwright_instance, site_server, tmp_path):
    """Chromium whose profile registers the OnRecord host; no `onrecord run`, no pairing, no window ever."""
    harness = _harness()
    home = tmp_path / "onrecord-home"
    home.mkdir()
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(X_PROFILE, sort_keys=False), encoding="utf-8")
    _onrecord(home, "profile", "import", str(profile))
    user_data = tmp_path / "chromium-profile"
    hosts = user_data / "NativeMessagingHosts"
    hosts.mkdir(parents=True)
    (hosts / "org.onrecord.helper.json").write_text(_onrecord(home, "native-host", "manifest", "--browser", "chromium"))
    browser = harness.launch(playwright_instance, site_server, user_data, env={**os.environ, "ONRECORD_HOME": str(home)})
    # HTTP would find nothing: the only port the extension may try has no helper behind it.
    browser.set_options(helper_port=harness.free_port())
    browser.home = home
    yield browser
    browser.close()


def test_the_whole_x_flow_over_native_messaging_with_no_pairing_and_no_helper_running(native_browser, failure_shot):
    assert not (native_browser.home / "runtime.json").exists(), "a helper is running"
    page = native_browser.open("x", X_HOME)
    failure_shot(page)
    held_then_fixed(page, editor=X_EDITOR, post=X_POST, state=X_STATE, channel="Personal · @amyclarke")

    popup = native_browser.context.new_page()
    popup.goto(native_browser.extension_url("popup/popup.html"))
    expect(popup.locator('[data-onrecord="status"]')).to_have_text("Connected to OnRecord on this computer.")
    expect(popup.locator('[data-onrecord="pair-code"]')).to_be_hidden()
    popup.close()

    listed = json.loads(_onrecord(native_browser.home, "clients", "--json"))
    assert [(b["connection"], b["browser"], b["origin"]) for b in listed] == [
        ("native", "Chromium", f"chrome-extension://{native_browser.extension_id}")]
    # What the user did was recorded by the host, without the draft.
    audit = json.loads(_onrecord(native_browser.home, "audit", "show", "--json"))
    assert any(e["decision"] == "fixed" for e in audit), audit
    assert WORK not in json.dumps(audit)


# ------------------------------------------------------------------------------------------- the impostor

class Impostor(http.server.BaseHTTPRequestHandler):
    """A program on OnRecord's port that imitates every route and keeps whatever it is sent."""

    seen: list = []

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_OPTIONS(self):  # noqa: N802 - http.server's names
        self._answer(204, {})

    def do_GET(self):  # noqa: N802
        self.seen.append(("GET", self.path, dict(self.headers), b""))
        self._answer(200, {"app": "onrecord", "status": "ok", "version": "0.1.0", "api": 1})

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(("POST", self.path, dict(self.headers), body))
        answers = {
            "/v1/prove": (200, {"proof": "0" * 64, "port": self.server.server_address[1]}),
            "/v1/pair": (200, {"token": "impostor-token", "client_id": 1, "proof_key": "1" * 64}),
            "/v1/status": (200, {"paired": True, "client_id": 1, "version": "0.1.0", "api": 1}),
            "/v1/check": (200, {"account": {"site": "x", "handle": "@amyclarke", "channel": "personal"}, "prompts": []}),
            "/v1/accounts/list": (401, {"error": {"code": "unauthorized", "message": "pair again"}}),
        }
        self._answer(*answers.get(self.path, (200, {"ok": True})))

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def impostor_on(port: int):
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True
    Impostor.seen = []
    server = Server(("127.0.0.1", port), Impostor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Impostor.seen
    finally:
        server.shutdown()
        server.server_close()


def test_an_impostor_on_the_port_gets_no_draft_and_no_token_and_the_pairing_survives(
        playwright_instance, site_server, tmp_path_factory, tmp_path, failure_shot):
    harness = _harness()
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(X_PROFILE, sort_keys=False), encoding="utf-8")
    helper = harness.start_helper(tmp_path_factory, str(profile))
    browser = harness.launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    try:
        browser.set_options(helper_port=helper.port)
        browser.pair(helper)
        helper.stop()
        with impostor_on(helper.port) as seen:
            page = browser.open("x", X_HOME)
            failure_shot(page)
            page.locator(X_EDITOR).first.click()
            page.keyboard.type("NHS number 943 476 5919 is on ward 7")
            notice = page.locator('[data-onrecord="card"] [data-onrecord="notice"]')
            expect(notice).to_contain_text("Something else is answering on this computer's OnRecord port",
                                           timeout=15000)
            popup = browser.context.new_page()
            popup.goto(browser.extension_url("popup/popup.html"))
            expect(popup.locator('[data-onrecord="status"]')).to_contain_text(
                "something else is answering on this computer's OnRecord port", timeout=15000)
            popup.close()
            page.locator(X_POST).first.click()  # posting goes on (the default): nothing to hold it
            page.close()
            browser.pages.clear()
        paths = {path for _, path, _, _ in seen}
        assert paths <= {"/v1/health", "/v1/prove"}, f"the impostor was asked {paths}"
        assert not any("authorization" in {k.lower() for k in headers} for _, _, headers, _ in seen)
        # A nonce is 64 random hex digits, so look for the draft's words as typed, not for short digit runs.
        assert not any(b"943 476" in body or b"ward 7" in body for _, _, _, body in seen)
        for _, path, _, body in seen:
            if path == "/v1/prove":
                assert set(json.loads(body)) == {"client_id", "nonce"}, body

        # The real helper is back on its port: the same pairing works, with no new code.
        helper.start()
        page = browser.open("x", X_HOME)
        failure_shot(page)
        held_then_fixed(page, editor=X_EDITOR, post=X_POST, state=X_STATE, channel="Personal · @amyclarke")
    finally:
        browser.close()
        helper.stop()
