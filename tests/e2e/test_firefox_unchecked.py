"""When the helper cannot check a draft, in real Firefox ESR over WebDriver BiDi (the Chromium flow is
test_unchecked.py): the extension is installed as a temporary add-on, paired through its popup with a real
helper, and "hold posts when OnRecord cannot check" turned on in its options page; then the helper is
stopped. The site's Post button is held, with the hold dialog, until the user posts anyway with a reason;
the reason (never the draft) is kept by the extension and, once the helper has been started again on its
port, recorded once in its activity log. Driven by tests/e2e/firefox/flow.mjs (scenario "unchecked"),
which pauses for the test to stop and start the helper."""

from __future__ import annotations

import json
import re

import pytest
from firefox_driver import require_firefox, run_driver
from site_flow import WORK, _harness, write_profile
from test_real_editors import PAGES

REASON = "Cleared by phone with Helen Ward"
LATER = "Lemon drizzle for the team on Friday."
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def firefox_unchecked(site_server, tmp_path_factory):
    """Runs the unchecked path once on X (Draft.js) in Firefox; what it saw, and the helper."""
    require_firefox()
    harness = _harness()
    helper = harness.start_helper(tmp_path_factory, str(write_profile(tmp_path_factory.mktemp("profile"))))
    steps = {"stop-helper": helper.stop, "start-helper": helper.start}
    try:
        spec = next(p for p in PAGES if p.site == "x")
        result = run_driver(site_server, [(spec, False)], home=tmp_path_factory.mktemp("firefox-home"),
                            helperPort=helper.port, pairCode=helper.pair_code(), scenario="unchecked",
                            holdWhenUnchecked=True, reason=REASON, later=LATER, on_pause=lambda step: steps[step](),
                            explain=lambda: f"helper log: {helper.log.read_text(errors='replace')[-1500:]}")
        assert "Connected and paired" in result["paired"], result["paired"]
        yield result["pages"][0], helper
    finally:
        helper.stop()


def test_an_unchecked_post_is_held_in_firefox_until_it_is_sent_with_a_reason(firefox_unchecked):
    seen, _ = firefox_unchecked
    failed = f"(the driver stopped at: {seen['error']})" if seen.get("error") else ""
    line = seen.get("holdLine") or {}
    assert line.get("severity") == "warn" and "Not checked" in (line.get("title") or ""), f"{line} {failed}"
    assert "was not checked" in seen["notice"], seen["notice"]
    assert seen.get("held"), f"no hold dialog when posting a draft OnRecord could not check {failed}"
    assert seen.get("postedWhileHeld") == [], f"the site's own post action ran although the post was held {failed}"
    assert not failed, failed
    assert not seen["holdAfterReason"], "the hold dialog stayed after the reason was given"
    assert [p["text"] for p in seen["posted"]] == [WORK], seen["posted"]
    assert "will be recorded in your activity log when OnRecord answers again" in seen["keptWhileAway"]
    kept = [d for d in seen["keptDecisions"] if d["decision"] == "overridden"]
    assert len(kept) == 1 and kept[0]["reason"] == REASON, seen["keptDecisions"]
    assert UUID.fullmatch(kept[0]["decision_id"]), kept[0]
    assert "commissioning" not in json.dumps(seen["keptDecisions"]), "the draft was kept with the decision"


def test_once_the_helper_is_back_the_reason_is_recorded_once_without_the_draft(firefox_unchecked):
    seen, helper = firefox_unchecked
    assert not seen.get("error"), seen.get("error")
    assert seen["checkedAgain"], "the helper was back but the next draft was not checked"
    assert seen["keptAfter"] == [], f"decisions still kept after the helper came back: {seen['keptAfter']}"
    audit = json.loads(helper.onrecord("audit", "show", "--json"))
    overrides = [e for e in audit if e["decision"] == "overridden"]
    assert len(overrides) == 1, f"the override is not in the activity log once: {audit}"
    event = overrides[0]
    assert event["reason"] == REASON
    assert event["rule_ids"] == ["onrecord.unchecked.hold"] and event["categories"] == ["permanence"]
    assert event["channel"] == "personal", "the profile's channel for the account"
    stored = b"".join(p.read_bytes() for p in helper.home.glob("audit.sqlite3*"))
    for words in (b"commissioning framework", b"Lemon drizzle"):
        assert words not in stored, f"draft text in the audit database: {words!r}"
