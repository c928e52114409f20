"""News comment boxes in real Chromium with the real extension and a real helper: the Guardian's comment
form, whose textarea is controlled like React's (form.__state.body), replying to theguardian.com."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)


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
