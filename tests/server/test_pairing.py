"""Pairing a browser with the helper, and revoking it, the way the user does it."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import requests

from onrecord.store import clients

from .support import CHROME, DRAFT, FIREFOX, onrecord_cmd, onrecord_env


def test_pairing_lifecycle(served):
    h = served()
    assert clients.current_pairing_code() is None
    code = clients.new_pairing_code()
    assert len(code.code) == 6 and code.code.isdigit() and 110 <= code.seconds_left <= 120
    # The settings window shows the same code that was made elsewhere.
    assert clients.current_pairing_code() == code

    r = h.call("POST", "/v1/pair", token=None, json={"code": code.code})
    assert r.status_code == 200
    token = r.json()["token"]
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert clients.current_pairing_code() is None  # spent

    listed = clients.list_clients()
    assert [(c.origin, c.revoked) for c in listed] == [(CHROME, False)]
    assert h.call("POST", "/v1/check", token=token, json=DRAFT).status_code != 401

    # Only a keyed hash of the token is on disk.
    rows = sqlite3.connect(h.home / "clients.sqlite3").execute("SELECT token_hash FROM clients").fetchall()
    assert token not in json.dumps(rows) and rows[0][0] != token and len(rows[0][0]) == 64


def test_a_new_code_replaces_the_last(served):
    h = served()
    first = clients.new_pairing_code().code
    second = clients.new_pairing_code().code
    if first != second:
        assert h.call("POST", "/v1/pair", token=None, json={"code": first}).status_code == 403
    assert h.call("POST", "/v1/pair", token=None, json={"code": second}).status_code == 200


def test_a_code_works_from_firefox_and_binds_the_token_to_firefox(served):
    h = served()
    token = h.pair(origin=FIREFOX)
    assert h.call("POST", "/v1/settings", json={}, token=token, origin=FIREFOX).status_code == 200
    assert h.call("POST", "/v1/settings", json={}, token=token, origin=CHROME).status_code == 403


def test_a_code_given_as_a_number_pairs(served):
    h = served()
    code = clients.new_pairing_code().code
    r = h.call("POST", "/v1/pair", token=None, json={"code": int(code)})
    assert r.status_code == 200 and r.json()["token"]


def test_revoke_takes_effect_on_the_next_request(helper):
    assert helper.call("POST", "/v1/settings", json={}).status_code == 200
    client_id = clients.list_clients()[0].id
    out = subprocess.run(onrecord_cmd("clients", "revoke", str(client_id)), env=onrecord_env(helper.home),
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert f"Revoked browser {client_id}" in out.stdout
    r = helper.call("POST", "/v1/settings", json={})
    assert r.status_code == 401
    listed = subprocess.run(onrecord_cmd("clients", "--json"), env=onrecord_env(helper.home),
                            capture_output=True, text=True, timeout=30)
    assert json.loads(listed.stdout)[0]["revoked"] is True


def test_clients_lists_origin_paired_and_last_seen(helper):
    helper.pair(origin=FIREFOX)
    out = subprocess.run(onrecord_cmd("clients"), env=onrecord_env(helper.home), capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "ORIGIN", "PAIRED", "LAST", "SEEN", "STATE"]
    assert CHROME in lines[1] and FIREFOX in lines[2] and "active" in lines[2]
    listed = json.loads(subprocess.run(onrecord_cmd("clients", "--json"), env=onrecord_env(helper.home),
                                       capture_output=True, text=True, timeout=30).stdout)
    assert [c["origin"] for c in listed] == [CHROME, FIREFOX]
    assert all(c["paired_at"] and c["last_seen"] for c in listed)
    assert "token" not in json.dumps(listed)


def test_revoking_an_unknown_id_is_a_clear_error(helper):
    out = subprocess.run(onrecord_cmd("clients", "revoke", "99"), env=onrecord_env(helper.home),
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "99" in out.stderr and out.stderr.count("\n") == 1


def _pair_with(hp, origin: str) -> str:
    out = subprocess.run(onrecord_cmd("pair", "--json"), env=onrecord_env(hp.home), capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    r = requests.post(hp.url + "/v1/pair", json={"code": json.loads(out.stdout)["code"]}, headers={"Origin": origin},
                      timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _checker(hp):
    """``check(token, origin)``: the status of a check sent on one kept-alive connection to the helper."""
    session = requests.Session()

    def check(token, origin):
        return session.post(hp.url + "/v1/check", json=DRAFT, timeout=10,
                            headers={"Origin": origin, "Authorization": f"Bearer {token}"}).status_code
    return check


def test_the_helper_process_refuses_a_revoked_browser_on_its_very_next_request(spawn):
    # The helper keeps the paired browsers in memory: a revoke made by another process, between two
    # requests on one kept-alive connection, must still be the next request's answer.
    hp = spawn()
    check = _checker(hp)

    chrome = _pair_with(hp, CHROME)
    for _ in range(3):  # answered from memory after the first
        assert check(chrome, CHROME) == 200
    # A browser paired while the first is remembered works at once, and does not disturb the first.
    firefox = _pair_with(hp, FIREFOX)
    assert check(firefox, FIREFOX) == 200 and check(chrome, CHROME) == 200
    ids = {c.origin: c.id for c in clients.list_clients(home=hp.home)}
    out = subprocess.run(onrecord_cmd("clients", "revoke", str(ids[CHROME])), env=onrecord_env(hp.home),
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert check(chrome, CHROME) == 401
    assert check(firefox, FIREFOX) == 200  # only the revoked one
    # A third browser paired after the revoke works at once too.
    again = _pair_with(hp, CHROME)
    assert check(again, CHROME) == 200 and check(chrome, CHROME) == 401


def test_a_browser_paired_by_another_process_is_served_on_its_first_request(spawn):
    # A second helper (or anything else) sharing ONRECORD_HOME pairs a browser: this helper, which keeps
    # the paired browsers in memory and has answered from memory since, serves it on its first request.
    hp = spawn()
    check = _checker(hp)

    chrome = _pair_with(hp, CHROME)
    assert check(chrome, CHROME) == 200 and check(chrome, CHROME) == 200  # the second from memory
    # Paired here, in the test's own process, straight into the shared database.
    _, firefox = clients.redeem_pairing_code(clients.new_pairing_code(home=hp.home).code, FIREFOX, home=hp.home)
    assert check(firefox, FIREFOX) == 200
    assert check(chrome, CHROME) == 200


def test_a_clients_database_deleted_while_the_helper_runs_takes_every_pairing_with_it(helper):
    assert helper.call("POST", "/v1/settings", json={}).status_code == 200
    for path in helper.home.glob("clients.sqlite3*"):
        path.unlink()
    assert helper.call("POST", "/v1/settings", json={}).status_code == 401
    helper.token = helper.pair()  # and pairing again, into the new file, works at once
    assert helper.call("POST", "/v1/settings", json={}).status_code == 200
