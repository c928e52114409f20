"""The store tests use the real keyring (scripts/with-keyring.sh) and real SQLite files in a temp folder."""

import pytest

from onrecord.store import secrets


@pytest.fixture
def keyring_home(onrecord_home):
    """A data folder, with a secure keyring required (failing, not skipping, without one)."""
    try:
        secrets.require_secure_backend()
    except Exception as exc:
        pytest.fail(f"these tests need a real keyring: run them inside `bash scripts/with-keyring.sh` ({exc})")
    return onrecord_home
