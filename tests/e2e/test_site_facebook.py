"""Facebook in real Chromium with the real extension and a real helper. The saved feed's editors behave
like Lexical: text goes in only through beforeinput and paste, and DOM edits they did not make are undone;
the state is editor.__lexicalEditor.getText(). The page's buttons and Enter record what they sent."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)

COMPOSER = '#create-post [data-lexical-editor="true"]'
COMMENT = '#comment-form [data-lexical-editor="true"]'


def test_a_post_is_held_until_the_disclaimer_goes_into_lexicals_state(staff_browser, failure_shot):
    page = staff_browser.open("facebook", "feed-2026-11-20.html")
    failure_shot(page)
    held_then_fixed(page, editor=COMPOSER, post="#composer-post",
                    state=f"document.querySelector('{COMPOSER}').__lexicalEditor.getText()",
                    channel="Personal · Raj Mehta", scope="#create-post")
    assert posted(page)[0]["kind"] == "post"


def test_a_comment_sent_with_plain_enter_is_held(staff_browser, failure_shot):
    page = staff_browser.open("facebook", "feed-2026-11-20.html")
    failure_shot(page)
    held_then_fixed(page, editor=COMMENT, post="#focused-state-composer-submit",
                    state=f"document.querySelector('{COMMENT}').__lexicalEditor.getText()",
                    channel="Personal · Raj Mehta", scope='[role="feed"]',
                    send=lambda p: p.keyboard.press("Enter"))
    assert posted(page)[0]["kind"] == "comment"
