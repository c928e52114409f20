"""The native messaging host as a browser runs it: the real `onrecord-native-host` program, started with the
arguments Chrome or Firefox pass, spoken to in length-prefixed JSON over its standard input and output."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.nativehost import framing
from onrecord.nativehost.registration import STORE_IDS
from onrecord.store.audit import AuditLog

PROGRAM = Path(sys.executable).parent / "onrecord-native-host"
CHROME_ID = STORE_IDS["chromium"][0]
CHROME_ORIGIN = f"chrome-extension://{CHROME_ID}/"
NHS_DRAFT = "Bed 4 on ward 7: NHS number 943 476 5919 is doing better"


def frame(message) -> bytes:
    raw = json.dumps(message).encode("utf-8")
    return struct.pack("=I", len(raw)) + raw


class HostProcess:
    def __init__(self, *args: str):
        self.proc = subprocess.Popen([str(PROGRAM), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)

    def send(self, message) -> None:
        self.proc.stdin.write(frame(message) if not isinstance(message, bytes) else message)
        self.proc.stdin.flush()

    def read(self):
        return framing.read_message(self.proc.stdout)

    def ask(self, message):
        self.send(message)
        return self.read()

    def close(self) -> tuple[int, bytes, bytes]:
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err


@pytest.fixture
def chrome_host(onrecord_home):
    host = HostProcess(CHROME_ORIGIN)
    yield host
    if host.proc.poll() is None:
        host.proc.kill()
        host.proc.wait()


def test_checks_a_draft_with_no_helper_running_and_no_pairing(chrome_host, onrecord_home):
    answer = chrome_host.ask({"id": 1, "path": "/v1/check",
                              "body": {"site": "x", "account": "@amyclarke", "text": NHS_DRAFT}})
    assert answer["id"] == 1 and answer["status"] == 200
    categories = {p["category"] for p in answer["body"]["prompts"]}
    assert "patient_data" in categories
    assert all(p["link"].startswith("https://") for p in answer["body"]["prompts"])
    assert answer["body"]["account"] == {"site": "x", "handle": "@amyclarke", "channel": "unknown"}
    # Which pack checked it, as the HTTP answer says (no profile yet: the provisional civil service pack).
    assert {k: answer["body"]["pack"][k] for k in ("id", "source")} == {"id": "civil-service", "source": "built-in"}
    status = chrome_host.ask({"id": "s", "path": "/v1/status", "body": {}})
    assert status == {"id": "s", "status": 200, "body": {"paired": True, "native": True,
                                                         "version": status["body"]["version"], "api": 1}}
    code, rest, err = chrome_host.close()
    assert code == 0 and rest == b""
    assert b"943" not in err and b"ward" not in err, "the draft must never reach standard error"


def test_answers_bad_requests_with_the_http_status_and_stays_in_step(chrome_host):
    refused = chrome_host.ask({"id": 1, "path": "/v1/check", "body": {"site": "x", "account": "@a", "text": "hi",
                                                                      "extra": 1}})
    assert refused["id"] == 1 and refused["status"] == 400
    assert refused["body"]["error"]["code"] == "bad_input"
    assert refused["body"]["error"]["message"].startswith("unknown field 'extra' (fields: site, account, text")
    assert chrome_host.ask({"id": 2, "path": "/v1/pair", "body": {"code": "123456"}})["status"] == 404
    chrome_host.send(struct.pack("=I", 5) + b"{nope")
    assert chrome_host.read()["status"] == 400
    big = json.dumps({"id": 3, "path": "/v1/check", "body": {"site": "x", "account": "@a",
                                                            "text": "a" * (framing.MAX_REQUEST_BYTES + 10)}})
    chrome_host.send(struct.pack("=I", len(big)) + big.encode())
    assert chrome_host.read()["status"] == 413
    # After each refusal the next request is still read from the right place.
    assert chrome_host.ask({"id": 4, "path": "/v1/health"})["body"]["app"] == "onrecord"


def test_a_decision_sent_again_with_its_id_is_recorded_once_even_by_a_new_host(onrecord_home):
    # The browser stops the host before the answer reaches the extension, starts a new one, and the extension
    # sends the decision again with its id: one event.
    decision = {"site": "x", "account": "@amyclarke", "decision": "posted",
                "decision_id": "5f0c8a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"}
    first = HostProcess(CHROME_ORIGIN)
    assert first.ask({"id": 1, "path": "/v1/decisions", "body": decision})["body"] == {"ok": True, "recorded": True}
    assert first.ask({"id": 2, "path": "/v1/decisions", "body": decision})["body"]["already_recorded"] is True
    assert first.close()[0] == 0
    second = HostProcess(CHROME_ORIGIN)
    answer = second.ask({"id": 1, "path": "/v1/decisions", "body": decision})
    assert answer["status"] == 200 and answer["body"] == {"ok": True, "recorded": True, "already_recorded": True}
    assert second.close()[0] == 0
    assert [e.decision for e in AuditLog().query()] == ["posted"]


def test_firefox_arguments_name_the_add_on(onrecord_home, tmp_path):
    host = HostProcess(str(tmp_path / "org.onrecord.helper.json"), STORE_IDS["firefox"][0])
    assert host.ask({"id": 7, "path": "/v1/settings", "body": {}})["body"] == {"reminder_frequency": "first_post_of_day"}
    assert host.close()[0] == 0


@pytest.mark.parametrize("args", [
    ("chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",),
    ("/tmp/org.onrecord.helper.json", "someone-else@example.org"),
    (),
])
def test_a_caller_not_in_the_allowed_list_is_refused_before_any_request_is_read(onrecord_home, args):
    host = HostProcess(*args)
    refusal = host.read()
    assert refusal["status"] == 403 and refusal["body"]["error"]["code"] == "forbidden"
    try:
        host.send({"id": 1, "path": "/v1/check", "body": {"site": "x", "account": "@a", "text": NHS_DRAFT}})
    except BrokenPipeError:
        pass
    code, rest, err = host.close()
    assert code == 3 and rest == b"", "no answer to the request: the host stopped at the refusal"
    assert b"not allowed" in err or b"no caller" in err


def test_stray_output_cannot_corrupt_the_stream(chrome_host):
    # A print anywhere in the host goes to standard error, never between frames.
    answer = chrome_host.ask({"id": 1, "path": "/v1/health"})
    assert answer["status"] == 200
    chrome_host.proc.stdin.close()
    assert chrome_host.proc.stdout.read() == b""


def test_a_connected_browser_is_listed_by_onrecord_clients(chrome_host, onrecord_home):
    chrome_host.ask({"id": 1, "path": "/v1/status"})
    chrome_host.close()
    out = subprocess.run([str(PROGRAM.with_name("onrecord")), "clients", "--json"], capture_output=True, text=True,
                         check=True).stdout
    listed = json.loads(out)
    assert [(b["origin"], b["connection"]) for b in listed] == [(CHROME_ORIGIN.rstrip("/"), "native")]
    text = subprocess.run([str(PROGRAM.with_name("onrecord")), "clients"], capture_output=True, text=True,
                          check=True).stdout
    assert "Connected by native messaging" in text and CHROME_ID in text


def test_an_extension_id_an_administrator_allows_may_connect(onrecord_home, tmp_path, monkeypatch):
    pilot = "abcdefghijklmnopabcdefghijklmnop"
    refused = HostProcess(f"chrome-extension://{pilot}/")
    assert refused.read()["status"] == 403
    refused.close()
    managed = tmp_path / "managed"
    managed.mkdir()
    (managed / "managed.json").write_text(json.dumps({"allowedExtensionIds": [pilot]}))
    monkeypatch.setenv("ONRECORD_MANAGED_DIR", str(managed))
    host = HostProcess(f"chrome-extension://{pilot}/")
    assert host.ask({"id": 1, "path": "/v1/health"})["status"] == 200
    assert host.close()[0] == 0
    out = subprocess.run([str(PROGRAM.with_name("onrecord")), "native-host", "manifest", "--browser", "chrome"],
                         capture_output=True, text=True, check=True).stdout
    assert f"chrome-extension://{pilot}/" in json.loads(out)["allowed_origins"]
