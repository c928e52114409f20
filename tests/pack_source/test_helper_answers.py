"""The running helper over HTTP: a check uses the signed pack fetched from the organisation's server, and its
answer (and the popup's status) says which pack and version is in force and when it was last confirmed."""

from __future__ import annotations

import json

from signed_packs import pack_text, publish
from server.support import CHROME

from onrecord.managed import ManagedReader

DRAFT = {"site": "x", "account": "@amyclarke", "text": "Excited that Project Lighthouse opens next month!"}


def test_checks_over_http_use_the_fetched_pack_and_say_which(served, tls, keys, web, tmp_path):
    url = publish(web, keys["current"], pack_text(4))
    managed = tmp_path / "managed"  # as /etc/onrecord/managed.json would say it
    managed.mkdir()
    (managed / "managed.json").write_text(json.dumps({"policyPack": url,
                                                      "packSigningKeys": [keys["current"].public_line]}))
    helper = served({"MANAGED": ManagedReader(managed), "PACK_CAFILE": str(tls["ca"])})
    helper.token = helper.pair(CHROME)
    before = helper.call("POST", "/v1/check", json=DRAFT).json()
    assert before["pack"]["signature"] == "none" and before["pack"]["url"] == url
    assert "acme.confidential.unannounced" not in [p["id"] for p in before["prompts"]]

    outcome = helper.app.extensions["onrecord_service"].refresh_pack()  # what the helper does at start
    assert outcome.accepted, outcome.message
    body = helper.call("POST", "/v1/check", json=DRAFT).json()
    prompt = next(p for p in body["prompts"] if p["id"] == "acme.confidential.unannounced")
    assert "Acme pack version 4:" in prompt["message"]
    assert body["pack"]["id"] == "acme" and body["pack"]["version"] == 4 and body["pack"]["signature"] == "verified"
    assert body["pack"]["last_confirmed"].endswith("Z")
    status = helper.call("POST", "/v1/status", json={}).json()
    assert status["pack"]["version"] == 4 and status["pack"]["signature"] == "verified"


def test_a_helper_without_a_pack_url_names_its_built_in_pack_and_claims_no_signature(helper):
    body = helper.call("POST", "/v1/check", json={**DRAFT, "account": "@amyclarke"}).json()
    assert body["pack"]["source"] == "built-in" and body["pack"]["id"]
    assert "signature" not in body["pack"] and "last_confirmed" not in body["pack"]
    assert "pack" not in helper.call("POST", "/v1/status", json={}).json()
