"""Threads in real Chromium with the real extension and a real helper. The saved composer's editor
behaves like Lexical; the account is the navigation's profile link."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)

EDITOR = '[data-lexical-editor="true"]'


def test_a_thread_is_held_until_the_disclaimer_goes_into_lexicals_state(staff_browser, failure_shot):
    page = staff_browser.open("threads", "home-2026-11-20.html")
    failure_shot(page)
    held_then_fixed(page, editor=EDITOR, post="#post",
                    state=f"document.querySelector('{EDITOR}').__lexicalEditor.getText()",
                    channel="Personal · @rajmehta")
    assert posted(page)[0]["kind"] == "post"
