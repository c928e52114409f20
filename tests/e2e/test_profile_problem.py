"""A saved profile the helper cannot read is said on the card, in real Chromium with the real extension and
a real helper: the user learns why every account is suddenly undeclared, and the draft is still checked."""

from __future__ import annotations

from conftest import launch, start_helper
from playwright.sync_api import expect


def test_the_card_says_the_saved_profile_could_not_be_read(playwright_instance, site_server, tmp_path,
                                                           tmp_path_factory, failure_shot):
    helper = start_helper(tmp_path_factory)
    (helper.home / "profile.yaml").write_text("name: [unclosed\n")  # broken after it was saved
    browser = launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    try:
        browser.set_options(helper_port=helper.port)
        browser.pair(helper)
        page = browser.open("x", "home-2026-11-20.html")
        failure_shot(page)
        page.locator('[data-testid="tweetTextarea_0"]').first.click()
        page.keyboard.type("Vote for the Green Party on Thursday.")
        card = page.locator('[data-onrecord="card"]')
        notice = card.locator('[data-onrecord="notice"]')
        expect(notice).to_contain_text("could not read your saved details", timeout=15000)
        expect(notice).to_contain_text("kept aside as")
        expect(card.locator('[data-onrecord-category="political"]')).to_be_visible()
        expect(card.locator('[data-onrecord="channel"]')).to_contain_text("Undeclared")
    finally:
        browser.close()
        helper.stop()
