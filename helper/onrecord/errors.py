"""Typed errors raised by the domain.

The command line turns any of these into one line on standard error and exit status 2;
the HTTP layer turns them into ``{"error": {"code", "message"}}`` with the class's status.
"""


class OnRecordError(Exception):
    """Base class: ``code`` is a stable machine-readable id, the message is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class BadInput(OnRecordError):
    code = "bad_input"


class ProfileError(OnRecordError):
    code = "bad_profile"


class PackError(OnRecordError):
    code = "bad_pack"


class StorageError(OnRecordError):
    code = "storage"
    status = 500


class NotFound(OnRecordError):
    code = "not_found"
    status = 404


class KeyringUnavailable(OnRecordError):
    code = "no_secure_keyring"
    status = 503
