"""What the site adapters' browser tests share: a helper whose profile declares a personal account on
every site the saved pages sign in as (Raj Mehta, NHS England), the extension in Chromium paired with it,
and the user's path through one compose box: a work draft shows the disclaimer prompt, the send is held
and the page's own handler does not run, "Add disclaimer" puts the text into the editor's own state and
the prompt clears, and the send then goes through.

The harness (conftest.py) owns the site server, the helper and the browser; this module only starts one
more helper and browser with this profile, once for the whole run."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

HERE = Path(__file__).resolve().parent

WORK = "Our new primary care commissioning framework goes live next month at NHS England."
# Every pack's disclaimer fix says the views are the author's own.
DISCLAIMER_TEXT = re.compile(r"my own|my personal views", re.I)

# The accounts the saved pages sign in as, all personal. The blog's handle is the host the harness
# serves WordPress under.
STAFF_PROFILE = {
    "name": "Raj Mehta",
    "organisation": "NHS England",
    "policy_pack": "nhs-england",
    "roles": ["nhs_staff"],
    "job_title": "Commissioning manager",
    "expertise": ["commissioning", "primary care"],
    "line_manager": "Helen Ward",
    "accounts": [
        {"site": "x", "handle": "@rajmehta", "channel": "personal"},
        {"site": "linkedin", "handle": "raj-mehta", "channel": "personal"},
        {"site": "facebook", "handle": "Raj Mehta", "channel": "personal"},
        {"site": "mastodon", "handle": "@rajmehta@mastodon.social", "channel": "personal"},
        {"site": "bluesky", "handle": "@rajmehta.bsky.social", "channel": "personal"},
        {"site": "threads", "handle": "@rajmehta", "channel": "personal"},
        {"site": "blog", "handle": "amyclarke.blog", "channel": "personal"},
        {"site": "comments", "handle": "Raj Mehta", "channel": "personal"},
    ],
}


def _harness():
    """The e2e conftest as pytest loaded it (every conftest is imported as "conftest", so by its file)."""
    path = HERE / "conftest.py"
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) and Path(module.__file__).resolve() == path:
            return module
    spec = importlib.util.spec_from_file_location("onrecord_e2e_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_profile(folder: Path, profile: dict = STAFF_PROFILE) -> Path:
    """``profile`` as a YAML file in ``folder``, for `onrecord profile import` or a helper to start with."""
    path = folder / "raj-mehta.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return path


_shared: dict = {}


@pytest.fixture(scope="session")
def staff_browser(playwright_instance, site_server, tmp_path_factory):
    """The extension in Chromium, paired with a helper holding STAFF_PROFILE. Each test module imports
    this fixture; the first to run starts them and stops them at the end of the session."""
    if "browser" in _shared:
        yield _shared["browser"]
        return
    harness = _harness()
    profile = write_profile(tmp_path_factory.mktemp("staff-profile"))
    helper = harness.start_helper(tmp_path_factory, str(profile))
    try:
        browser = harness.launch(playwright_instance, site_server, tmp_path_factory.mktemp("staff-chromium"))
        try:
            browser.set_options(helper_port=helper.port)
            browser.pair(helper)
            _shared["browser"] = browser
            yield browser
        finally:
            _shared.clear()
            browser.close()
    finally:
        helper.stop()


def posted(page) -> list:
    return page.evaluate("window.__posted")


def answer_what_holds(card) -> None:
    """Answers each prompt that still holds the post on its own line, as a user who read the card would:
    "OK" on what asks to be confirmed, "Post anyway…" with a reason on a warning. First waits for the
    card to show the answer to the draft as it is (not "checking")."""
    expect(card.locator('[aria-busy="true"]')).to_have_count(0, timeout=10000)
    for _ in range(12):
        acknowledge = card.locator('[data-onrecord-action="acknowledge"]')
        if acknowledge.count():
            acknowledge.first.click()
            continue
        override = card.locator('[data-onrecord-action="override"]')
        if not override.count():
            break
        override.first.click()
        reason = card.locator('[data-onrecord="override-reason"]').first
        reason.fill("Checked with my line manager")
        reason.press("Enter")
    expect(card.locator('[data-onrecord-action="acknowledge"], [data-onrecord-action="override"]')).to_have_count(0)


def held_then_fixed(page, *, editor: str, post: str, state: str, channel: str, scope: str = "body",
                    send=None, locked: bool = False) -> str:
    """Runs the path on `page`: `editor` is where the user types, `post` the site's send button, `state`
    a JavaScript expression giving the draft as the page's own editor holds it, `channel` the card's badge.
    `send(page)` replaces a click on `post`; `locked` is for sites whose publishing the hold disables
    (Gutenberg). Returns the draft's final state."""
    page.locator(editor).first.click()
    page.keyboard.type(WORK)
    card = page.locator(f'{scope} [data-onrecord="card"]').first
    disclaimer = card.locator('[data-onrecord-category="disclaimer"]')
    expect(disclaimer).to_be_visible(timeout=15000)
    expect(disclaimer).to_have_attribute("data-onrecord-severity", "confirm")
    expect(card.locator('[data-onrecord="channel"]')).to_have_text(channel)

    # The card sits under the text, never over it.
    text_box = page.locator(editor).first.bounding_box()
    card_box = card.bounding_box()
    assert card_box["y"] >= text_box["y"] + text_box["height"] - 1, (text_box, card_box)

    button = page.locator(post).first
    if locked:
        expect(button).to_have_attribute("aria-disabled", "true", timeout=10000)
        button.click(force=True)
    elif send:
        send(page)
    else:
        button.click()
    # Also when our lock disabled the button: the click is the user's attempt to post, and is answered.
    expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert posted(page) == [], "the page's own post handler ran although the post was held"

    card.locator('[data-onrecord-action="insert-disclaimer"]').click()
    expect(disclaimer).to_have_count(0, timeout=10000)
    final = page.evaluate(state)
    assert final.startswith(WORK), final
    assert DISCLAIMER_TEXT.search(final[len(WORK):]), f"no disclaimer in the editor's state: {final!r}"

    answer_what_holds(card)
    if locked:
        expect(button).to_have_attribute("aria-disabled", "false", timeout=10000)
    if send:
        page.locator(editor).first.click()
        send(page)
    else:
        button.click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert DISCLAIMER_TEXT.search(str(posted(page)[0])), posted(page)[0]
    expect(page.locator('[data-onrecord="hold"]')).to_have_count(0)
    return final
