"""WordPress in real Chromium with the real extension and a real helper, served as amyclarke.blog. The
block editor's page has a minimal wp.data: the hold locks post saving, which disables Publish as
Gutenberg does; a click on that disabled Publish still shows the hold dialog, and the disclaimer goes
in as a block. The classic editor's Publish is held directly."""

from __future__ import annotations

from playwright.sync_api import expect
from site_flow import (DISCLAIMER_TEXT, WORK, answer_what_holds, held_then_fixed, posted,  # noqa: F401
                       staff_browser)  # staff_browser is a fixture

BLOCKS_STATE = ("[wp.data.select('core/editor').getEditedPostAttribute('title') || '',"
                " ...wp.data.select('core/block-editor').getBlocks().map((b) => b.attributes.content)]"
                ".filter(Boolean).join('\\n\\n')")


def test_gutenberg_publishing_is_locked_and_held_until_the_disclaimer_block_is_added(staff_browser, failure_shot):
    page = staff_browser.open("blog", "wp-admin/post-new.php")
    failure_shot(page)
    held_then_fixed(page, editor=".block-editor-rich-text__editable", post=".editor-post-publish-button",
                    state=BLOCKS_STATE, channel="Personal · amyclarke.blog", locked=True)
    assert posted(page)[0]["content"][0].startswith("Our new primary care")


def test_the_classic_editors_publish_is_held(staff_browser, failure_shot):
    page = staff_browser.open("blog", "wp-admin/post.php")
    failure_shot(page)
    held_then_fixed(page, editor="#content", post="#publish",
                    state="document.getElementById('content').value", channel="Personal · amyclarke.blog")
    assert posted(page)[0]["kind"] == "publish"


def test_an_editor_in_a_same_origin_canvas_frame_has_exactly_one_card(staff_browser, failure_shot):
    # The frame runs its own copy of the content script (match_about_blank) while the page around it
    # scans into it: one of them, the page's (which has wp.data and Publish), must own the editor.
    page = staff_browser.open("blog", "gutenberg-canvas-2026-11-20.html")
    failure_shot(page)
    canvas = page.frame_locator('iframe[name="editor-canvas"]')
    canvas.locator(".block-editor-rich-text__editable").first.click()
    page.keyboard.type(WORK)
    card = canvas.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="disclaimer"]').first).to_be_visible(timeout=15000)
    page.wait_for_timeout(1500)  # time for a second owner's check and card, were there one
    cards = sum(frame.locator('[data-onrecord="card"]').count() for frame in page.frames)
    assert cards == 1, f"{cards} cards on one editor"

    publish = page.locator(".editor-post-publish-button")
    expect(publish).to_have_attribute("aria-disabled", "true", timeout=10000)
    publish.click(force=True)
    expect(canvas.locator('[data-onrecord="hold"]')).to_be_visible()
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    answer_what_holds(card)
    expect(publish).to_have_attribute("aria-disabled", "false", timeout=10000)
    publish.click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert DISCLAIMER_TEXT.search(posted(page)[0]["content"][-1]), posted(page)[0]
