"""News comment boxes in real Chromium with the real extension and a real helper: the Guardian's comment
form, whose textarea is controlled like React's (form.__state.body), replying to theguardian.com."""

from __future__ import annotations

import yaml
from playwright.sync_api import expect
from site_flow import WORK, held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)


def test_a_guardian_comment_is_held_until_the_disclaimer_reaches_the_form_state(staff_browser, failure_shot):
    page = staff_browser.open("comments", "society/2026/nov/20/nhs-primary-care-commissioning-framework")
    failure_shot(page)
    held_then_fixed(page, editor="#comment-form textarea", post='#comment-form button[type="submit"]',
                    state="document.getElementById('comment-form').__state.body",
                    channel="Personal · Raj Mehta", scope="#comments")
    assert posted(page)[0]["kind"] == "comment"


def test_a_disqus_comment_is_held_until_the_disclaimer_is_in_the_box(staff_browser, failure_shot):
    # The embed as the news article's iframe loads it; t_u names the article, whose domain is replied to.
    page = staff_browser.context.new_page()
    page.goto("https://disqus.com/embed/comments/?base=default&f=examplenews"
              "&t_u=https%3A%2F%2Fwww.examplenews.co.uk%2Fhealth%2Fgp-funding&s_o=default")
    failure_shot(page)
    held_then_fixed(page, editor="#form .textarea", post="#form button.post-action__button",
                    state="document.querySelector('#form .textarea').textContent",
                    channel="Personal · Raj Mehta", scope="#form")
    assert posted(page)[0]["kind"] == "comment"


def _open_unnamed(browser, failure_shot):
    """The Guardian's comment page with its commenter name taken out, as the current page shows it, and a
    work draft typed; answers the card."""
    page = browser.open("comments", "society/2026/nov/20/nhs-primary-care-commissioning-framework")
    failure_shot(page)
    page.evaluate("document.querySelectorAll('.d-comment-box__author').forEach((e) => e.remove())")
    page.locator("#comment-form textarea").click()
    page.keyboard.type(WORK)
    return page.locator('#comments [data-onrecord="card"]').first


def _save_profile(helper, folder, comment_accounts: list[dict]) -> None:
    """Saves the session's profile with these comment accounts, as the settings window saves it: the
    browser is told nothing, and no page has shown these accounts."""
    profile = yaml.safe_load(helper.profile.read_text(encoding="utf-8"))
    profile["accounts"] = [a for a in profile["accounts"] if a["site"] != "comments"] + comment_accounts
    path = folder / f"profile-{len(comment_accounts)}.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    helper.onrecord("profile", "import", str(path))


def test_a_guardian_page_that_names_no_commenter_uses_the_account_the_profile_declares(browser, helper, failure_shot,
                                                                                      tmp_path):
    """The Guardian's current comment box names no commenter. With no comment account declared the card
    asks who is posting, and the one declared there is used. An account declared only in the profile (as
    the settings window saves it, never shown on a page nor declared from the card) is used at once; with
    two declared, the card asks again rather than guess."""
    try:
        _save_profile(helper, tmp_path, [])
        card = _open_unnamed(browser, failure_shot)
        expect(card.locator('[data-onrecord-category="unknown_account"]')).to_be_visible(timeout=15000)
        expect(card.locator('[data-onrecord="channel"]')).to_have_text("Undeclared account")
        card.locator('[data-onrecord="account-handle"]').fill("Amy Clarke")
        card.locator('[data-onrecord-action="declare-personal"]').click()
        expect(card.locator('[data-onrecord="channel"]')).to_have_text("Personal · Amy Clarke", timeout=15000)
        expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible()

        _save_profile(helper, tmp_path, [{"site": "comments", "handle": "Amy Clarke DH", "channel": "official"}])
        card = _open_unnamed(browser, failure_shot)
        expect(card.locator('[data-onrecord="channel"]')).to_have_text("Official · Amy Clarke DH", timeout=15000)
        expect(card.locator('[data-onrecord-category="unknown_account"]')).to_have_count(0)
        expect(card.locator('[data-onrecord-action="declare-personal"]')).to_have_count(0)

        _save_profile(helper, tmp_path, [{"site": "comments", "handle": "Amy Clarke", "channel": "personal"},
                                         {"site": "comments", "handle": "DH Press Office", "channel": "corporate"}])
        card = _open_unnamed(browser, failure_shot)
        expect(card.locator('[data-onrecord-category="unknown_account"]')).to_be_visible(timeout=15000)
        expect(card.locator('[data-onrecord="channel"]')).to_have_text("Undeclared account")
        expect(card.locator('[data-onrecord-action="declare-personal"]')).to_be_visible()
    finally:
        helper.onrecord("profile", "import", str(helper.profile))  # the session's other tests expect it as it was
