"""The card says which policy checked the draft and offers the policy text itself, in real Chromium with a
real helper whose built-in packs give each rule a `link`: the pack in force in the card's header, and
"Read the policy" beside each source, opening the https address in a new tab, named by its policy, with
focus and the draft left as they were."""

from __future__ import annotations

from playwright.sync_api import expect
from site_flow import staff_browser  # noqa: F401  (a fixture)

from test_card import FIVE, SITES

EDITOR = SITES["x"][1]


def test_the_card_names_the_pack_in_force_and_reads_the_policy_in_a_new_tab(staff_browser, failure_shot):
    page = staff_browser.open("x", SITES["x"][0])
    failure_shot(page)
    page.locator(EDITOR).first.click()
    page.keyboard.type(FIVE)
    card = page.locator('[data-onrecord="card"]').first
    line = card.locator('[data-onrecord-category="classified"]')
    expect(line).to_be_visible(timeout=15000)
    expect(card.locator('header [data-onrecord="pack"]')).to_have_text("Policy: nhs-england (built in)")

    link = line.locator('[data-onrecord="policy-link"]')
    expect(link).to_be_hidden()  # behind "Why?", one click away
    line.locator("button.link[aria-expanded]").click()
    expect(link).to_be_visible()
    expect(link).to_have_text("Read the policy")
    href = link.get_attribute("href")
    assert href.startswith("https://"), href
    assert link.get_attribute("target") == "_blank"
    assert sorted(link.get_attribute("rel").split()) == ["noopener", "noreferrer"]
    source = line.locator(".src").inner_text().split(" · ")[0].removeprefix("Source: ")
    expect(link).to_have_accessible_name(f"Read the policy: {source} (opens in a new tab)")

    before = page.evaluate("document.querySelector('[data-testid=\"tweetTextarea_0\"]').innerText")
    # The policy's own server is not reachable from the test: the browser is answered for it, here only.
    address = href.split("#")[0]
    seen = []

    def policy_page(route):
        seen.append(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="text/html", body="<title>The policy</title><p>Policy text</p>")

    staff_browser.context.route(lambda url: url.split("#")[0] == address, policy_page)
    try:
        with staff_browser.context.expect_page() as opened:
            link.click()
        tab = opened.value
        tab.wait_for_load_state("domcontentloaded")
        assert tab.url.split("#")[0] == address, tab.url
        # No opener and no referrer: the policy's page cannot reach back into the site's page, nor learn it.
        assert tab.evaluate("window.opener") is None
        assert seen == [None], seen
        tab.close()
    finally:
        staff_browser.context.unroute_all()
    assert page.evaluate("window.__posted.length") == 0
    assert page.evaluate("document.querySelector('[data-testid=\"tweetTextarea_0\"]').innerText") == before
