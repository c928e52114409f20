"""Which HTTP status each domain error gets: the one table, kept apart from Flask so that the native
messaging host (which answers with the same statuses) can use it without loading Flask."""

from __future__ import annotations

from onrecord import errors

# Most specific first: the first class the error is an instance of decides its status.
STATUS = (
    (errors.DiskFull, 507),
    (errors.Unavailable, 503),
    (errors.StorageError, 500),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.Unauthorized, 401),
    (errors.Refused, 403),
    (errors.OnRecordError, 400),
)


def status_for(exc: errors.OnRecordError) -> int:
    return next(status for kind, status in STATUS if isinstance(exc, kind))
