"""The user's path in real Firefox: Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core
(tests/e2e/firefox/flow.mjs), with the extension installed as a temporary add-on from extension/ as it
is, paired through its popup with a real helper, on the saved pages that run the real editor libraries
(see test_real_editors.py). Firefox differs where it matters here: its ClipboardEvent constructor drops
clipboardData, its MV3 manifest needs background scripts and a gecko id, and its undo is its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from site_flow import DISCLAIMER_TEXT, STAFF_PROFILE, WORK, _harness
from test_real_editors import PAGES

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = Path(os.environ.get("ONRECORD_FIREFOX", "/usr/bin/firefox-esr"))
FLOW = ROOT / "tests" / "e2e" / "firefox" / "flow.mjs"
# X on Draft.js and one site for each other editor kind; Ctrl+Enter is the send where the site has it.
SITES = ("x", "facebook", "linkedin", "bluesky", "mastodon")
KEY_SEND = {"x"}


def require_firefox() -> None:
    """Fails, saying what to install, when Firefox ESR or node (which drives it) is missing."""
    if not FIREFOX.exists():
        pytest.fail(f"Firefox ESR is not installed at {FIREFOX} (scripts/test.sh installs Debian's firefox-esr)")
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Firefox tests drive the browser with puppeteer-core from node")


def run_driver(site_server, pages, *, home, env: dict | None = None, **request) -> dict:
    """Runs tests/e2e/firefox/flow.mjs on ``pages`` ((Page, sends with Ctrl+Enter) pairs) with Firefox's
    HOME at ``home``; ``request`` adds to what it is told (helperPort, pairCode). Its JSON answer."""
    harness = _harness()
    request = {
        "firefox": str(FIREFOX),
        "extension": str(harness.EXTENSION),
        "sitePort": site_server.port,
        "hosts": sorted(harness.HOST_TO_SITE),
        "work": WORK,
        "pages": [{"site": p.site, "url": site_server.url(p.site, p.path), "editor": p.editor, "post": p.post,
                   "keySend": key_send} for p, key_send in pages],
        **request,
    }
    done = subprocess.run(["node", str(FLOW), json.dumps(request)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {}), "HOME": str(home)})
    if done.returncode != 0 or not done.stdout.strip():
        pytest.fail(f"the Firefox driver failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def firefox_run(site_server, tmp_path_factory):
    """Runs the whole path once in Firefox and gives what it saw, page by page."""
    require_firefox()
    harness = _harness()
    folder = tmp_path_factory.mktemp("firefox-staff-profile")
    profile = folder / "raj-mehta.yaml"
    profile.write_text(yaml.safe_dump(STAFF_PROFILE, sort_keys=False), encoding="utf-8")
    helper = harness.start_helper(tmp_path_factory, str(profile))
    try:
        specs = [p for p in PAGES if p.site in SITES]
        result = run_driver(site_server, [(p, p.site in KEY_SEND) for p in specs], helperPort=helper.port,
                            pairCode=helper.pair_code(), home=tmp_path_factory.mktemp("firefox-home"))
        if result.get("error"):
            pytest.fail(f"Firefox could not be set up: {result['error']}\nhelper log: "
                        f"{helper.log.read_text(errors='replace')[-1500:]}")
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
