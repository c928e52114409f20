"""LinkedIn in real Chromium with the real extension and a real helper. The saved feed's editors keep
their text in a Quill-like model reachable as container.__quill; its buttons record what they sent in
window.__posted."""

from __future__ import annotations

from playwright.sync_api import expect
from site_flow import WORK, held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)

SHARE_STATE = "document.querySelector('#share-quill').__quill.getText().replace(/\\n$/, '')"
COMMENT_STATE = "document.querySelector('#comment-quill').__quill.getText().replace(/\\n$/, '')"


def test_share_box_is_held_until_the_disclaimer_goes_in_through_quill(staff_browser, failure_shot):
    page = staff_browser.open("linkedin", "feed/")
    failure_shot(page)
    held_then_fixed(page, editor="#share-quill .ql-editor", post="button.share-actions__primary-action",
                    state=SHARE_STATE, channel="Personal · raj-mehta")
    assert posted(page)[0]["kind"] == "share"


def test_a_comment_is_held_too(staff_browser, failure_shot):
    page = staff_browser.open("linkedin", "feed/")
    failure_shot(page)
    held_then_fixed(page, editor="#comment-quill .ql-editor", post="#comment-quill >> xpath=ancestor::form//button[@type='submit']",
                    state=COMMENT_STATE, channel="Personal · raj-mehta", scope=".feed-shared-update-v2")
    assert posted(page)[0]["kind"] == "comment"


def test_a_recommendation_gets_the_reference_prompt(staff_browser, failure_shot):
    page = staff_browser.open("linkedin", "in/sam-patel/edit/forms/recommendation/write/")
    failure_shot(page)
    page.locator("#recommendation-text").click()
    page.keyboard.type("Sam is an outstanding commissioning lead and I recommend her without hesitation.")
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="reference"]')).to_be_visible(timeout=15000)
    page.locator("#send").click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    assert posted(page) == []
