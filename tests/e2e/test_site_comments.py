"""News comment boxes in real Chromium with the real extension and a real helper: the Guardian's comment
form, whose textarea is controlled like React's (form.__state.body), replying to theguardian.com."""

from __future__ import annotations

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


def test_a_guardian_page_that_names_no_commenter_uses_the_one_declared_account(staff_browser, failure_shot):
    """The Guardian's current comment box names no commenter. Undeclared at first (the card asks who is
    posting and how the account is used); once declared, it is the site's one account and is used."""
    options = staff_browser.context.new_page()
    options.goto(staff_browser.extension_url("options/options.html"))
    options.evaluate("chrome.storage.local.remove('knownAccounts')")  # whatever earlier tests showed it
    options.close()

    def open_unnamed():
        page = staff_browser.open("comments", "society/2026/nov/20/nhs-primary-care-commissioning-framework")
        failure_shot(page)
        page.evaluate("document.querySelectorAll('.d-comment-box__author').forEach((e) => e.remove())")
        page.locator("#comment-form textarea").click()
        page.keyboard.type(WORK)
        return page.locator('#comments [data-onrecord="card"]').first

    card = open_unnamed()
    expect(card.locator('[data-onrecord-category="unknown_account"]')).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Undeclared account")
    card.locator('[data-onrecord="account-handle"]').fill("Raj Mehta")
    card.locator('[data-onrecord-action="declare-personal"]').click()
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Personal · Raj Mehta", timeout=15000)
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible()

    again = open_unnamed()
    expect(again.locator('[data-onrecord="channel"]')).to_have_text("Personal · Raj Mehta", timeout=15000)
    expect(again.locator('[data-onrecord-category="disclaimer"]')).to_be_visible()
    expect(again.locator('[data-onrecord-category="unknown_account"]')).to_have_count(0)
