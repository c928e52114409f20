"""The ``/v1`` routes: each parses, calls ``HelperService`` and shapes the answer (docs/api.md lists them).

By the time a route runs, the guard has checked Host, Origin, the token and the body (``g.body``).
``g.rule_ids`` is what the access log may say about a check: rule ids, never text.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from onrecord import __version__
from onrecord.errors import OnRecordError
from onrecord.service import HelperService, fields

API_VERSION = 1

api = Blueprint("api", __name__, url_prefix="/v1")


def _service() -> HelperService:
    return current_app.extensions["onrecord_service"]


@api.get("/health")
def health():
    return jsonify({"app": "onrecord", "status": "ok", "version": __version__, "api": API_VERSION})


@api.post("/pair")
def pair():
    return jsonify(_service().pair(g.body, request.headers["Origin"]))


@api.post("/prove")
def prove():
    """The helper's proof that it holds the pairing's secret: asked before a token or a draft is sent."""
    return jsonify(_service().prove(g.body, current_app.config["ONRECORD_PORT"]))


@api.post("/check")
def check():
    result = _service().check(g.body)
    g.rule_ids = [p.id for p in result.prompts]
    # The same bytes jsonify would give, from the JSON each prompt keeps: checks come on every pause in
    # typing, and most prompts are the same from one to the next.
    return current_app.response_class(result.to_json_text() + "\n", mimetype="application/json")


# Every route the extension calls with its token is POST: Chromium sends no Origin header on an
# extension's GET requests, and the guard needs the Origin to bind the token to its extension.

@api.post("/status")
def status():
    """Whether this token is paired (the guard has said so by now) and which helper answers it."""
    fields(g.body, ())
    return jsonify({"paired": True, "client_id": g.client.id, "version": __version__, "api": API_VERSION})


@api.post("/account")
def account():
    fields(g.body, ("site", "handle"))
    return jsonify(_service().account(g.body["site"], g.body["handle"]))


@api.post("/accounts")
def declare_account():
    return jsonify(_service().declare_account(g.body))


@api.post("/accounts/list")
def declared_accounts():
    fields(g.body, ("site",))
    return jsonify({"accounts": _service().declared_accounts(g.body["site"])})


@api.post("/decisions")
def record_decision():
    return jsonify(_service().record_decision(g.body))


@api.post("/settings")
def extension_settings():
    fields(g.body, ())
    return jsonify(_service().extension_settings())


def error_json(exc: OnRecordError):
    response = jsonify(exc.to_json())
    response.status_code = exc.status
    return response
