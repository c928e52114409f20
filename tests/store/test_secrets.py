"""Secrets in the real system keyring (gnome-keyring in the test session); insecure backends refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from onrecord.errors import KeyringUnavailable
from onrecord.store import secrets


def test_round_trip_in_the_real_keyring(keyring_home):
    assert "SecretService" in secrets.backend_name() or "macOS" in secrets.backend_name() \
        or "Windows" in secrets.backend_name()
    secrets.set_secret("probe", "value-1")
    assert secrets.get_secret("probe") == "value-1"
    secrets.delete_secret("probe")
    assert secrets.get_secret("probe") is None
    secrets.delete_secret("probe")  # deleting what is not there is fine


def test_keys_are_random_stable_and_scoped_to_the_data_folder(keyring_home, tmp_path):
    key = secrets.get_or_create_key("k")
    assert len(key) == 32 and secrets.get_or_create_key("k") == key
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert secrets.get_or_create_key("k", home=other) != key
    # Another process (the command line) reads the same key from the keyring.
    code = "from onrecord.store import secrets; print(secrets.get_or_create_key('k').hex())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == key.hex()


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"])
def test_insecure_backends_are_refused_with_how_to_get_a_secure_one(onrecord_home, backend):
    code = ("from onrecord.store import secrets\n"
            "try:\n    secrets.get_or_create_key('k')\nexcept Exception as e:\n    print(type(e).__name__, e.message)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                         env={**os.environ, "PYTHON_KEYRING_BACKEND": backend})
    assert out.stdout.startswith("KeyringUnavailable no secure keyring is available")
    assert backend.rsplit(".", 1)[0] in out.stdout
    if sys.platform.startswith("linux"):
        assert "install gnome-keyring" in out.stdout


def test_refusal_names_the_backend(monkeypatch):
    import keyring
    from keyring.backends import fail
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable, match="fail.Keyring"):
            secrets.require_secure_backend()
    finally:
        keyring.set_keyring(previous)
