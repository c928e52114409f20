"""The one place an error becomes an answer: ``{"error": {"code", "message"}}`` with an HTTP status.

The domain raises typed errors (``onrecord.errors``) that know nothing of HTTP; ``status_for`` chooses
the status here, at the edge. The guard's refusals and the settings pages' answers are built by
``error_response`` too. No stack trace and no debugger ever reach an answer.

Unexpected exceptions are logged by type and stack frames only: an exception's message may quote its
input, and the input may be a draft.
"""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from onrecord import errors
from onrecord.server.status import STATUS, status_for  # noqa: F401 (STATUS is part of this module's API)

log = logging.getLogger("onrecord.server")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests"}

def error_response(status: int, code: str, message: str, headers: dict | None = None,
                   fields: list | None = None) -> Response:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields  # the settings forms' messages, field by field
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def domain_error_response(exc: errors.OnRecordError) -> Response:
    return error_response(status_for(exc), exc.code, exc.message, fields=getattr(exc, "fields", None))


def install_error_handlers(app: Flask) -> None:
    app.register_error_handler(errors.OnRecordError, domain_error_response)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        # The standard short phrase only: werkzeug's descriptions can echo parts of the request.
        return error_response(status, _CODES.get(status, "error"), exc.name.lower() if exc.name else "error")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if errors.is_disk_full(exc):  # a write the store did not name: still the user's full disk
            log.error("disk full (%s)", type(exc).__name__)
            return domain_error_response(errors.disk_full("the change could not be saved"))
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("internal error %s\n%s", type(exc).__name__, frames)
        return error_response(500, "internal", "internal error: the helper's log has the details")
