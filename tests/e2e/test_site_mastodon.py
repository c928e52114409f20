"""Mastodon in real Chromium with the real extension and a real helper. The saved page is recognised by
its markup; the account comes from #initial-state. Its textarea is controlled like React's: only the
prototype's value setter with an input event reaches window.__composeState."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)


def test_a_post_is_held_until_the_disclaimer_reaches_the_react_state(staff_browser, failure_shot):
    page = staff_browser.open("mastodon", "home")
    failure_shot(page)
    held_then_fixed(page, editor=".compose-form textarea", post=".compose-form__submit button",
                    state="window.__composeState.text", channel="Personal · @rajmehta@mastodon.social")
    assert posted(page)[0]["kind"] == "post"
