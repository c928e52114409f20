"""Secrets in the operating system's keyring: the only module that imports ``keyring``.

OnRecord keeps two kinds of secret there: the key that turns pairing tokens into the keyed hashes
stored on disk, and the pairing code of the moment (so the settings window can show the code that
``onrecord pair`` made in another process). Names are scoped to the data folder, so two helpers with
different ``ONRECORD_HOME`` never share a key.

A backend that is not secure (the ``fail`` and ``null`` backends, the plaintext and file backends of
``keyrings.alt``, or a chain with nothing in it) is refused with a plain message on how to get a secure
one; OnRecord never falls back to a plaintext file.
"""

from __future__ import annotations

import hashlib
import secrets as _random
import sys
import threading
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import chainer

from onrecord.errors import KeyringUnavailable
from onrecord.store.database import data_folder

SERVICE = "OnRecord"

# Module prefixes of backends that do not keep secrets safe: they either store nothing, refuse
# everything, or write them to a file in the clear (or under a key kept next to them).
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

def how_to_get_one() -> str:
    """What the user can do on this platform to get a secure keyring."""
    if sys.platform.startswith("linux"):
        return ("install gnome-keyring (Debian and Ubuntu: sudo apt install gnome-keyring) or KWallet, "
                "and start OnRecord from a desktop session where it is unlocked")
    if sys.platform == "darwin":
        return "OnRecord uses the macOS Keychain: sign in to a user session so the login keychain is unlocked"
    if sys.platform == "win32":
        return "OnRecord uses the Windows Credential Manager: sign in to a Windows user session"
    return "install a Secret Service keyring such as gnome-keyring or KWallet"


def _backends(backend) -> list:
    if isinstance(backend, chainer.ChainerBackend):
        return list(backend.backends)
    return [backend]


def backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def require_secure_backend() -> None:
    """Raise ``KeyringUnavailable`` unless the keyring in use keeps secrets safe."""
    backend = keyring.get_keyring()
    usable = [b for b in _backends(backend) if not type(b).__module__.startswith(_INSECURE_MODULES)]
    if not usable:
        raise KeyringUnavailable(
            f"no secure keyring is available (the keyring in use is {backend_name()}). "
            f"OnRecord keeps its keys only in the system keyring, never in a plain file: {how_to_get_one()}."
        )


def _scope(home: Path | None) -> str:
    folder = Path(home).resolve() if home else data_folder()
    return hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:16]


def _username(name: str, home: Path | None) -> str:
    return f"{name}@{_scope(home)}"


def _unavailable(exc: Exception) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"the system keyring could not be used ({type(exc).__name__}: {exc}): {how_to_get_one()}."
    )


class Secrets:
    """The secrets of one data folder. ``get_or_create_key`` remembers a key for the life of the object
    (the helper's is made by the app factory), so the keyring is asked once, not on every request."""

    def __init__(self, home: Path | None = None):
        self.home = home
        self._lock = threading.Lock()
        self._keys: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """The secret called ``name`` for this data folder, or None when there is none."""
        require_secure_backend()
        try:
            return keyring.get_password(SERVICE, _username(name, self.home))
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None

    def set(self, name: str, value: str) -> None:
        require_secure_backend()
        try:
            keyring.set_password(SERVICE, _username(name, self.home), value)
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None
        self._keys.pop(name, None)

    def delete(self, name: str) -> None:
        """Remove the secret; removing one that is not there is not an error."""
        require_secure_backend()
        try:
            keyring.delete_password(SERVICE, _username(name, self.home))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None
        self._keys.pop(name, None)

    def get_or_create_key(self, name: str, nbytes: int = 32) -> bytes:
        """A random key kept in the keyring, made on first use."""
        with self._lock:
            if name not in self._keys:
                value = self.get(name)
                if not value:
                    value = _random.token_hex(nbytes)
                    self.set(name, value)
                self._keys[name] = value
            return bytes.fromhex(self._keys[name])


# For one-off use (the command line, the self-test): each call asks the keyring.

def get_secret(name: str, home: Path | None = None) -> str | None:
    return Secrets(home).get(name)


def set_secret(name: str, value: str, home: Path | None = None) -> None:
    Secrets(home).set(name, value)


def delete_secret(name: str, home: Path | None = None) -> None:
    Secrets(home).delete(name)


def get_or_create_key(name: str, home: Path | None = None, nbytes: int = 32) -> bytes:
    return Secrets(home).get_or_create_key(name, nbytes)
