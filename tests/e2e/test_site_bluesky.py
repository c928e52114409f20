"""Bluesky in real Chromium with the real extension and a real helper. The saved composer's editor
behaves like ProseMirror (paste through the clipboard event, typing through beforeinput), its state in
editor.pmView; the account is the stored session's handle."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)


def test_a_post_is_held_until_the_disclaimer_is_pasted_into_prosemirror(staff_browser, failure_shot):
    page = staff_browser.open("bluesky", "home-2026-11-20.html")
    failure_shot(page)
    held_then_fixed(page, editor=".ProseMirror", post='[data-testid="composerPublishBtn"]',
                    state="document.querySelector('.ProseMirror').pmView.text()",
                    channel="Personal · @rajmehta.bsky.social", scope='[data-testid="composerPost0"]')
    assert posted(page)[0]["kind"] == "post"
