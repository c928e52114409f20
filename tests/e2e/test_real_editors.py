"""The path a user takes, on saved pages that run the real editor libraries the sites use (bundled from
npm by tests/fixtures/editors/build.mjs): Draft.js on React 18 for X, Lexical for Facebook and Threads,
Quill 2 for LinkedIn, TipTap (ProseMirror) for Bluesky, a React-controlled textarea for Mastodon and
WordPress's comment form. Each page's Post button sends the editor's own model, and
``window.__editor.text()`` reads that model, so every assertion here is about what the site would post.

For each site: the card and its badge, the post held (by the button and by Ctrl+Enter) with the site's own
post action not run, "Add disclaimer" putting the text into the model exactly once, the focus and caret in
the editor afterwards, one Ctrl+Z taking the disclaimer out and nothing else, and the post sent once with
the draft and the disclaimer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from site_flow import DISCLAIMER_TEXT, WORK, answer_what_holds, posted, staff_browser  # noqa: F401


@dataclass(frozen=True)
class Page:
    site: str
    path: str
    editor: str  # where the user types
    post: str  # the site's own send button
    channel: str  # the card's badge
    model: str = "window.__editor.text()"  # the editor's own state, as the site would post it


PAGES = [
    Page("x", "compose-draftjs-2026-12-03.html", '[data-testid="tweetTextarea_0"]',
         '[data-testid="tweetButtonInline"]', "Personal · @rajmehta"),
    Page("facebook", "composer-lexical-2026-12-03.html", '[role="dialog"] [data-lexical-editor="true"]',
         '[role="dialog"] div[role="button"][aria-label="Post"]', "Personal · Raj Mehta"),
    Page("threads", "composer-lexical-2026-12-03.html", '[role="dialog"] [data-lexical-editor="true"]',
         '[role="dialog"] [data-send]', "Personal · @rajmehta"),
    Page("linkedin", "sharing/compose/", '[role="dialog"] [role="textbox"]',
         '[role="dialog"] [data-send]', "Personal · raj-mehta"),
    Page("bluesky", "composer-tiptap-2026-12-03.html", '[role="dialog"] .ProseMirror',
         '[data-testid="composerPublishBtn"]', "Personal · @rajmehta.bsky.social"),
    Page("mastodon", "compose-react-2026-12-03.html", ".compose-form textarea",
         '.compose-form button[type="submit"]', "Personal · @rajmehta@mastodon.social"),
    Page("comments", "wordpress-comments-2026-11-20.html", "#commentform textarea#comment",
         "#commentform #submit", "Personal · Raj Mehta", model="document.querySelector('#comment').value"),
]


def model(page, spec: Page) -> str:
    return page.evaluate(spec.model)


def focus_in_editor(page, spec: Page) -> dict:
    """Where the focus and caret are: in the editor, and at the end of its text?"""
    return page.locator(spec.editor).first.evaluate("""(editor) => {
        const active = document.activeElement;
        const focused = active === editor || editor.contains(active);
        if (editor.tagName === 'TEXTAREA' || editor.tagName === 'INPUT') {
          return { focused, atEnd: editor.selectionStart === editor.value.length && editor.selectionEnd === editor.value.length };
        }
        const sel = getSelection();
        if (!sel.rangeCount || !editor.contains(sel.focusNode)) return { focused, atEnd: false };
        const rest = document.createRange();
        rest.setStart(sel.focusNode, sel.focusOffset);
        rest.setEnd(editor, editor.childNodes.length);
        return { focused, atEnd: sel.isCollapsed && rest.toString().trim() === '' };
    }""")


def open_with_work_draft(browser, spec: Page, failure_shot):
    page = browser.open(spec.site, spec.path)
    failure_shot(page)
    page.locator(spec.editor).first.click()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]').first
    disclaimer = card.locator('[data-onrecord-category="disclaimer"]')
    expect(disclaimer).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text(spec.channel)
    assert model(page, spec) == WORK, "typing did not reach the editor's own state"
    return page, card


@pytest.mark.parametrize("spec", PAGES, ids=[p.site for p in PAGES])
def test_the_disclaimer_goes_into_the_real_editor_once_and_one_undo_takes_it_out(staff_browser, spec, failure_shot):
    page, card = open_with_work_draft(staff_browser, spec, failure_shot)

    page.locator(spec.post).first.click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "the site's own post action ran although the post was held"

    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    text = model(page, spec)
    assert text.startswith(WORK + " "), text
    assert len(DISCLAIMER_TEXT.findall(text[len(WORK):])) == 1, f"the disclaimer is not in the model exactly once: {text!r}"
    disclaimer = text[len(WORK):]
    page.wait_for_timeout(500)  # the card re-renders with the new check's answer
    where = focus_in_editor(page, spec)
    assert where == {"focused": True, "atEnd": True}, f"after adding the disclaimer to a held post: {where}"

    answer_what_holds(card)
    page.locator(spec.post).first.click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert posted(page)[0]["text"] == WORK + disclaimer, posted(page)
    expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)
    page.wait_for_timeout(500)
    assert len(posted(page)) == 1, "the post went out more than once"

    # One Ctrl+Z in the editor takes the disclaimer out, and only the disclaimer.
    page.locator(spec.editor).first.click()
    page.keyboard.press("Control+z")
    page.wait_for_function(f"({spec.model}) === {WORK!r}", timeout=5000)


@pytest.mark.parametrize("spec", PAGES, ids=[p.site for p in PAGES])
def test_after_adding_the_disclaimer_the_user_types_on_at_the_end_of_the_draft(staff_browser, spec, failure_shot):
    page, card = open_with_work_draft(staff_browser, spec, failure_shot)
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    page.wait_for_timeout(500)  # the card re-renders with the new check's answer
    where = focus_in_editor(page, spec)
    assert where == {"focused": True, "atEnd": True}, where
    with_disclaimer = model(page, spec)
    page.keyboard.type(" Thanks")
    page.wait_for_function(f"({spec.model}) === {with_disclaimer + ' Thanks'!r}", timeout=5000)


KEY_SENDS = [p for p in PAGES if p.site in ("x", "threads", "bluesky", "mastodon")]  # Ctrl+Enter posts there


@pytest.mark.parametrize("spec", KEY_SENDS, ids=[p.site for p in KEY_SENDS])
def test_ctrl_enter_is_held_until_answered_then_posts_once(staff_browser, spec, failure_shot):
    page, card = open_with_work_draft(staff_browser, spec, failure_shot)
    page.keyboard.press("Control+Enter")
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "the site's own post action ran although the post was held"
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    with_disclaimer = model(page, spec)
    assert DISCLAIMER_TEXT.search(with_disclaimer[len(WORK):]), with_disclaimer
    answer_what_holds(card)
    page.locator(spec.editor).first.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert [p["text"] for p in posted(page)] == [with_disclaimer], posted(page)


def test_posting_as_a_facebook_page_the_post_settings_post_button_is_held(staff_browser, failure_shot):
    """As a Page, Facebook's composer says "Next", and the Post button of the "Post settings" step that
    follows is what posts: that is the send that must be held."""
    page = staff_browser.open("facebook", "page-composer-lexical-2026-12-03.html")
    failure_shot(page)
    page.locator('[role="dialog"] [data-lexical-editor="true"]').click()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]').first
    expect(card.locator('[data-onrecord-category="unknown_account"]')).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Undeclared account · NHS Example Trust")

    page.locator('div[role="button"][aria-label="Next"]').click()
    final_post = page.locator('#post-settings div[role="button"][aria-label="Post"]')
    expect(final_post).to_be_visible()
    final_post.click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "the Page's post went out although it was held"

    card.locator('[data-onrecord-action="declare-corporate"]').click()
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Corporate · NHS Example Trust", timeout=10000)
    answer_what_holds(card)
    final_post.click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert posted(page)[0]["text"] == WORK


DIV_BUTTONS = [p for p in PAGES if p.site in ("facebook", "threads")]  # their Post is a div role=button


@pytest.mark.parametrize("spec", DIV_BUTTONS, ids=[p.site for p in DIV_BUTTONS])
def test_enter_on_a_div_post_button_is_held_too(staff_browser, spec, failure_shot):
    """A keyboard user reaches the Post button with Tab and presses Enter: on these sites the button is a
    div role=button whose own key handler posts, with no click."""
    page, card = open_with_work_draft(staff_browser, spec, failure_shot)
    button = page.locator(spec.post).first
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "the site's own post action ran although the post was held"
    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    answer_what_holds(card)
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert DISCLAIMER_TEXT.search(posted(page)[0]["text"]), posted(page)
