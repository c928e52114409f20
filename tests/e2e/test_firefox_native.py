"""The user's path in real Firefox ESR over native messaging, with no pairing step and no helper running.

The host manifest (`onrecord native-host manifest --browser firefox`, `allowed_extensions` naming the
add-on's gecko id) is written where Firefox looks for a user's hosts, `~/.mozilla/native-messaging-hosts/`,
in a HOME made for the test and given to Firefox; Firefox starts the real `onrecord-native-host` with its
environment (and so the test's ONRECORD_HOME). The extension's HTTP port points where nothing listens,
so only native messaging can answer. Driven by tests/e2e/firefox/flow.mjs through firefox_driver.py, as test_firefox.py is."""

from __future__ import annotations

import json

import pytest
from firefox_driver import require_firefox, run_driver
from site_flow import DISCLAIMER_TEXT, STAFF_PROFILE, WORK, _harness, write_profile
from test_native_messaging import _onrecord
from test_real_editors import PAGES

X_PROFILE = {**STAFF_PROFILE, "accounts": [{"site": "x", "handle": "@rajmehta", "channel": "personal"}]}


@pytest.fixture(scope="module")
def firefox_native(site_server, tmp_path_factory):
    require_firefox()
    data = tmp_path_factory.mktemp("onrecord-home")
    _onrecord(data, "profile", "import", str(write_profile(data, X_PROFILE)))
    home = tmp_path_factory.mktemp("firefox-home")
    hosts = home / ".mozilla" / "native-messaging-hosts"
    hosts.mkdir(parents=True)
    (hosts / "org.onrecord.helper.json").write_text(_onrecord(data, "native-host", "manifest", "--browser", "firefox"))
    spec = next(p for p in PAGES if p.site == "x")
    # HTTP would find nothing: the only port the extension may try has no helper behind it.
    result = run_driver(site_server, [(spec, True)], home=home, env={"ONRECORD_HOME": str(data)},
                        helperPort=_harness().free_port())
    yield result, data


def test_firefox_reaches_onrecord_by_native_messaging_with_no_pairing_step(firefox_native):
    result, data = firefox_native
    assert result["version"].lower().startswith("firefox/"), result["version"]
    assert result["popup"] == {"status": "Connected to OnRecord on this computer.", "codeShown": False}
    assert not (data / "runtime.json").exists(), "a helper is running: the draft could have gone over HTTP"
    listed = json.loads(_onrecord(data, "clients", "--json"))
    assert [(b["connection"], b["browser"], b["origin"]) for b in listed] == [
        ("native", "Firefox", "firefox-addon:onrecord@onrecord.org")]


def test_the_whole_x_flow_in_firefox_over_native_messaging(firefox_native):
    result, data = firefox_native
    seen = result["pages"][0]
    assert not seen.get("error"), seen.get("error")
    assert seen["typed"] == WORK
    assert seen["channel"] == "Personal · @rajmehta"
    assert seen["held"], "no hold dialog when posting a draft with an unanswered prompt"
    assert seen["postedWhileHeld"] == [], "the site's own post action ran although the post was held"
    text = seen["withDisclaimer"]
    assert text.startswith(WORK + " ") and len(DISCLAIMER_TEXT.findall(text[len(WORK):])) == 1, text
    assert not seen["holdAfterAnswers"]
    assert [p["text"] for p in seen["posted"]] == [text], seen["posted"]
    # The host recorded what the user did, without the draft.
    audit = json.loads(_onrecord(data, "audit", "show", "--json"))
    assert any(e["decision"] == "fixed" for e in audit), audit
    assert WORK not in json.dumps(audit)
