"""The ``/v1`` routes: each parses, calls ``HelperService`` and shapes the answer (docs/api.md lists them).

By the time a route runs, the guard has checked Host, Origin, the token and the body (``g.body``).
``g.rule_ids`` is what the access log may say about a check: rule ids, never text.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from onrecord import __version__
from onrecord.errors import BadInput, OnRecordError
from onrecord.service import HelperService
from onrecord.store.clients import PairingRefused

API_VERSION = 1

api = Blueprint("api", __name__, url_prefix="/v1")


def _service() -> HelperService:
    return current_app.extensions["onrecord_service"]


@api.get("/health")
def health():
    return jsonify({"app": "onrecord", "status": "ok", "version": __version__, "api": API_VERSION})


@api.post("/pair")
def pair():
    origin = request.headers["Origin"]
    try:
        answer = _service().pair(g.body, origin)
    except (PairingRefused, BadInput):
        current_app.extensions["onrecord_guard"].pairing_failed(origin)
        raise
    return jsonify(answer)


@api.post("/check")
def check():
    result = _service().check(g.body)
    g.rule_ids = [p.id for p in result.prompts]
    return jsonify(result.to_json())


@api.get("/account")
def account():
    return jsonify(_service().account(request.args.get("site"), request.args.get("handle")))


@api.post("/accounts")
def declare_account():
    return jsonify(_service().declare_account(g.body))


@api.post("/decisions")
def record_decision():
    return jsonify(_service().record_decision(g.body))


@api.get("/settings")
def extension_settings():
    return jsonify(_service().extension_settings())


def error_json(exc: OnRecordError):
    response = jsonify(exc.to_json())
    response.status_code = exc.status
    return response
