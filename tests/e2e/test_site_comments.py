"""News comment boxes in real Chromium with the real extension and a real helper: the Guardian's comment
form, whose textarea is controlled like React's (form.__state.body), replying to theguardian.com."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)


def test_a_guardian_comment_is_held_until_the_disclaimer_reaches_the_form_state(staff_browser, failure_shot):
    page = staff_browser.open("comments", "guardian-2026-11-20.html")
    failure_shot(page)
    held_then_fixed(page, editor="#comment-form textarea", post='#comment-form button[type="submit"]',
                    state="document.getElementById('comment-form').__state.body",
                    channel="Personal · Raj Mehta", scope="#comments")
    assert posted(page)[0]["kind"] == "comment"
