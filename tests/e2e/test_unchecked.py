"""When the helper cannot check a draft, in real Chromium with the real extension and a real helper that is
stopped and started again under the test (the HTTP way, after pairing; no native host is registered in
this browser profile).

By default the card says the draft was not checked and the post goes. With "hold posts when OnRecord
cannot check" turned on in the options page, the post is held until it is sent with a reason; the reason
(never the draft) is kept by the extension and, once the helper answers again, recorded in its activity
log as an override, at the time it was made. The unchecked card names only the user's own policy pack.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from site_flow import _harness
from test_card import assert_axe_clean
from test_site_x import HOME, POST, type_draft

Helper, free_port, launch = _harness().Helper, _harness().free_port, _harness().launch
PROFILES = _harness().PROFILES

EDITOR = '[data-testid="tweetTextarea_0"]'
OFFLINE_DRAFT = "Our wellbeing boards guidance is out today at the Department of Health, do share it."
HELD_DRAFT = "Draft figures for the wellbeing boards review, before the minister sees them."
REASON = "Cleared by phone with Sam Patel"


def background(browser):
    return browser.context.service_workers[0]


def kept_decisions(browser) -> list:
    return background(browser).evaluate(
        "chrome.storage.local.get('pendingDecisions').then((got) => got.pendingDecisions || [])")


def audit(helper: Helper) -> list:
    return json.loads(helper.onrecord("audit", "show", "--json"))


def test_an_unchecked_draft_posts_with_a_note_or_is_held_until_sent_with_a_reason_that_reaches_the_audit(
        playwright_instance, site_server, tmp_path, failure_shot):
    helper = Helper(home=tmp_path / "home", port=free_port(), profile=PROFILES / "dh-amy.yaml")
    helper.home.mkdir()
    helper.start()
    browser = launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    try:
        browser.set_options(helper_port=helper.port)
        browser.pair(helper)
        helper.stop()

        # By default: the card says the draft was not checked, names no organisation's policy, and the post goes.
        page = browser.open("x", HOME)
        failure_shot(page)
        type_draft(page, OFFLINE_DRAFT)
        card = page.locator('[data-onrecord="card"]')
        expect(card.locator('[data-onrecord="notice"]')).to_contain_text("was not checked", timeout=20000)
        reminder = card.locator('[data-onrecord-rule="onrecord.permanence.offline"]')
        expect(reminder).to_have_attribute("data-onrecord-severity", "info")
        card.get_by_role("button", name="Show reminder").click()
        expect(reminder).to_contain_text("Source: Your organisation's social media policy")
        assert "NHS England" not in card.inner_text()
        page.locator(POST).click()
        page.wait_for_function("window.__posted.length === 1")
        expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)

        # The user turns holding on in the options page.
        options = browser.context.new_page()
        options.goto(browser.extension_url("options/options.html"))
        hold_option = options.locator('[data-onrecord="hold-when-unchecked"]')
        expect(hold_option).to_be_enabled()
        hold_option.check()
        options.click('[data-onrecord-action="save-options"]')
        expect(options.locator("#saved")).to_contain_text("Saved")
        assert_axe_clean(options, "html", "options with holding on")
        options.close()

        # Held, with a clear explanation; sent with a reason, focus back in the editor.
        page = browser.open("x", HOME)
        failure_shot(page)
        type_draft(page, HELD_DRAFT)
        card = page.locator('[data-onrecord="card"]')
        line = card.locator('[data-onrecord-rule="onrecord.unchecked.hold"]')
        expect(line).to_have_attribute("data-onrecord-severity", "warn", timeout=20000)
        expect(line.locator("h3")).to_have_text("Warning Not checked")
        assert_axe_clean(page, '[data-onrecord="card"]', "not checked, held")
        page.locator(POST).click()
        expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
        assert page.evaluate("window.__posted.length") == 0, "the unchecked post went out"
        assert_axe_clean(page, '[data-onrecord="hold"]', "an unchecked post held")
        line.get_by_role("button", name="Why? Not checked").click()
        expect(line).to_contain_text("OnRecord could not check this draft. You asked for posts to be held")
        line.locator('[data-onrecord-action="override"]').click()
        reason = card.locator('[data-onrecord="override-reason"]')
        expect(reason).to_be_focused()
        assert_axe_clean(page, '[data-onrecord="card"]', "not checked, asking for a reason")
        reason.fill(REASON)
        reason.press("Enter")
        expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)
        assert page.evaluate("document.activeElement.closest('[data-testid=\"tweetTextarea_0\"]') !== null"), \
            "focus did not go back to the editor"
        page.locator(POST).click()
        page.wait_for_function("window.__posted.length === 1")

        kept = []
        for _ in range(100):  # kept once the background has found no helper to send it to
            kept = [d for d in kept_decisions(browser) if d["decision"] == "overridden"]
            if kept:
                break
            page.wait_for_timeout(200)
        assert len(kept) == 1 and kept[0]["reason"] == REASON and kept[0]["rule_ids"] == ["onrecord.unchecked.hold"]
        # Its own id, made when the user decided, so that a repeat after a lost answer is recorded once.
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", kept[0]["decision_id"])
        assert "wellbeing" not in json.dumps(kept_decisions(browser)), "the draft was kept with the decision"
        popup = browser.context.new_page()
        popup.goto(browser.extension_url("popup/popup.html"))
        expect(popup.locator('[data-onrecord="kept"]')).to_contain_text(
            "will be recorded in your activity log when OnRecord answers again", timeout=15000)
        popup.close()

        # The helper is back: the next check sends what was kept, and the override is in its activity log.
        helper.start()
        page = browser.open("x", HOME)
        failure_shot(page)
        type_draft(page, "Lemon drizzle for the team on Friday.")
        card = page.locator('[data-onrecord="card"]')
        # The card says which pack checked the draft.
        expect(card.locator('[data-onrecord="pack"]')).to_have_text("Policy: dh (built in)", timeout=20000)
        assert_axe_clean(page, '[data-onrecord="card"]', "the pack in the header")
        overrides = []
        for _ in range(50):
            overrides = [e for e in audit(helper) if e["decision"] == "overridden"]
            if overrides:
                break
            page.wait_for_timeout(200)
        assert len(overrides) == 1, f"no override in the audit: {audit(helper)}"
        event = overrides[0]
        assert event["reason"] == REASON
        assert event["rule_ids"] == ["onrecord.unchecked.hold"] and event["categories"] == ["permanence"]
        assert event["channel"] == "personal", "the profile's channel for the account"
        assert kept_decisions(browser) == []
        stored = b"".join(p.read_bytes() for p in helper.home.glob("audit.sqlite3*"))
        for words in (b"wellbeing boards", b"minister sees", b"Lemon drizzle"):
            assert words not in stored, f"draft text in the audit database: {words!r}"

        # Stopped again: the unchecked card names the user's own pack (DH), and no other organisation's.
        helper.stop()
        page = browser.open("x", HOME)
        failure_shot(page)
        type_draft(page, OFFLINE_DRAFT)
        card = page.locator('[data-onrecord="card"]')
        line = card.locator('[data-onrecord-rule="onrecord.unchecked.hold"]')
        line.get_by_role("button", name="Why? Not checked").click(timeout=20000)
        expect(line).to_contain_text("Source: Department of Health")
        assert "NHS England" not in card.inner_text()
    finally:
        helper.stop()
        browser.close()
