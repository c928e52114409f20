"""LinkedIn's composer opened over the feed: "Start a post" renders the share dialog, with its real Quill 2
editor, only when clicked (tests/fixtures/sites/linkedin/feed-quill-2026-12-03.html, generated class names).

The whole path in real Chromium with the extension: the card and its badge; the post held by the Post button
and by the keyboard (Tab to Post, Enter) with LinkedIn's own post action not run; "Add disclaimer" putting the
disclaimer into Quill's model exactly once, with the focus and caret in the editor after it; one Ctrl+Z
taking out the disclaimer and nothing else; and the post sent once with the draft and the disclaimer. The comment
box a post's "Comment" opens on the same page is held and fixed the same way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from site_flow import DISCLAIMER_TEXT, WORK, answer_what_holds, posted, staff_browser  # noqa: F401
from test_real_editors import Page, focus_in_editor, model

FEED = Page("linkedin", "feed-quill-2026-12-03.html", '[role="dialog"] [role="textbox"]',
            '[role="dialog"] [data-send]', "Personal · raj-mehta")


def open_with_work_draft(browser, failure_shot, spec: Page = FEED, opener: str = "Start a post"):
    """The feed with the box ``opener`` opens (the composer, or a post's comment box) and the work draft typed
    into its editor."""
    page = browser.open(spec.site, spec.path)
    failure_shot(page)
    expect(page.locator(spec.editor)).to_have_count(0)  # nothing to find until the user opens it
    page.get_by_role("button", name=opener).first.click()
    expect(page.locator(spec.editor)).to_be_focused()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]').first
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text(spec.channel)
    assert model(page, spec) == WORK, "typing did not reach Quill's own model"
    return page, card


def add_disclaimer(page, card, spec: Page = FEED) -> str:
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    text = model(page, spec)
    assert text.startswith(WORK + " "), text
    assert len(DISCLAIMER_TEXT.findall(text[len(WORK):])) == 1, f"the disclaimer is not in Quill's model exactly once: {text!r}"
    page.wait_for_timeout(500)  # the card re-renders with the new check's answer
    where = focus_in_editor(page, spec)
    assert where == {"focused": True, "atEnd": True}, f"after adding the disclaimer: {where}"
    return text[len(WORK):]


def test_held_by_the_post_button_disclaimer_once_caret_kept_and_one_undo_takes_it_out(staff_browser, failure_shot):
    page, card = open_with_work_draft(staff_browser, failure_shot)
    page.locator(FEED.post).click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "LinkedIn's own post action ran although the post was held"
    expect(page.locator('[role="dialog"][data-view-name="share-creation-dialog"]')).to_have_count(1)

    add_disclaimer(page, card)
    page.keyboard.press("Control+z")
    page.wait_for_function(f"window.__editor.text() === {WORK!r}", timeout=5000)
    assert posted(page) == []


def test_held_by_the_keyboard_then_sent_once_with_the_disclaimer(staff_browser, failure_shot):
    page, card = open_with_work_draft(staff_browser, failure_shot)
    post = page.locator(FEED.post)
    post.focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "Enter on LinkedIn's Post button went out although the post was held"
    # The hold has the keyboard, inside LinkedIn's dialog (whose focus trap would take back focus outside it).
    assert page.evaluate("document.activeElement.getAttribute('data-onrecord')") == "hold"
    assert page.evaluate("""document.querySelector('[role="dialog"]').contains(document.querySelector('[data-onrecord="hold"]'))""")

    disclaimer = add_disclaimer(page, card)
    answer_what_holds(card)
    post.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert posted(page)[0]["text"] == WORK + disclaimer, posted(page)
    page.wait_for_timeout(500)
    assert len(posted(page)) == 1, "the post went out more than once"
    # The dialog closed as LinkedIn's does once the post is sent; nothing of OnRecord's is left holding.
    expect(page.locator('[role="dialog"][data-view-name="share-creation-dialog"]')).to_have_count(0)
    expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)


COMMENT = Page("linkedin", FEED.path, '[data-view-name="comment-box"] [role="textbox"]',
               '[data-view-name="comment-box"] [data-comment-send]', "Personal · raj-mehta",
               model="window.__comment.text()")


def test_a_comment_under_a_post_in_the_feed_is_held_and_sent_once_with_the_disclaimer(staff_browser, failure_shot):
    """The comment box a post's "Comment" opens: generated class names too, found by its editor and its
    "Comment" button, commenting on the post's author."""
    page, card = open_with_work_draft(staff_browser, failure_shot, COMMENT, opener="Comment")
    page.locator(COMMENT.post).click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "LinkedIn's own comment action ran although the comment was held"

    disclaimer = add_disclaimer(page, card, COMMENT)
    answer_what_holds(card)
    page.locator(COMMENT.post).click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    page.wait_for_timeout(500)
    assert posted(page) == [{"text": WORK + disclaimer, "comment_on": "urn:li:activity:7401234567890123456"}]
