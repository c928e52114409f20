"""Typed errors raised by the domain.

Each has a stable machine-readable ``code`` and a message for people; none knows about HTTP. The command
line turns any of them into one line on standard error and exit status 2; the HTTP edge
(``onrecord.server.errors``) is the one place that chooses a status for each and builds
``{"error": {"code", "message"}}``.
"""

import errno
import sqlite3


class OnRecordError(Exception):
    """Base class: ``code`` is a stable machine-readable id, the message is for people."""

    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadInput(OnRecordError):
    code = "bad_input"


class ProfileError(OnRecordError):
    code = "bad_profile"


class PackError(OnRecordError):
    code = "bad_pack"


class StorageError(OnRecordError):
    code = "storage"


class DiskFull(StorageError):
    """A write that could not happen because the disk (or the user's quota) is full. Nothing was changed."""

    code = "disk_full"


class NotFound(OnRecordError):
    code = "not_found"


class Conflict(OnRecordError):
    """The request is fine but the state it needs is not there (no saved profile yet, ...)."""

    code = "conflict"


class Refused(OnRecordError):
    """Understood, and refused: a wrong pairing code, ..."""

    code = "refused"


class Unauthorized(OnRecordError):
    """The caller is not (or no longer) known: a browser asking for a proof it was never paired for, ..."""

    code = "unauthorized"


class Unavailable(OnRecordError):
    """A part the request needs cannot be used now (the keyring, the activity log); trying later may work."""

    code = "unavailable"


class KeyringUnavailable(Unavailable):
    code = "no_secure_keyring"


_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


# SQLite says a full disk as SQLITE_FULL when a write needs a page, and as SQLITE_IOERR_SHMSIZE when a WAL
# database's shared-memory file cannot be given its first pages (opening one on a full disk).
_SQLITE_FULL_CODES = {sqlite3.SQLITE_FULL, getattr(sqlite3, "SQLITE_IOERR_SHMSIZE", 4874)}


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or quota) is full: an ``OSError``, or SQLite's word for it."""
    if isinstance(exc, DiskFull):
        return True
    if isinstance(exc, OSError):
        return exc.errno in _FULL_ERRNOS
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code in _SQLITE_FULL_CODES if code is not None else "disk is full" in str(exc)
    return False


def disk_full(what: str) -> DiskFull:
    return DiskFull(f"{what}: the disk is full. Free some space and try again; nothing was changed.")
