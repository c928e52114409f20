"""The card in real Chromium with the real extension and a real helper, on every site: with a draft that
raises five prompts or more, the site's own Post button stays in view at 1280x800, with the card open
and with the hold dialog shown; the card and the hold dialog pass axe-core in every state; focus and
the caret stay where the user was through the whole held-post path, by keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from site_flow import WORK, answer_what_holds, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Patient data, a security marking, a personal phone number and party politics (four warnings), a
# disclaimer to confirm (work, on a personal account), and reminders.
FIVE = ("Our primary care commissioning framework at NHS England: patient John Smith on ward 7 has diabetes, "
        "NHS number 943 476 5919. Vote Labour! Ring me on 07700 900123. OFFICIAL-SENSITIVE.")

# site: (page, where the user types, the site's own post button, where the card is)
SITES = {
    "x": ("home-2026-11-20.html", '[data-testid="tweetTextarea_0"]', '[data-testid="tweetButtonInline"]', "body"),
    "linkedin": ("feed/", "#share-quill .ql-editor", "button.share-actions__primary-action", "body"),
    "facebook": ("feed-2026-11-20.html", '#create-post [data-lexical-editor="true"]', "#composer-post", "#create-post"),
    "mastodon": ("home", ".compose-form textarea", ".compose-form__submit button", "body"),
    "bluesky": ("home-2026-11-20.html", ".ProseMirror", '[data-testid="composerPublishBtn"]',
                '[data-testid="composerPost0"]'),
    "threads": ("home-2026-11-20.html", '[data-lexical-editor="true"]', "#post", "body"),
    "blog": ("wp-admin/post.php", "#content", "#publish", "body"),
    "comments": ("society/2026/nov/20/nhs-primary-care-commissioning-framework", "#comment-form textarea",
                 '#comment-form button[type="submit"]', "#comments"),
}


def in_view(page, selector: str) -> tuple[bool, dict]:
    """Whether the element is inside the viewport and is what the user would click at its centre."""
    return page.evaluate("""(selector) => {
        const el = document.querySelector(selector);
        const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
        const hit = inside ? document.elementFromPoint(x, y) : null;
        return [inside && !!hit && (el === hit || el.contains(hit)),
                {top: r.top, bottom: r.bottom, viewport: innerHeight}];
    }""", selector)


def open_five(browser, site: str, failure_shot):
    file, editor, post, scope = SITES[site]
    page = browser.open(site, file)
    page.set_viewport_size({"width": 1280, "height": 800})
    failure_shot(page)
    page.locator(editor).first.click()
    page.keyboard.type(FIVE)
    card = page.locator(f'{scope} [data-onrecord="card"]').first
    expect(card.locator('[data-onrecord-category="classified"]')).to_be_visible(timeout=15000)
    return page, card, editor, post


@pytest.mark.parametrize("site", sorted(SITES))
def test_five_prompts_leave_the_post_button_in_view(staff_browser, site, failure_shot):
    page, card, _editor, post = open_five(staff_browser, site, failure_shot)
    shown = card.locator("[data-onrecord-category]").count()
    assert shown >= 5, f"the draft raised {shown} prompts on {site}"
    ok, box = in_view(page, post)
    assert ok, f"{site}: with the card open the post button is out of view or covered: {box}"

    page.locator(post).first.click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    ok, box = in_view(page, post)
    assert ok, f"{site}: with the hold dialog shown the post button is out of view or covered: {box}"
    assert posted(page) == []


def run_axe(page, selector: str) -> list[dict]:
    """Every violation axe-core finds in the elements `selector` matches (shadow roots included)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async (selector) => {
        const result = await axe.run({include: [[selector]]}, {resultTypes: ['violations']});
        return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => [n.target, n.failureSummary])}));
    }""", selector)
    return found


def assert_axe_clean(page, selector: str, state: str) -> None:
    found = run_axe(page, selector)
    assert not found, f"axe-core on {selector} ({state}): {found}"


@pytest.mark.parametrize("site,theme", [("x", "light"), ("comments", "light"), ("x", "dark")])
def test_the_card_and_the_hold_dialog_pass_axe_in_every_state(staff_browser, site, theme, failure_shot):
    if theme == "dark":
        file, editor = "status-2026-11-20.html", '[data-testid="tweetTextarea_0"]'
        page = staff_browser.open("x", file)
        failure_shot(page)
        page.locator(editor).first.click()
        page.keyboard.type(FIVE)  # the inline reply under the post
        card = page.locator('[data-onrecord="card"]').first
        expect(card.locator('[data-onrecord-category="classified"]')).to_be_visible(timeout=15000)
        expect(card).to_have_attribute("data-theme", "dark")
        post = '[data-testid="tweetButtonInline"]'
    else:
        page, card, editor, post = open_five(staff_browser, site, failure_shot)
    card_sel = '[data-onrecord="card"]'
    assert_axe_clean(page, card_sel, "prompts shown")

    card.locator('[data-onrecord-category="classified"] button.link[aria-expanded]').click()
    card.locator("button", has_text="Show").click()
    assert_axe_clean(page, card_sel, "why and reminders open")

    page.locator(post).first.click()
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    assert_axe_clean(page, '[data-onrecord="hold"]', "hold dialog")

    card.locator('[data-onrecord-category="classified"] [data-onrecord-action="override"]').click()
    expect(card.locator('[data-onrecord="override-reason"]')).to_be_focused()
    assert_axe_clean(page, card_sel, "asking for a reason")
    card.locator('[data-onrecord-category="classified"] [data-onrecord-action="override"]').click()
    assert_axe_clean(page, card_sel, "a reason missing")

    card.locator('[data-onrecord="override-reason"]').fill("Quoted from a published report")
    card.locator('[data-onrecord="override-reason"]').press("Enter")
    assert_axe_clean(page, card_sel, "one prompt answered")

    answer_what_holds(card)
    expect(card.locator('[role="status"]')).to_contain_text(": answered. Ready to post.")
    assert_axe_clean(page, card_sel, "every prompt answered")

    page.locator(editor).first.click()
    page.keyboard.type(" More")
    assert_axe_clean(page, card_sel, "checking a newer draft")


def test_the_card_passes_axe_when_the_helper_is_not_running(offline_browser, failure_shot):
    page = offline_browser.open("x", "home-2026-11-20.html")
    failure_shot(page)
    page.locator('[data-testid="tweetTextarea_0"]').first.click()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord="notice"]')).to_contain_text("not running", timeout=15000)
    assert_axe_clean(page, '[data-onrecord="card"]', "helper not running")


def test_the_popup_and_the_options_page_pass_axe(staff_browser):
    for path in ("popup/popup.html", "options/options.html"):
        page = staff_browser.context.new_page()
        staff_browser.pages.append(page)
        page.goto(staff_browser.extension_url(path))
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # the pages fill themselves in from the background and storage
        found = run_axe(page, "html")
        assert not found, f"axe-core on {path}: {found}"


def test_by_keyboard_alone_focus_and_caret_stay_where_the_user_is(browser, failure_shot):
    """Ctrl+Enter is held; the dialog takes focus; Tab goes from the dialog into the card; "Add disclaimer"
    puts the text in and leaves focus in the editor, caret after it, so typing goes on there; the dialog
    never takes focus again; "Ready to post" is said; the post then goes out by keyboard."""
    page = browser.open("x", "home-2026-11-20.html")
    failure_shot(page)
    editor = '[data-testid="tweetTextarea_0"]'
    page.locator(editor).first.click()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_be_visible(timeout=15000)
    page.evaluate("""() => { window.__focusTrail = [];
        document.addEventListener('focusin', (e) => window.__focusTrail.push(
            e.target.getAttribute('data-onrecord') || e.target.getAttribute('data-testid') || e.target.tagName), true); }""")
    page.keyboard.press("Control+Enter")
    hold = page.locator('[data-onrecord="hold"]')
    expect(hold).to_be_visible()
    assert page.evaluate("document.activeElement.getAttribute('data-onrecord')") == "hold"

    # Tab from the dialog's last button goes into the card, not back to the page.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-onrecord')") == "card"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # "Review prompts": the first prompt to answer
    focused = page.evaluate("() => document.activeElement.shadowRoot.activeElement.getAttribute('data-onrecord-action')")
    assert focused == "insert-disclaimer"
    page.evaluate("window.__focusTrail = []")
    page.keyboard.press("Enter")
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0, timeout=10000)
    expect(hold).to_have_count(0)
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.getAttribute('data-testid')") == "tweetTextarea_0", \
        page.evaluate("window.__focusTrail")
    assert "hold" not in page.evaluate("window.__focusTrail"), page.evaluate("window.__focusTrail")

    page.keyboard.type(" Thanks")
    text = page.evaluate("""() => Array.from(document.querySelectorAll('[data-composer="home"] [data-block="true"]'),
                                             (b) => b.textContent).join('\\n')""")
    assert text.startswith(WORK) and text.endswith(" Thanks"), text
    assert "my own" in text[len(WORK):].lower(), text
    expect(card.locator('[role="status"]')).to_contain_text("Ready to post", timeout=10000)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.__posted.length === 1")
    assert posted(page)[0]["parts"] == [text]


def test_an_edit_then_an_immediate_post_is_checked_before_it_goes(browser, failure_shot):
    """A draft changed after its last check and sent within the debounce must not go out on the old answer."""
    page = browser.open("x", "home-2026-11-20.html")
    failure_shot(page)
    page.locator('[data-testid="tweetTextarea_0"]').first.click()
    page.keyboard.type("Sunday bake: lemon drizzle")
    card = page.locator('[data-onrecord="card"]')
    expect(card.locator('[data-onrecord="channel"]')).to_be_visible(timeout=15000)
    answer_what_holds(card)
    page.wait_for_timeout(600)
    page.keyboard.type(" OFFICIAL-SENSITIVE")
    page.keyboard.press("Control+Enter")
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible(timeout=10000)
    expect(card.locator('[data-onrecord-category="classified"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == []



def test_the_quoted_words_are_marked_in_the_editor_without_changing_its_dom(browser, failure_shot):
    """The helper's matches are quoted in the card and marked in the editor by the CSS Custom Highlight
    API: the marks cover exactly the quoted words, and the editor's DOM is as the editor made it."""
    page = browser.open("x", "home-2026-11-20.html")
    failure_shot(page)
    page.locator('[data-testid="tweetTextarea_0"]').first.click()
    # An emoji first: the helper counts code points, the page UTF-16 units.
    page.keyboard.type("\U0001F3E5 Briefing marked OFFICIAL-SENSITIVE for the ward")
    page.keyboard.press("Enter")
    page.keyboard.type("Call 07700 900123 about it")
    before = page.evaluate("document.querySelector('[data-composer=\"home\"] [data-testid=\"tweetTextarea_0\"]').innerHTML")
    card = page.locator('[data-onrecord="card"]')
    marking = card.locator('[data-onrecord-category="classified"] q')
    expect(marking).to_contain_text("OFFICIAL-SENSITIVE", timeout=15000)
    quoted = card.locator('[data-onrecord-category="personal_details"] q')
    expect(quoted).to_contain_text("07700 900123")
    page.wait_for_function("CSS.highlights.has('onrecord-warn')")
    marked = page.evaluate("Array.from(CSS.highlights.get('onrecord-warn'), (r) => r.toString()).sort()")
    assert sorted(marked) == sorted([marking.text_content(), quoted.text_content()]), marked
    after = page.evaluate("document.querySelector('[data-composer=\"home\"] [data-testid=\"tweetTextarea_0\"]').innerHTML")
    assert after == before, "marking the words changed the editor's DOM"
    # Painted: the rule that draws them is in the page, with nothing added to its elements.
    assert page.evaluate("""Array.from(document.adoptedStyleSheets).some((s) =>
        Array.from(s.cssRules).some((r) => r.cssText.includes('::highlight(onrecord-warn)')))""")
