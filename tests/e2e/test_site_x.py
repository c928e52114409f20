"""X in real Chromium with the real extension and a real helper (profile dh-amy: @amyclarke is
personal, @AmyatDH official). The saved X page's editor keeps its own state like Draft.js, and its
Post button records what it sent in window.__posted."""

from __future__ import annotations

from playwright.sync_api import expect
from site_flow import answer_what_holds

HOME = "home-2026-11-20.html"
WORK = "Proud that our health and wellbeing boards guidance finally went live today at the Department of Health."
OFFICIAL = ("Health and wellbeing boards bring councils and the NHS together to plan local services. "
            "Thread below on how they work.")
EDITOR = '[data-testid="tweetTextarea_0"]'
POST = '[data-testid="tweetButtonInline"]'


def draft_state(page) -> str:
    """The editor's text as the page's own editor holds it (what its Post button would send)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-composer="home"] [data-block="true"]'),
                                           (b) => b.textContent).join('\\n')""")


def posted(page) -> list:
    return page.evaluate("window.__posted")


def type_draft(page, text: str) -> None:
    page.locator(EDITOR).first.click()
    page.keyboard.type(text)


def open_with_work_draft(browser, failure_shot):
    """The home page with the work draft typed on @amyclarke, once its disclaimer prompt is shown."""
    page = browser.open("x", HOME)
    failure_shot(page)
    type_draft(page, WORK)
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible(timeout=10000)
    return page, card


def test_work_draft_on_personal_account_is_held_until_the_disclaimer_is_added(browser, failure_shot, doc_image):
    page, card = open_with_work_draft(browser, failure_shot)
    disclaimer = card.locator('[data-onrecord-category="disclaimer"]')
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Personal · @amyclarke")
    expect(disclaimer).to_have_attribute("data-onrecord-severity", "confirm")

    # The card sits under the text, never over it.
    text_box = page.locator(EDITOR).first.bounding_box()
    card_box = card.bounding_box()
    assert card_box["y"] >= text_box["y"] + text_box["height"] - 1, (text_box, card_box)

    # The README's picture of the card (ONRECORD_UPDATE_IMAGES=1 writes it to docs/images/).
    shot = doc_image("card-x.png")
    page.locator('[data-composer="home"]').screenshot(path=str(shot))
    assert shot.stat().st_size > 0

    page.locator(POST).click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    assert posted(page) == [], "the page's own post handler ran although the post was held"

    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(disclaimer).to_have_count(0, timeout=10000)
    state = draft_state(page)
    assert state.startswith(WORK) and len(state) > len(WORK), state

    answer_what_holds(card)
    page.locator(POST).click()
    page.wait_for_function("window.__posted.length === 1")
    assert posted(page)[0]["parts"] == [state]
    assert posted(page)[0]["account"] == "@amyclarke"
    expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)


def test_ctrl_enter_is_held_too(browser, failure_shot):
    page, _card = open_with_work_draft(browser, failure_shot)
    page.keyboard.press("Control+Enter")
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    assert posted(page) == []


def test_an_edit_after_acknowledging_asks_again(browser, failure_shot):
    page, card = open_with_work_draft(browser, failure_shot)
    answer_what_holds(card)
    page.keyboard.type(" Really proud.")
    expect(card.locator('[data-onrecord-action="acknowledge"]')).to_be_visible(timeout=10000)
    page.locator(POST).click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    assert posted(page) == []


def test_official_account_gets_the_permanence_reminder_and_no_disclaimer(browser, failure_shot):
    page = browser.open("x", HOME)
    failure_shot(page)
    page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').click()
    page.get_by_role("menuitem", name="@AmyatDH").click()
    type_draft(page, OFFICIAL)
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Official · @AmyatDH", timeout=10000)
    expect(card.locator('[data-onrecord-category="permanence"]')).to_be_visible()
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0)
    answer_what_holds(card)
    page.locator(POST).click()
    page.wait_for_function("window.__posted.length === 1")
    assert posted(page)[0]["account"] == "@AmyatDH"


def test_helper_not_running_says_so_shows_permanence_and_holds_nothing(offline_browser, failure_shot):
    page = offline_browser.open("x", HOME)
    failure_shot(page)
    type_draft(page, WORK)
    card = page.locator('[data-onrecord="card"]')
    notice = card.locator('[data-onrecord="notice"]')
    expect(notice).to_contain_text("not running", timeout=15000)
    expect(notice).to_contain_text("onrecord run")
    expect(card.locator('[data-onrecord-category="permanence"]')).to_be_visible()
    page.locator(POST).click()
    page.wait_for_function("window.__posted.length === 1")
    expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)


def test_popup_shows_the_site_and_account_of_the_tab(browser, failure_shot):
    page = browser.open("x", HOME)
    failure_shot(page)
    type_draft(page, "Sunday bake: lemon drizzle, slightly burnt, still delicious.")
    expect(page.locator('[data-onrecord="channel"]')).to_have_text("Personal · @amyclarke", timeout=10000)
    popup = browser.context.new_page()
    # The popup asks about the active tab: bring the X tab to the front, then load the popup beside it.
    page.bring_to_front()
    popup.goto(browser.extension_url("popup/popup.html"))
    expect(popup.locator('[data-onrecord="status"]')).to_have_text("Connected and paired with the OnRecord helper.")
    expect(popup.locator('[data-onrecord="page"]')).to_have_text("Site: x. Posting as @amyclarke (personal).")


def switch_account(page, handle: str) -> None:
    page.locator('[data-testid="SideNav_AccountSwitcher_Button"]').click()
    page.get_by_role("menuitem", name=handle).click()


def test_official_reply_to_a_news_organisation_gets_the_media_prompt(browser, failure_shot):
    page = browser.open("x", HOME)
    failure_shot(page)
    switch_account(page, "@AmyatDH")
    page.locator('article [data-testid="reply"]').first.click()
    dialog = page.locator('[role="dialog"]').first
    dialog.locator(EDITOR).click()
    page.keyboard.type("That's not what the guidance says. Happy to set the record straight.")
    card = dialog.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="media"]')).to_be_visible(timeout=10000)
    dialog.locator('[data-testid="tweetButton"]').click()
    expect(dialog.locator('[data-onrecord="hold"]')).to_be_visible()
    assert posted(page) == []


def test_an_undeclared_account_can_be_declared_from_the_card(browser, failure_shot):
    page = browser.open("x", HOME)
    failure_shot(page)
    switch_account(page, "@newaccount99")
    type_draft(page, "Testing my new account.")
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="unknown_account"]')).to_be_visible(timeout=10000)
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Undeclared account · @newaccount99")
    card.locator('[data-onrecord-action="declare-personal"]').click()
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Personal · @newaccount99", timeout=10000)
    expect(card.locator('[data-onrecord-category="unknown_account"]')).to_have_count(0)


def test_the_held_post_can_be_answered_by_keyboard_alone(browser, failure_shot):
    page, card = open_with_work_draft(browser, failure_shot)
    page.keyboard.press("Control+Enter")
    hold = page.locator('[data-onrecord="hold"]')
    expect(hold).to_be_visible()
    # The dialog takes the focus; Enter on "Review prompts" moves it to the card's first action.
    page.keyboard.press("Enter")
    focused = page.evaluate("() => { const h = document.activeElement; const r = h && h.shadowRoot;"
                            " return r && r.activeElement && r.activeElement.getAttribute('data-onrecord-action'); }")
    assert focused == "insert-disclaimer"
    page.keyboard.press("Enter")
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    assert draft_state(page).startswith(WORK) and draft_state(page) != WORK


def test_the_card_follows_the_dark_theme_under_an_inline_reply(browser, failure_shot):
    page = browser.open("x", "status-2026-11-20.html")
    failure_shot(page)
    type_draft(page, "Thanks for covering this.")
    card = page.locator('[data-onrecord="card"]')
    expect(card).to_have_attribute("data-theme", "dark", timeout=10000)
    background = card.evaluate("(host) => getComputedStyle(host.shadowRoot.querySelector('.box')).backgroundColor")
    assert background == "rgb(22, 24, 28)", background


def test_a_site_turned_off_in_the_options_gets_no_card_and_no_hold(offline_browser, failure_shot):
    offline_browser.set_options(disabled_sites=["x"])
    page = offline_browser.open("x", HOME)
    failure_shot(page)
    type_draft(page, WORK)
    page.wait_for_timeout(1500)  # well past the debounce and a check against the missing helper
    expect(page.locator('[data-onrecord="card"]')).to_have_count(0)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.__posted.length === 1")


def test_popup_says_when_the_helper_is_not_running(offline_browser):
    popup = offline_browser.context.new_page()
    popup.goto(offline_browser.extension_url("popup/popup.html"))
    expect(popup.locator('[data-onrecord="status"]')).to_contain_text("not running", timeout=15000)
    popup.fill('[data-onrecord="pair-code"]', "123456")
    popup.click('[data-onrecord-action="pair"]')
    expect(popup.locator("#pair-error")).to_have_text("The OnRecord helper is not running.", timeout=15000)


def test_a_wrong_pairing_code_is_refused_and_an_unpaired_card_says_how_to_pair(unpaired_browser, failure_shot):
    popup = unpaired_browser.context.new_page()
    popup.goto(unpaired_browser.extension_url("popup/popup.html"))
    expect(popup.locator('[data-onrecord="status"]')).to_contain_text("not paired", timeout=15000)
    popup.fill('[data-onrecord="pair-code"]', "000000")
    popup.click('[data-onrecord-action="pair"]')
    expect(popup.locator("#pair-error")).to_be_visible(timeout=15000)
    expect(popup.locator('[data-onrecord="status"]')).to_contain_text("not paired")

    page = unpaired_browser.open("x", HOME)
    failure_shot(page)
    type_draft(page, WORK)
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord="notice"]')).to_contain_text("not paired", timeout=15000)
    expect(card.locator('[data-onrecord-category="permanence"]')).to_be_visible()
    page.locator(POST).click()
    page.wait_for_function("window.__posted.length === 1")
