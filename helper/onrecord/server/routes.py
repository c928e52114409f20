"""The ``/v1`` routes: each parses the body into typed arguments (``onrecord.server.parse``), calls
``HelperService`` and shapes the answer (docs/api.md lists them). Errors are answered by
``onrecord.server.errors``.

By the time a route runs, the guard has checked Host, Origin, the token and the body (``g.body``).
``g.rule_ids`` is what the access log may say about a check: rule ids, never text.
"""

from __future__ import annotations


from flask import Blueprint, current_app, g, jsonify, request

from onrecord import __version__
from onrecord.server import parse
from onrecord.server.peer import AnotherUser, Peer, peer_of_request
from onrecord.service import HelperService

API_VERSION = 1

api = Blueprint("api", __name__, url_prefix="/v1")


def _service() -> HelperService:
    return current_app.extensions["onrecord_service"]


@api.get("/health")
def health():
    return jsonify({"app": "onrecord", "status": "ok", "version": __version__, "api": API_VERSION})


@api.post("/pair")
def pair():
    # Another user's code is refused unread, so it neither guesses this user's code nor uses up the wrong
    # tries that void it (on Linux and Windows such a connection was closed on accept already).
    if peer_of_request(request.environ, ("127.0.0.1", current_app.config["ONRECORD_PORT"])) is Peer.OTHER:
        raise AnotherUser("pairing is open only to the browsers of the person who runs this OnRecord, "
                          "and this request came from another user of this computer")
    return jsonify(_service().pair(parse.pairing_code(g.body), request.headers["Origin"]))


@api.post("/prove")
def prove():
    """The helper's proof that it holds the pairing's secret: asked before a token or a draft is sent."""
    client_id, nonce = parse.proof_request(g.body)
    return jsonify(_service().prove(client_id, nonce, current_app.config["ONRECORD_PORT"]))


@api.post("/check")
def check():
    service = _service()
    result, pack = service.check_with_pack(parse.check_request(g.body))
    g.rule_ids = [p.id for p in result.prompts]
    # The same bytes jsonify would give, from the JSON each prompt keeps: checks come on every pause in
    # typing, and most prompts are the same from one to the next.
    text = result.to_json_text()
    extra = service.answer_extra(pack)
    if extra:  # put in the answer's text, between "account" and "prompts" as sorted keys go, unread
        at = text.index(',"prompts":')  # the first is the top level's: a quote inside a text is escaped
        text = f"{text[:at]},{extra}{text[at:]}"
    return current_app.response_class(text + "\n", mimetype="application/json")



# Every route the extension calls with its token is POST: Chromium sends no Origin header on an
# extension's GET requests, and the guard needs the Origin to bind the token to its extension.

@api.post("/status")
def status():
    """Whether this token is paired (the guard has said so by now) and which helper answers it."""
    parse.no_fields(g.body)
    answer = {"paired": True, "client_id": g.client.id, "version": __version__, "api": API_VERSION}
    pack = _service().pack_report()
    if pack:
        answer["pack"] = pack
    return jsonify(answer)


@api.post("/account")
def account():
    return jsonify(_service().account(*parse.account_ref(g.body)))


@api.post("/accounts")
def declare_account():
    return jsonify(_service().declare_account(parse.account_declaration(g.body)))


@api.post("/accounts/list")
def declared_accounts():
    return jsonify({"accounts": _service().declared_accounts(parse.site_only(g.body))})


@api.post("/decisions")
def record_decision():
    return jsonify(_service().record_decision(parse.decision_request(g.body)))


@api.post("/settings")
def extension_settings():
    parse.no_fields(g.body)
    return jsonify(_service().extension_settings())
