"""The /v1 routes as the paired extension uses them, over real HTTP."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
import struct
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from onrecord import __version__
from onrecord.nativehost import framing
from onrecord.nativehost.registration import STORE_IDS
from onrecord.policy.model import AccountInfo, CheckResult, Prompt
from onrecord.service import DecisionRequest
from onrecord.store import settings_store
from onrecord.store.audit import AuditLog

from .support import CHROME, CHROME_OTHER, DRAFT, PROFILES, onrecord_cmd, onrecord_env


def test_health_says_it_is_onrecord_without_credentials(served):
    h = served(profile=None)
    r = h.call("GET", "/v1/health", origin=None, token=None)
    assert r.status_code == 200
    assert r.json() == {"app": "onrecord", "status": "ok", "version": __version__, "api": 1}
    r = h.call("GET", "/v1/health", token=None)
    assert r.headers["Access-Control-Allow-Origin"] == CHROME


def test_status_tells_the_popup_it_is_paired(helper):
    r = helper.call("POST", "/v1/status", json={})
    assert r.status_code == 200
    assert r.json() == {"paired": True, "client_id": 1, "version": __version__, "api": 1}
    assert helper.call("POST", "/v1/status").json()["paired"] is True  # no body at all is {}
    assert helper.call("POST", "/v1/status", json={}, token=None).status_code == 401
    r = helper.call("POST", "/v1/status", json={"text": "anything"})
    assert r.status_code == 400 and "fields: none" in r.json()["error"]["message"]


def test_check_answers_the_contract_json(helper):
    r = helper.call("POST", "/v1/check", json=DRAFT)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["account"] == {"site": "x", "handle": "@amyclarke", "channel": "personal"}
    assert isinstance(body["prompts"], list)
    for prompt in body["prompts"]:
        assert {"id", "category", "severity", "message", "source"} <= set(prompt)
        assert prompt["link"].startswith("https://"), "the policy text is one click from the source"
    assert body["prompts"], "a personal post is reminded that it is public and permanent"
    assert r.headers["Access-Control-Allow-Origin"] == CHROME
    assert r.headers["Content-Type"] == "application/json"
    assert r.text == json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n"  # as every answer is


def test_check_says_which_pack_checked_the_draft(helper, onrecord_home):
    # The card's footer says which pack is in force: a built-in one by id and title.
    body = helper.call("POST", "/v1/check", json=DRAFT).json()
    assert body["pack"] == {"id": "dh", "source": "built-in",
                            "title": "Department of Health (official attributed content policy and Twitter guidance)"}
    # A pack file of the organisation's own, with the version it states.
    pack = onrecord_home / "acme.yaml"
    pack.write_text("id: acme\ntitle: Acme Trust social media policy\nextends: civil-service\nversion: 7\n",
                    encoding="utf-8")
    service = helper.app.extensions["onrecord_service"]
    service.save_profile(dataclasses.replace(service.profile(), policy_pack=str(pack)))
    r = helper.call("POST", "/v1/check", json=DRAFT)
    assert r.status_code == 200
    assert r.json()["pack"] == {"id": "acme", "title": "Acme Trust social media policy", "source": "file", "version": 7}
    assert r.text == json.dumps(r.json(), sort_keys=True, separators=(",", ":")) + "\n"


def test_a_profile_imported_by_another_process_checks_the_next_draft(helper):
    # The helper keeps what follows from the saved profile (the organisation's settings applied, the pack
    # and what the answer says of it) between checks; `onrecord profile import`, another process, must
    # still decide the very next check.
    before = helper.call("POST", "/v1/check", json=DRAFT).json()
    assert before["pack"]["id"] == "dh" and before["account"]["channel"] == "personal"
    out = subprocess.run(onrecord_cmd("profile", "import", str(PROFILES / "nhse-raj.yaml")),
                         env=onrecord_env(helper.home), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    after = helper.call("POST", "/v1/check", json=DRAFT)
    assert after.status_code == 200, after.text
    assert after.json()["pack"] == {"id": "nhs-england", "source": "built-in",
                                    "title": after.json()["pack"]["title"]}
    assert "NHS England" in after.json()["pack"]["title"]
    assert after.json()["account"]["channel"] == "unknown"  # Raj's profile does not declare @amyclarke
    mine = helper.call("POST", "/v1/check", json={**DRAFT, "account": "@rajmehta"}).json()
    assert mine["account"] == {"site": "x", "handle": "@rajmehta", "channel": "personal"}


def test_check_of_an_undeclared_account_says_unknown(helper):
    r = helper.call("POST", "/v1/check", json={**DRAFT, "account": "@somebodyelse"})
    assert r.status_code == 200
    assert r.json()["account"]["channel"] == "unknown"


def test_bad_drafts_are_refused_naming_the_field(helper):
    r = helper.call("POST", "/v1/check", json={**DRAFT, "site": "myspace"})
    assert r.status_code == 400 and "site" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/check", json={**DRAFT, "colour": "red"})
    assert r.status_code == 400 and "colour" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/check", json={"site": "x", "text": "hello"})
    assert r.status_code == 400 and "account" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/check", json={**DRAFT, "text": "   "})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_input"


def test_without_a_profile_checks_go_on_and_declaring_says_to_set_one_up(served):
    h = served(profile=None)
    h.token = h.pair()
    r = h.call("POST", "/v1/check", json=DRAFT)
    assert r.status_code == 200, r.text
    assert r.json()["account"] == {"site": "x", "handle": "@amyclarke", "channel": "unknown"}
    r = h.call("POST", "/v1/account", json={"site": "x", "handle": "@amyclarke"})
    assert r.json()["profile"] is False and r.json()["account"]["channel"] == "unknown"
    r = h.call("POST", "/v1/accounts", json={"site": "x", "handle": "@amyclarke", "channel": "personal"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "no_profile" and "settings" in r.json()["error"]["message"]


def test_a_corrupt_profile_is_kept_aside_reported_and_checks_go_on(helper, caplog):
    (helper.home / "profile.yaml").write_text("name: [unclosed\n")
    r = helper.call("POST", "/v1/check", json=DRAFT)
    assert r.status_code == 200 and r.json()["account"]["channel"] == "unknown"
    aside = list(helper.home.glob("profile.yaml.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "name: [unclosed\n"
    assert "kept aside" in caplog.text and str(aside[0]) in caplog.text


def test_channel_badge_for_declared_and_undeclared_accounts(helper):
    r = helper.call("POST", "/v1/account", json={"site": "x", "handle": "x.com/AmyatDH"})
    assert r.status_code == 200
    assert r.json()["account"] == {"site": "x", "handle": "@AmyatDH", "channel": "official"}
    r = helper.call("POST", "/v1/account", json={"site": "mastodon", "handle": "@amyc@mastodon.social"})
    assert r.json()["account"]["channel"] == "personal" and r.json()["bio_has_disclaimer"] is True
    r = helper.call("POST", "/v1/account", json={"site": "x", "handle": "@nobody"})
    assert r.json()["account"]["channel"] == "unknown"
    r = helper.call("POST", "/v1/account", json={"site": "nowhere", "handle": "@nobody"})
    assert r.status_code == 400


def test_declaring_an_account_saves_it_in_the_profile(helper):
    r = helper.call("POST", "/v1/accounts", json={"site": "bluesky", "handle": "@amy.bsky.social", "channel": "personal",
                                                  "bio_has_disclaimer": True})
    assert r.status_code == 200, r.text
    saved = yaml.safe_load((helper.home / "profile.yaml").read_text())
    assert {"site": "bluesky", "handle": "@amy.bsky.social", "channel": "personal",
            "bio_has_disclaimer": True} in saved["accounts"]
    r = helper.call("POST", "/v1/check", json={**DRAFT, "site": "bluesky", "account": "amy.bsky.social"})
    assert r.json()["account"]["channel"] == "personal"
    # Declaring it again with another channel replaces it rather than adding a second one.
    helper.call("POST", "/v1/accounts", json={"site": "bluesky", "handle": "@amy.bsky.social", "channel": "official"})
    saved = yaml.safe_load((helper.home / "profile.yaml").read_text())
    assert [a["channel"] for a in saved["accounts"] if a["site"] == "bluesky"] == ["official"]
    r = helper.call("POST", "/v1/accounts", json={"site": "x", "handle": "@a", "channel": "secret"})
    assert r.status_code == 400 and "channel" in r.json()["error"]["message"]


def test_the_accounts_declared_for_a_site_are_listed(helper):
    r = helper.call("POST", "/v1/accounts/list", json={"site": "x"})
    assert r.status_code == 200, r.text
    assert r.json() == {"accounts": [
        {"site": "x", "handle": "@AmyatDH", "channel": "official", "bio_has_disclaimer": False},
        {"site": "x", "handle": "@amyclarke", "channel": "personal", "bio_has_disclaimer": False},
        {"site": "x", "handle": "@dhgovuk", "channel": "corporate", "bio_has_disclaimer": False}]}
    r = helper.call("POST", "/v1/accounts/list", json={"site": "mastodon"})
    assert r.json()["accounts"] == [{"site": "mastodon", "handle": "@amyc@mastodon.social", "channel": "personal",
                                     "bio_has_disclaimer": True}]
    assert helper.call("POST", "/v1/accounts/list", json={"site": "comments"}).json() == {"accounts": []}


def test_an_account_saved_in_the_profile_is_listed_without_being_seen_first(helper):
    """What the settings window saves (the profile file) is what the list says, with no request about it."""
    saved = yaml.safe_load((helper.home / "profile.yaml").read_text())
    saved["accounts"].append({"site": "comments", "handle": "Amy Clarke", "channel": "personal"})
    (helper.home / "profile.yaml").write_text(yaml.safe_dump(saved))
    r = helper.call("POST", "/v1/accounts/list", json={"site": "comments"})
    assert r.json()["accounts"] == [{"site": "comments", "handle": "Amy Clarke", "channel": "personal",
                                     "bio_has_disclaimer": False}]
    helper.call("POST", "/v1/accounts", json={"site": "comments", "handle": "DH Press Office", "channel": "corporate"})
    r = helper.call("POST", "/v1/accounts/list", json={"site": "comments"})
    assert [a["handle"] for a in r.json()["accounts"]] == ["Amy Clarke", "DH Press Office"]


def test_listing_accounts_refuses_a_bad_site_naming_it(helper):
    r = helper.call("POST", "/v1/accounts/list", json={"site": "myspace"})
    assert r.status_code == 400 and "'myspace'" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/accounts/list", json={})
    assert r.status_code == 400 and "site" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/accounts/list", json={"site": "x", "handle": "@amyclarke"})
    assert r.status_code == 400 and "handle" in r.json()["error"]["message"]


def test_listing_accounts_without_a_profile_lists_none(served):
    h = served(profile=None)
    h.token = h.pair()
    r = h.call("POST", "/v1/accounts/list", json={"site": "x"})
    assert r.status_code == 200 and r.json() == {"accounts": []}


def test_listing_accounts_needs_the_token_from_the_origin_it_was_paired_from(helper):
    assert helper.call("POST", "/v1/accounts/list", json={"site": "x"}, token=None).status_code == 401
    r = helper.call("POST", "/v1/accounts/list", json={"site": "x"}, origin=CHROME_OTHER)
    assert r.status_code == 403 and "accounts" not in r.json()
    assert helper.call("POST", "/v1/accounts/list", json={"site": "x"}, origin=None).status_code == 403
    assert helper.call("GET", "/v1/accounts/list").status_code == 405


def test_decisions_go_to_the_audit_log_without_draft_text(helper):
    r = helper.call("POST", "/v1/decisions", json={
        "site": "x", "account": "@AmyatDH", "channel": "personal", "rule_ids": ["dh.political.party"],
        "categories": ["political"], "decision": "overridden", "reason": "quoting the minister's public statement"})
    assert r.status_code == 200 and r.json() == {"ok": True, "recorded": True}
    events = AuditLog().query()
    assert len(events) == 1
    e = events[0]
    # The profile's channel wins over what the page claimed.
    assert (e.site, e.account, e.channel, e.decision) == ("x", "@AmyatDH", "official", "overridden")
    assert e.rule_ids == ("dh.political.party",) and e.categories == ("political",)
    assert e.reason == "quoting the minister's public statement"


def test_a_decision_sent_late_is_recorded_at_the_time_it_was_made(helper):
    # The extension keeps a decision made while the helper could not be reached, and sends it later.
    base = {"site": "x", "account": "@amyclarke", "decision": "overridden", "rule_ids": ["onrecord.unchecked.hold"],
            "categories": ["permanence"], "reason": "cleared by phone"}
    when = (datetime.now(timezone.utc) - timedelta(days=2)).replace(microsecond=0)
    r = helper.call("POST", "/v1/decisions", json={**base, "decided_at": when.isoformat().replace("+00:00", "Z")})
    assert r.status_code == 200 and r.json()["recorded"] is True, r.text
    (event,) = AuditLog().query()
    assert event.time == when.timestamp()
    assert event.reason == "cleared by phone" and event.rule_ids == ("onrecord.unchecked.hold",)
    for bad, said in (("2999-01-01T00:00:00Z", "in the future"), ("yesterday", "not an ISO 8601 time"),
                      ("2026-01-02T03:04:05", "offset from UTC"), (12, "expected an ISO 8601 time")):
        r = helper.call("POST", "/v1/decisions", json={**base, "decided_at": bad})
        assert r.status_code == 400 and said in r.json()["error"]["message"], (bad, r.text)


def test_a_decision_sent_again_with_its_id_is_recorded_once(helper):
    # The helper stored the decision but its answer was lost; the extension sends it again, same id.
    body = {"site": "x", "account": "@amyclarke", "decision": "overridden", "rule_ids": ["onrecord.unchecked.hold"],
            "categories": ["permanence"], "reason": "cleared by phone", "decided_at": "2026-12-01T10:00:00Z",
            "decision_id": "0b6e9f3c-5d2a-4c1e-9f7b-3a8d2e4c6b10"}
    first = helper.call("POST", "/v1/decisions", json=body)
    assert first.status_code == 200 and first.json() == {"ok": True, "recorded": True}, first.text
    again = helper.call("POST", "/v1/decisions", json=body)
    assert again.status_code == 200, again.text
    assert again.json() == {"ok": True, "recorded": True, "already_recorded": True}, "the extension must let it go"
    assert [(e.decision, e.reason) for e in AuditLog().query()] == [("overridden", "cleared by phone")]
    # Another decision, with its own id, is another event; decisions without an id (extensions from before
    # ids) are recorded every time they are sent.
    helper.call("POST", "/v1/decisions", json={**body, "decision_id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"})
    plain = {k: v for k, v in body.items() if k != "decision_id"}
    for _ in range(2):
        assert helper.call("POST", "/v1/decisions", json=plain).json() == {"ok": True, "recorded": True}
    assert len(AuditLog().query()) == 4
    for bad in ("short", "has spaces in it", "x" * 65, 12, "../../etc/passwd"):
        r = helper.call("POST", "/v1/decisions", json={**body, "decision_id": bad})
        assert r.status_code == 400 and "decision_id" in r.json()["error"]["message"], (bad, r.text)
    assert len(AuditLog().query()) == 4


def test_a_decision_taken_by_the_native_host_and_sent_again_over_http_is_recorded_once(helper):
    # The native host stored the decision but was stopped before its answer reached the extension, which
    # then sent it over HTTP to `onrecord run` on the same data folder.
    body = {"site": "x", "account": "@amyclarke", "decision": "posted", "decision_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"}
    raw = json.dumps({"id": 1, "path": "/v1/decisions", "body": body}).encode()
    host = subprocess.run([str(Path(sys.executable).parent / "onrecord-native-host"),
                           f"chrome-extension://{STORE_IDS['chromium'][0]}/"],
                          input=struct.pack("=I", len(raw)) + raw, capture_output=True, timeout=60)
    assert framing.read_message(io.BytesIO(host.stdout))["body"] == {"ok": True, "recorded": True}, host.stderr
    again = helper.call("POST", "/v1/decisions", json=body)
    assert again.json() == {"ok": True, "recorded": True, "already_recorded": True}, again.text
    assert [e.decision for e in AuditLog().query()] == ["posted"]


def test_an_override_reason_with_a_lone_surrogate_is_recorded_not_a_server_error(helper):
    # Valid JSON ("\\ud800" escaped), but not encodable as UTF-8: kept with U+FFFD in its place.
    body = '{"site": "x", "account": "@amyclarke\\udc00", "decision": "overridden", "categories": ["conduct"], ' \
           '"reason": "cleared \\ud800 by Sam"}'
    r = helper.call("POST", "/v1/decisions", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json() == {"ok": True, "recorded": True}, r.text
    (event,) = AuditLog().query()
    assert event.reason == "cleared \ufffd by Sam" and event.account == "@amyclarke\ufffd"
    r = helper.call("POST", "/v1/decisions", data=body.replace("overridden", "posted"),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["recorded"] is True, r.text


def test_an_override_needs_a_reason_and_decisions_are_named(helper):
    base = {"site": "x", "account": "@amyclarke", "categories": ["conduct"]}
    r = helper.call("POST", "/v1/decisions", json={**base, "decision": "overridden"})
    assert r.status_code == 400 and "reason" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/decisions", json={**base, "decision": "shrugged"})
    assert r.status_code == 400 and "decision" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/decisions", json={**base, "decision": "fixed", "categories": ["gossip"]})
    assert r.status_code == 400 and "gossip" in r.json()["error"]["message"]
    r = helper.call("POST", "/v1/decisions", json={**base, "decision": "fixed", "text": "the draft"})
    assert r.status_code == 400 and "text" in r.json()["error"]["message"]


def test_a_locked_audit_database_never_stops_checks(helper):
    AuditLog().query()  # make sure the file exists
    blocker = sqlite3.connect(helper.home / "audit.sqlite3", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        r = helper.call("POST", "/v1/check", json=DRAFT)
        assert r.status_code == 200
        r = helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "posted"})
        assert r.status_code == 200 and r.json() == {"ok": True, "recorded": False}
    finally:
        blocker.rollback()
        blocker.close()


def test_a_corrupt_audit_database_is_kept_aside_and_checks_go_on(helper):
    (helper.home / "audit.sqlite3").write_bytes(b"this is not a database" * 100)
    assert helper.call("POST", "/v1/check", json=DRAFT).status_code == 200
    r = helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "cancelled"})
    assert r.json()["recorded"] is True
    assert list(helper.home.glob("audit.sqlite3.corrupt-*"))


def test_extension_settings(helper):
    assert helper.call("POST", "/v1/settings", json={}).json() == {"reminder_frequency": "first_post_of_day"}
    settings_store.update({"reminder_frequency": "every_post"})
    assert helper.call("POST", "/v1/settings", json={}).json() == {"reminder_frequency": "every_post"}


# The permanence reminder on personal accounts follows reminder_frequency -----------------------------

PERMANENCE = Prompt("dh.permanence", "permanence", "info", "Posts are public and permanent.", "DH 3.1")
OTHER = Prompt("dh.political", "political", "warn", "Party politics.", "CS Code")


def _result(channel: str) -> CheckResult:
    return CheckResult(AccountInfo("x", "@amyclarke", channel), (PERMANENCE, OTHER))


def _categories(result: CheckResult) -> list[str]:
    return [p.category for p in result.prompts]


def test_first_post_of_day_reminds_a_personal_account_once_a_day(served):
    day = ["2026-11-20"]
    h = served({"TODAY": lambda: day[0]})
    service = h.app.extensions["onrecord_service"]
    assert _categories(service._apply_reminder_frequency(_result("personal"))) == ["permanence", "political"]
    service.record_decision(DecisionRequest("x", "@AmyClarke", "posted"))
    assert _categories(service._apply_reminder_frequency(_result("personal"))) == ["political"]
    # Official and corporate accounts are reminded on every post.
    assert "permanence" in _categories(service._apply_reminder_frequency(_result("official")))
    day[0] = "2026-11-21"
    assert "permanence" in _categories(service._apply_reminder_frequency(_result("personal")))


def test_every_post_and_never(served):
    h = served()
    service = h.app.extensions["onrecord_service"]
    service.record_decision(DecisionRequest("x", "@amyclarke", "posted"))
    settings_store.update({"reminder_frequency": "every_post"})
    assert "permanence" in _categories(service._apply_reminder_frequency(_result("personal")))
    settings_store.update({"reminder_frequency": "never"})
    assert "permanence" not in _categories(service._apply_reminder_frequency(_result("personal")))
    assert "permanence" in _categories(service._apply_reminder_frequency(_result("corporate")))


def test_reminder_state_holds_no_draft_text(helper):
    helper.call("POST", "/v1/check", json={**DRAFT, "text": "reminder-canary-7731 about my day"})
    helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "posted"})
    raw = b"".join(p.read_bytes() for p in helper.home.glob("audit.sqlite3*"))
    assert b"reminder-canary-7731" not in raw


def test_over_http_a_personal_account_is_reminded_once_a_day_and_official_every_time(helper):
    def categories(account):
        r = helper.call("POST", "/v1/check", json={**DRAFT, "account": account})
        assert r.status_code == 200, r.text
        return [p["category"] for p in r.json()["prompts"]]

    assert "permanence" in categories("@amyclarke")
    assert "permanence" in categories("@amyclarke")  # checking is not posting: still reminded
    helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "posted"})
    assert "permanence" not in categories("@amyclarke")
    assert "permanence" not in categories("x.com/AmyClarke")  # the same account, spelt another way
    helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@AmyatDH", "decision": "posted"})
    assert "permanence" in categories("@AmyatDH")


def test_declarations_at_the_same_time_are_all_kept(helper):
    import threading

    def declare(i):
        r = helper.call("POST", "/v1/accounts", json={"site": "blog", "handle": f"blog{i}.example", "channel": "personal"})
        assert r.status_code == 200
    threads = [threading.Thread(target=declare, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    saved = yaml.safe_load((helper.home / "profile.yaml").read_text())
    assert sorted(a["handle"] for a in saved["accounts"] if a["site"] == "blog") == \
        sorted(["amyclarke.blog"] + [f"blog{i}.example" for i in range(8)])


def test_a_changed_reminder_frequency_applies_to_the_next_check(helper):
    def reminded():
        r = helper.call("POST", "/v1/check", json=DRAFT)
        assert r.status_code == 200, r.text
        return "permanence" in [p["category"] for p in r.json()["prompts"]]

    helper.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "posted"})
    assert not reminded()  # first_post_of_day, and today's first post is done
    settings_store.update({"reminder_frequency": "every_post"})  # as the settings window saves it
    assert reminded()
    settings_store.update({"reminder_frequency": "first_post_of_day"})
    assert not reminded()


def test_check_names_the_words_that_set_each_prompt_off(helper):
    # CONTRACT section 3: spans in code points of the draft as sent; an emoji (two UTF-16 units, one code
    # point) before the number must not shift them.
    text = "\U0001F600 Her NHS number is 943 476 5919. Please don't share your address."
    r = helper.call("POST", "/v1/check", json={**DRAFT, "text": text})
    assert r.status_code == 200, r.text
    prompts = {p["category"]: p for p in r.json()["prompts"]}
    [span] = prompts["patient_data"]["matches"]
    assert text[span["start"]:span["end"]] == "943 476 5919"
    assert "\u201c943 476 5919\u201d" in prompts["patient_data"]["message"]
    assert "matches" not in prompts["permanence"]  # from the situation, not the words
    assert "personal_details" not in prompts  # asking people not to share is asking for nothing
    r = helper.call("POST", "/v1/check", json={**DRAFT, "context": "reply", "reply_to": "@sam_k",
                                                "reply_to_bio": "Health correspondent, The Times"})
    assert "media" in {p["category"] for p in r.json()["prompts"]}
