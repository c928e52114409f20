"""One place turns every error into ``{"error": {"code", "message"}}``: no stack trace, no debugger.

Unexpected exceptions are logged by type and stack frames only: an exception's message may quote its
input, and the input may be a draft.
"""

from __future__ import annotations

import logging
import traceback

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from onrecord.errors import OnRecordError

log = logging.getLogger("onrecord.server")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests"}


def _answer(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(OnRecordError)
    def domain_error(exc: OnRecordError):
        return _answer(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        # The standard short phrase only: werkzeug's descriptions can echo parts of the request.
        return _answer(status, _CODES.get(status, "error"), exc.name.lower() if exc.name else "error")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("internal error %s\n%s", type(exc).__name__, frames)
        return _answer(500, "internal", "internal error: the helper's log has the details")
