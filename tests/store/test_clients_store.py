"""Pairing codes and paired clients in SQLite, with the keyed-hash key and the plain code in the keyring."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from onrecord.errors import NotFound
from onrecord.store import clients, secrets
from onrecord.store.clients import PairingRefused

ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def test_the_code_is_a_keyed_hash_on_disk_and_plain_only_in_the_keyring(keyring_home):
    code = clients.new_pairing_code()
    raw = (keyring_home / "clients.sqlite3").read_bytes()
    assert code.code.encode() not in raw
    assert secrets.get_secret("pairing-code") == code.code
    assert clients.current_pairing_code() == code


def test_redeeming_spends_the_code_and_stores_only_the_token_hash(keyring_home):
    code = clients.new_pairing_code().code
    client, token = clients.redeem_pairing_code(code, ORIGIN)
    assert client.origin == ORIGIN and not client.revoked
    assert secrets.get_secret("pairing-code") is None
    with pytest.raises(PairingRefused, match="no pairing code"):
        clients.redeem_pairing_code(code, ORIGIN)
    conn = sqlite3.connect(keyring_home / "clients.sqlite3")
    stored = conn.execute("SELECT token_hash FROM clients").fetchone()[0]
    assert token not in stored and len(stored) == 64
    for path in keyring_home.glob("clients.sqlite3*"):
        assert token.encode() not in path.read_bytes()
    assert clients.authenticate(token).id == client.id
    assert clients.authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert clients.authenticate("") is None


def test_the_fifth_wrong_code_voids_it(keyring_home):
    code = clients.new_pairing_code().code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for i in range(4):
        with pytest.raises(PairingRefused, match="^wrong pairing code$"):
            clients.redeem_pairing_code(wrong, ORIGIN)
    with pytest.raises(PairingRefused, match="no longer works"):
        clients.redeem_pairing_code(wrong, ORIGIN)
    assert clients.current_pairing_code() is None
    with pytest.raises(PairingRefused):
        clients.redeem_pairing_code(code, ORIGIN)
    assert clients.list_clients() == []


def test_an_expired_code_is_refused_and_not_shown(keyring_home):
    code = clients.new_pairing_code(ttl_seconds=1).code
    time.sleep(1.1)
    assert clients.current_pairing_code() is None
    with pytest.raises(PairingRefused, match="expired"):
        clients.redeem_pairing_code(code, ORIGIN)


def test_revoke_and_list(keyring_home):
    _, first = clients.redeem_pairing_code(clients.new_pairing_code().code, ORIGIN)
    _, second = clients.redeem_pairing_code(clients.new_pairing_code().code, "moz-extension://x")
    listed = clients.list_clients()
    assert [c.origin for c in listed] == [ORIGIN, "moz-extension://x"]
    revoked = clients.revoke(listed[0].id)
    assert revoked.revoked and revoked.revoked_at
    assert clients.authenticate(first) is None
    assert clients.authenticate(second) is not None
    assert [c.origin for c in clients.list_clients(include_revoked=False)] == ["moz-extension://x"]
    assert clients.revoke(listed[0].id).revoked_at == revoked.revoked_at  # twice is harmless
    with pytest.raises(NotFound, match="42"):
        clients.revoke(42)


def test_each_data_folder_has_its_own_key(keyring_home, tmp_path):
    other = tmp_path / "other-home"
    other.mkdir()
    _, token = clients.redeem_pairing_code(clients.new_pairing_code().code, ORIGIN)
    clients.redeem_pairing_code(clients.new_pairing_code(home=other).code, ORIGIN, home=other)
    assert clients.authenticate(token, home=other) is None
    assert secrets.get_or_create_key("token-key") != secrets.get_or_create_key("token-key", home=other)


def test_a_revoke_by_another_process_is_seen_by_the_next_authenticate(keyring_home):
    store = clients.ClientStore()  # the helper's own, which keeps the live clients in memory
    _, token = clients.redeem_pairing_code(clients.new_pairing_code().code, ORIGIN)
    assert store.authenticate(token) is not None
    assert store.authenticate(token) is not None  # from memory now
    code = ("import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('UPDATE clients SET revoked_at = ?', (time.time(),)); c.commit(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(keyring_home / "clients.sqlite3")], check=True, timeout=30)
    assert store.authenticate(token) is None


def test_memory_keeps_keyed_hashes_never_tokens(keyring_home):
    store = clients.ClientStore()  # the helper's own, which keeps the live clients in memory
    _, token = clients.redeem_pairing_code(clients.new_pairing_code().code, ORIGIN)
    client = store.authenticate(token)
    assert client is not None
    assert token not in repr(client) and not hasattr(client, "token")
    # Everything the kept view holds of the paired browsers: their hashes and who they are.
    held = [value for view in [store._live] for value in vars(view).values()]
    assert token not in repr(held)
    assert clients._digest(token, None) in repr(held)


def test_a_token_matched_before_vouches_for_no_other(keyring_home):
    store = clients.ClientStore()  # the helper's own, which keeps the live clients in memory
    _, token = clients.redeem_pairing_code(clients.new_pairing_code().code, ORIGIN)
    assert store.authenticate(token) is not None  # matched: remembered by its hash
    for wrong in (token[:-1], token + "A", token.upper(), token[1:] + token[0]):
        assert store.authenticate(wrong) is None
    assert store.authenticate(token) is not None
