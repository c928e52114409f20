"""Abuse cases: each is one request that someone other than the paired extension could send, and its
refusal. Every refusal must be generic JSON (no stack trace, no debugger), must give no CORS grant to
anyone but the paired extension, and must leave the helper working for the extension afterwards.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from onrecord.store import clients

from .support import CHROME, CHROME_OTHER, DRAFT, Helper

WEB = "https://evil.example"


def _raw(h: Helper, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (for what requests would mend, such as a missing Host)."""
    with socket.create_connection(("127.0.0.1", h.port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


def _revoked(h: Helper):
    client = clients.list_clients()[-1]
    clients.revoke(client.id)
    return h.call("POST", "/v1/check", json=DRAFT)


def _spent_code(h: Helper):
    code = clients.new_pairing_code().code
    first = h.call("POST", "/v1/pair", token=None, json={"code": code})
    assert first.status_code == 200
    return h.call("POST", "/v1/pair", token=None, json={"code": code})


def _expired_code(h: Helper):
    code = clients.new_pairing_code(ttl_seconds=1).code
    time.sleep(1.2)
    return h.call("POST", "/v1/pair", token=None, json={"code": code})


def _sixth_wrong_code(h: Helper):
    code = clients.new_pairing_code().code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert h.call("POST", "/v1/pair", token=None, json={"code": wrong}).status_code == 403
    return h.call("POST", "/v1/pair", token=None, json={"code": wrong})


def _right_code_after_five_wrong(h: Helper):
    code = clients.new_pairing_code().code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        h.call("POST", "/v1/pair", token=None, json={"code": wrong})
    return h.call("POST", "/v1/pair", token=None, json={"code": code})


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _chunked_big(h: Helper):
    body = json.dumps({"site": "x", "account": "@a", "text": "a" * 300_000}).encode()
    return h.call("POST", "/v1/check", data=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                  headers={"Content-Type": "application/json"})


def _missing_host(h: Helper):
    status, _ = _raw(h, b"GET /v1/health HTTP/1.0\r\n\r\n")
    return status


ABUSE = {
    # Host: DNS rebinding and other names for the same socket.
    "host of another name": (lambda h: h.call("POST", "/v1/check", host=f"evil.example:{h.port}", json=DRAFT), 403),
    "host of another port": (lambda h: h.call("POST", "/v1/check", host=f"127.0.0.1:{h.port + 1}", json=DRAFT), 403),
    "host without a port": (lambda h: h.call("POST", "/v1/check", host="127.0.0.1", json=DRAFT), 403),
    "rebinding name that starts like localhost": (
        lambda h: h.call("GET", "/v1/health", host=f"localhost.evil.example:{h.port}"), 403),
    "host check guards health too": (lambda h: h.call("GET", "/v1/health", host=f"evil.example:{h.port}"), 403),
    "host check guards the settings pages": (lambda h: h.call("GET", "/settings/", origin=None, token=None,
                                                               host=f"evil.example:{h.port}"), 403),
    "no Host header at all": (_missing_host, 403),
    # Origin: web pages, sandboxed frames and non-browser callers, even holding a valid token.
    "web-page origin with a valid token": (lambda h: h.call("POST", "/v1/check", origin=WEB, json=DRAFT), 403),
    "null origin with a valid token": (lambda h: h.call("POST", "/v1/check", origin="null", json=DRAFT), 403),
    "missing origin with a valid token": (lambda h: h.call("POST", "/v1/check", origin=None, json=DRAFT), 403),
    "loopback web origin with a valid token": (
        lambda h: h.call("POST", "/v1/check", origin=f"http://127.0.0.1:{h.port}", json=DRAFT), 403),
    "look-alike extension origin": (
        lambda h: h.call("POST", "/v1/check", origin="chrome-extension-evil://abcdefghijklmnopabcdefghijklmnop",
                         json=DRAFT), 403),
    "extension origin with a path": (
        lambda h: h.call("POST", "/v1/check", origin=CHROME + "/popup.html", json=DRAFT), 403),
    "extension origin as a subdomain of a web site": (
        lambda h: h.call("POST", "/v1/check", origin="https://chrome-extension.evil.example", json=DRAFT), 403),
    "valid token from another extension": (lambda h: h.call("POST", "/v1/check", origin=CHROME_OTHER, json=DRAFT), 403),
    "web-page origin listing the declared accounts": (
        lambda h: h.call("POST", "/v1/accounts/list", origin=WEB, json={"site": "x"}), 403),
    "another extension listing the declared accounts": (
        lambda h: h.call("POST", "/v1/accounts/list", origin=CHROME_OTHER, json={"site": "x"}), 403),
    "a web page's preflight": (lambda h: h.call("OPTIONS", "/v1/check", origin=WEB, token=None, headers={
        "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}), 403),
    "a null origin's preflight": (lambda h: h.call("OPTIONS", "/v1/pair", origin="null", token=None, headers={
        "Access-Control-Request-Method": "POST"}), 403),
    "an extension reading the settings pages": (lambda h: h.call("GET", "/settings/", origin=CHROME), 403),
    # Tokens.
    "missing token": (lambda h: h.call("POST", "/v1/check", token=None, json=DRAFT), 401),
    "wrong token": (lambda h: h.call("POST", "/v1/check", token="A" * 43, json=DRAFT), 401),
    "listing the declared accounts without a token": (
        lambda h: h.call("POST", "/v1/accounts/list", token=None, json={"site": "x"}), 401),
    "revoked token": (_revoked, 401),
    "token in the query string": (lambda h: h.call("POST", f"/v1/check?token={h.token}&access_token={h.token}",
                                                   token=None, json=DRAFT), 401),
    "token in the body": (lambda h: h.call("POST", "/v1/check", token=None, json={**DRAFT, "token": h.token}), 401),
    "token as a cookie": (lambda h: h.call("POST", "/v1/check", token=None, json=DRAFT,
                                           headers={"Cookie": f"token={h.token}"}), 401),
    "basic auth instead of bearer": (lambda h: h.call("POST", "/v1/check", token=None, json=DRAFT,
                                                      headers={"Authorization": f"Basic {h.token}"}), 401),
    "extension token on the settings API": (lambda h: h.call("GET", "/settings/api/state", origin=None), 403),
    # Bodies.
    "text/plain body": (lambda h: h.call("POST", "/v1/check", data=json.dumps(DRAFT),
                                         headers={"Content-Type": "text/plain"}), 415),
    "form body": (lambda h: h.call("POST", "/v1/check", data=DRAFT), 415),
    "multipart body": (lambda h: h.call("POST", "/v1/check", files={"text": ("d.txt", b"hello")}), 415),
    "no content type": (lambda h: h.call("POST", "/v1/check", data=json.dumps(DRAFT).encode()), 415),
    "a GET carrying a draft": (lambda h: h.call("GET", "/v1/check", params=DRAFT), 405),
    "a GET with a JSON draft body": (lambda h: h.call("GET", "/v1/check", json=DRAFT), 405),
    "a GET of the extension's settings": (lambda h: h.call("GET", "/v1/settings"), 405),
    "a GET of the pairing route": (lambda h: h.call("GET", "/v1/pair", token=None, params={"code": "123456"}), 405),
    "a GET of the declared accounts": (lambda h: h.call("GET", "/v1/accounts/list"), 405),
    "a PUT on the check route": (lambda h: h.call("PUT", "/v1/check", json=DRAFT), 405),
    "a 300 KB body": (lambda h: h.call("POST", "/v1/check", json={**DRAFT, "text": "a" * 300 * 1024}), 413),
    "a 300 KB body sent chunked": (_chunked_big, 413),
    "JSON nested 100,000 deep": (lambda h: h.call("POST", "/v1/check", data=_nested(100_000),
                                                  headers={"Content-Type": "application/json"}), 400),
    "JSON nested 33 deep": (lambda h: h.call("POST", "/v1/check", data=_nested(33),
                                             headers={"Content-Type": "application/json"}), 400),
    "not JSON": (lambda h: h.call("POST", "/v1/check", data=b"{'site': 'x'",
                                  headers={"Content-Type": "application/json"}), 400),
    "not UTF-8": (lambda h: h.call("POST", "/v1/check", data=b'{"text": "\xff\xfe"}',
                                   headers={"Content-Type": "application/json"}), 400),
    "a JSON list, not an object": (lambda h: h.call("POST", "/v1/check", json=[DRAFT]), 400),
    # Pairing.
    "pairing from a web origin": (lambda h: h.call("POST", "/v1/pair", origin=WEB, token=None,
                                                   json={"code": clients.new_pairing_code().code}), 403),
    "pairing with no origin": (lambda h: h.call("POST", "/v1/pair", origin=None, token=None,
                                                json={"code": clients.new_pairing_code().code}), 403),
    "a spent code": (_spent_code, 403),
    "an expired code": (_expired_code, 403),
    "the sixth wrong code": (_sixth_wrong_code, 403),
    "the right code after five wrong ones": (_right_code_after_five_wrong, 403),
    "a pairing code that is not 6 digits": (lambda h: h.call("POST", "/v1/pair", token=None,
                                                             json={"code": "12345678"}), 400),
    # The debugger and other routes that do not exist.
    "the debugger console": (lambda h: h.call("GET", "/console", origin=None, token=None), 403),
    "the debugger console from the extension": (lambda h: h.call("GET", "/console"), 404),
    "a debugger command": (lambda h: h.call("GET", "/v1/health?__debugger__=yes&cmd=print(1)&frm=0&s=x",
                                            origin=None, token=None, host=f"evil.example:{h.port}"), 403),
    "a debugger resource from the extension": (
        lambda h: h.call("GET", "/?__debugger__=yes&cmd=resource&f=debugger.js"), 404),
}


def _assert_generic_refusal(response, helper: Helper) -> None:
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.text[:200]
    error = response.json()["error"]
    assert set(error) == {"code", "message"} and error["message"]
    text = response.text
    for leak in ("Traceback", "File \"", "Werkzeug", "werkzeug", "__debugger__", "Debugger"):
        assert leak not in text
    assert helper.token not in text
    allowed = response.headers.get("Access-Control-Allow-Origin")
    assert allowed in (None, CHROME), f"CORS grant to {allowed!r}"
    assert "Origin" in response.headers.get("Vary", "")


@pytest.mark.parametrize("case", list(ABUSE), ids=list(ABUSE))
def test_abuse_is_refused(helper, case):
    attempt, expected = ABUSE[case]
    response = attempt(helper)
    if isinstance(response, int):
        assert response == expected
    else:
        assert response.status_code == expected, f"{case}: {response.status_code} {response.text[:300]}"
        if case != "extension token on the settings API":
            _assert_generic_refusal(response, helper)
    # The extension is still served afterwards (unless the case itself revoked it).
    if case != "revoked token":
        assert helper.call("POST", "/v1/settings", json={}).status_code == 200


def test_there_are_at_least_25_abuse_cases():
    assert len(ABUSE) >= 25


def test_web_page_reading_health_gets_no_cors_grant(helper):
    r = helper.call("GET", "/v1/health", origin=WEB, token=None)
    assert r.status_code == 200
    assert "Access-Control-Allow-Origin" not in r.headers
    assert r.headers["Vary"] == "Origin"


def test_extension_preflight_is_answered_with_its_own_origin_only(helper):
    r = helper.call("OPTIONS", "/v1/check", token=None,
                    headers={"Access-Control-Request-Method": "POST",
                             "Access-Control-Request-Headers": "authorization,content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == CHROME
    assert "Origin" in r.headers["Vary"]
    assert "authorization" in r.headers["Access-Control-Allow-Headers"].lower()
    assert "*" not in "".join(r.headers.values())


def test_wrong_tokens_never_lock_out_the_right_one(served):
    """Another program can send any number of wrong tokens with the extension's origin; the real one
    still works (a 256-bit token needs no lockout, and a count per origin would be a lockout)."""
    h = served()
    h.token = h.pair()
    statuses = {h.call("POST", "/v1/check", token=f"{'B' * 42}{i % 10}", json=DRAFT).status_code for i in range(40)}
    assert statuses == {401}
    assert h.call("POST", "/v1/check", json=DRAFT).status_code == 200


def test_wrong_pairing_codes_with_any_origin_never_get_a_rate_limit(served):
    h = served()
    for _ in range(12):
        code = clients.new_pairing_code().code
        wrong = f"{(int(code) + 7) % 1_000_000:06d}"
        assert h.call("POST", "/v1/pair", token=None, json={"code": wrong}).status_code == 403
    good = clients.new_pairing_code().code
    r = h.call("POST", "/v1/pair", token=None, json={"code": good})
    assert r.status_code == 200 and r.json()["token"]


def test_the_helper_proves_it_holds_the_pairing_secret_for_its_own_port(served):
    import hashlib
    import hmac
    h = served()
    r = h.call("POST", "/v1/pair", token=None, json={"code": clients.new_pairing_code().code})
    paired = r.json()
    nonce = "ab" * 16
    proof = h.call("POST", "/v1/prove", token=None, json={"client_id": paired["client_id"], "nonce": nonce})
    assert proof.status_code == 200
    wanted = hmac.new(bytes.fromhex(paired["proof_key"]), f"onrecord-prove-v1:{nonce}:{h.port}".encode(),
                      hashlib.sha256).hexdigest()
    assert proof.json()["proof"] == wanted
    # Another port's answer differs: a program on another port cannot pass the helper's answer on.
    assert clients.proof(paired["proof_key"], nonce, h.port + 1) != wanted
    unknown = h.call("POST", "/v1/prove", token=None, json={"client_id": paired["client_id"] + 99, "nonce": nonce})
    assert unknown.status_code == 401
    bad = h.call("POST", "/v1/prove", token=None, json={"client_id": paired["client_id"], "nonce": "x"})
    assert bad.status_code == 400 and "nonce" in bad.json()["error"]["message"]


def test_refusals_happen_before_the_body_is_read(helper):
    """A web origin's huge body is refused for its origin (403), not parsed or sized (413)."""
    r = helper.call("POST", "/v1/check", origin=WEB, json={**DRAFT, "text": "a" * 300 * 1024})
    assert r.status_code == 403


def test_every_abuse_case_against_a_real_onrecord_run(spawn):
    """The same table against `onrecord run` in its own process, paired the way the extension pairs."""
    hp = spawn()
    h = Helper(hp.url, hp.port, hp.home, app=None)
    h.token = h.pair()
    refused = {}
    for case, (attempt, expected) in ABUSE.items():
        response = attempt(h)
        status = response if isinstance(response, int) else response.status_code
        if status != expected:
            refused[case] = status
        elif not isinstance(response, int) and case != "extension token on the settings API":
            _assert_generic_refusal(response, h)
        if h.call("POST", "/v1/settings", json={}).status_code != 200:
            h.token = h.pair()  # the case revoked or spent what it had: pair again, as the user would
    assert not refused, f"cases answered otherwise by the real helper: {refused}"
    r = h.call("POST", "/v1/check", json=DRAFT)
    assert r.status_code == 200 and r.json()["account"]["channel"] == "personal"
    assert hp.stop() == 0
