"""LinkedIn's composer opened over the feed: "Start a post" renders the share dialog, with its real Quill 2
editor, only when clicked (tests/fixtures/sites/linkedin/feed-quill-2026-12-03.html, generated class names).

The whole path in real Chromium with the extension: the card and its badge; the post held by the Post button
and by the keyboard (Tab to Post, Enter) with LinkedIn's own post action not run; "Add disclaimer" putting the
disclaimer into Quill's model exactly once, with the focus and caret in the editor after it; one Ctrl+Z
taking out the disclaimer and nothing else; and the post sent once with the draft and the disclaimer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from site_flow import DISCLAIMER_TEXT, WORK, answer_what_holds, posted, staff_browser  # noqa: F401
from test_real_editors import Page, focus_in_editor, model

FEED = Page("linkedin", "feed-quill-2026-12-03.html", '[role="dialog"] [role="textbox"]',
            '[role="dialog"] [data-send]', "Personal · raj-mehta")


def open_composer_with_work_draft(browser, failure_shot):
    page = browser.open(FEED.site, FEED.path)
    failure_shot(page)
    expect(page.locator('[role="dialog"]')).to_have_count(0)  # nothing to find until the user opens it
    page.get_by_role("button", name="Start a post").click()
    editor = page.locator(FEED.editor)
    expect(editor).to_be_focused()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]').first
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text(FEED.channel)
    assert model(page, FEED) == WORK, "typing did not reach Quill's own model"
    return page, card


def add_disclaimer(page, card) -> str:
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    text = model(page, FEED)
    assert text.startswith(WORK + " "), text
    assert len(DISCLAIMER_TEXT.findall(text[len(WORK):])) == 1, f"the disclaimer is not in Quill's model exactly once: {text!r}"
    page.wait_for_timeout(500)  # the card re-renders with the new check's answer
    where = focus_in_editor(page, FEED)
    assert where == {"focused": True, "atEnd": True}, f"after adding the disclaimer: {where}"
    return text[len(WORK):]


def test_held_by_the_post_button_disclaimer_once_caret_kept_and_one_undo_takes_it_out(staff_browser, failure_shot):
    page, card = open_composer_with_work_draft(staff_browser, failure_shot)
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
    page, card = open_composer_with_work_draft(staff_browser, failure_shot)
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
