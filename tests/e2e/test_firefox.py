"""The user's path in real Firefox: Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core
(tests/e2e/firefox/flow.mjs, through firefox_driver.py), with the extension installed as a temporary add-on
from extension/ as it is, paired through its popup with a real helper, on the saved pages that run the real editor libraries
(see test_real_editors.py). Firefox differs where it matters here: its ClipboardEvent constructor drops
clipboardData, its MV3 manifest needs background scripts and a gecko id, and its undo is its own."""

from __future__ import annotations

import pytest
from firefox_driver import require_firefox, run_driver
from site_flow import DISCLAIMER_TEXT, WORK, _harness, write_profile
from test_real_editors import PAGES

# X on Draft.js and one site for each other editor kind; Ctrl+Enter is the send where the site has it.
SITES = ("x", "facebook", "linkedin", "bluesky", "mastodon")
KEY_SEND = {"x"}


@pytest.fixture(scope="module")
def firefox_run(site_server, tmp_path_factory):
    """Runs the whole path once in Firefox and gives what it saw, page by page."""
    require_firefox()
    profile = write_profile(tmp_path_factory.mktemp("firefox-staff-profile"))
    helper = _harness().start_helper(tmp_path_factory, str(profile))
    try:
        specs = [p for p in PAGES if p.site in SITES]
        result = run_driver(site_server, [(p, p.site in KEY_SEND) for p in specs], helperPort=helper.port,
                            pairCode=helper.pair_code(), home=tmp_path_factory.mktemp("firefox-home"),
                            explain=lambda: f"helper log: {helper.log.read_text(errors='replace')[-1500:]}")
        yield result, {p.site: p for p in specs}
    finally:
        helper.stop()


def test_the_extension_loads_in_firefox_esr_and_pairs_through_its_popup(firefox_run):
    result, _ = firefox_run
    assert result["version"].lower().startswith("firefox/"), result["version"]
    assert result["extensionId"] == "onrecord@onrecord.org"
    assert "Connected and paired" in result["paired"], result["paired"]


@pytest.mark.parametrize("site", SITES)
def test_held_then_the_disclaimer_goes_into_the_real_editor_in_firefox(firefox_run, site):
    result, specs = firefox_run
    spec = specs[site]
    seen = next(p for p in result["pages"] if p["site"] == site)
    assert not seen.get("error"), seen.get("error")
    assert seen["typed"] == WORK, "typing did not reach the editor's own state"
    assert seen["channel"] == spec.channel
    assert seen["held"], "no hold dialog when posting a draft with an unanswered prompt"
    assert seen["postedWhileHeld"] == [], "the site's own post action ran although the post was held"

    text = seen["withDisclaimer"]
    assert text.startswith(WORK + " "), text
    assert len(DISCLAIMER_TEXT.findall(text[len(WORK):])) == 1, f"the disclaimer is not in the model once: {text!r}"
    assert seen["focusAfterInsert"] == {"focused": True, "atEnd": True}, seen["focusAfterInsert"]

    assert not seen["holdAfterAnswers"], "the hold dialog stayed after everything was answered"
    assert [p["text"] for p in seen["posted"]] == [text], seen["posted"]
    assert seen["afterUndo"] == WORK, f"one Ctrl+Z did not take out exactly the disclaimer: {seen['afterUndo']!r}"


@pytest.mark.parametrize("site", SITES)
def test_after_adding_the_disclaimer_in_firefox_the_user_types_on_at_the_end(firefox_run, site):
    result, _ = firefox_run
    seen = next(p for p in result["pages"] if p["site"] == site)["typeOn"]
    assert not seen.get("error"), seen.get("error")
    assert seen["focusAfterInsert"] == {"focused": True, "atEnd": True}, seen["focusAfterInsert"]
    assert seen["typedOn"] == seen["withDisclaimer"] + " Thanks", seen
