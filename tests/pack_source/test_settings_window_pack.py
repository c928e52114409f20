"""A user whose pack the organisation does not set types a signed pack's web address in the settings window.

A real HTTPS server (a test certificate authority) serves the pack; the helper serves the window's API over
real HTTP, and the Profile and Policy pages run in headless Chromium.
"""

from __future__ import annotations

import json

import pytest
import requests
from playwright.sync_api import expect
from signed_packs import pack_text, publish
from server.support import CHROME

from onrecord.managed import ManagedReader

from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, run_axe

WINDOW_KEY = "p" * 43
DRAFT = {"site": "x", "account": "@amyclarke", "text": "Excited that Project Lighthouse opens next month!"}


def start(served, tmp_path, tls, managed: dict):
    folder = tmp_path / "managed"
    folder.mkdir(exist_ok=True)
    (folder / "managed.json").write_text(json.dumps(managed))
    h = served({"MANAGED": ManagedReader(folder), "PACK_CAFILE": str(tls["ca"]), "ONRECORD_WINDOW_KEY": WINDOW_KEY,
                "ONRECORD_WINDOW_KEY_FILE": False})
    window = requests.Session()
    assert window.get(f"{h.url}/settings/?key={WINDOW_KEY}", timeout=10).ok
    window.headers["Origin"] = h.url
    return h, window


def profile_with(window, h, **pack) -> requests.Response:
    saved = window.get(f"{h.url}/settings/api/state", timeout=10).json()["profile"]
    body = {k: v for k, v in saved.items() if k not in ("accounts", "policy_pack")} | pack
    return window.put(f"{h.url}/settings/api/profile", json=body, timeout=30)


def field_error(r: requests.Response) -> dict:
    assert r.status_code == 400, r.text
    fields = r.json()["error"]["fields"]
    return {f["field"]: f["message"] for f in fields}


@pytest.mark.parametrize("typed, says", [
    ("http://policy.example.org/pack.yaml", "use https://"),
    ("ftp://policy.example.org/pack.yaml", "not a web address starting with https://"),
    ("https:///pack.yaml", "no server name"),
    ("https://amy:secret@policy.example.org/pack.yaml", "user name or password"),
    ("https://policy.example.org:99999/pack.yaml", "port"),
    ("", "Enter the pack's web address"),
])
def test_a_bad_address_is_refused_naming_what_is_wrong(served, tmp_path, tls, keys, typed, says):
    h, window = start(served, tmp_path, tls, {"packSigningKeys": [keys["current"].public_line]})
    errors = field_error(profile_with(window, h, policy_pack_url=typed))
    assert says in errors["pack_url"]
    assert window.get(f"{h.url}/settings/api/state", timeout=10).json()["profile"]["policy_pack"] == "dh"


def test_without_the_organisations_keys_an_address_is_refused_plainly(served, tmp_path, tls, keys, web):
    url = publish(web, keys["current"], pack_text(4))
    h, window = start(served, tmp_path, tls, {})
    state = window.get(f"{h.url}/settings/api/state", timeout=10).json()
    assert state["pack_keys"] is False
    message = field_error(profile_with(window, h, policy_pack_url=url))["pack_url"]
    assert "packSigningKeys" in message and "cannot use a pack from a web address" in message
    assert "built-in pack or a pack file" in message


def test_a_good_address_is_fetched_verified_used_and_reported(served, tmp_path, tls, keys, web):
    url = publish(web, keys["current"], pack_text(4))
    h, window = start(served, tmp_path, tls, {"packSigningKeys": [keys["current"].public_line]})
    r = profile_with(window, h, policy_pack_url=url)
    assert r.status_code == 200, r.text
    assert r.json()["profile"]["policy_pack"] == url
    assert r.json()["pack"]["outcome"]["accepted"] is True

    status = window.get(f"{h.url}/settings/api/pack-status", timeout=10).json()
    assert status["url"] == url and status["managed"] is False
    assert status["in_force"]["id"] == "acme" and status["in_force"]["version"] == 4
    assert status["in_force"]["signature"] == "verified" and status["in_force"]["last_confirmed"].endswith("Z")
    rules = window.get(f"{h.url}/settings/api/pack", params={"ref": url}, timeout=10).json()["pack"]["rules"]
    assert any(rule["id"] == "acme.confidential.unannounced" for rule in rules)

    h.token = h.pair(CHROME)
    body = h.call("POST", "/v1/check", json=DRAFT).json()
    assert "acme.confidential.unannounced" in [p["id"] for p in body["prompts"]]

    # A newer version published: "Check for a new version now" takes it.
    publish(web, keys["current"], pack_text(5))
    again = window.post(f"{h.url}/settings/api/pack-status", json={}, timeout=30).json()
    assert again["outcome"]["accepted"] is True and again["status"]["in_force"]["version"] == 5


def test_the_profile_page_takes_an_address_and_the_policy_page_shows_the_pack_in_force(
        served, tmp_path, tls, keys, web, playwright_instance):
    url = publish(web, keys["current"], pack_text(4))
    h, _ = start(served, tmp_path, tls, {"packSigningKeys": [keys["current"].public_line]})
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        # bypass_csp only so the test can add axe-core; the page itself runs under its CSP.
        pg = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)
        pg.goto(f"{h.url}/settings/?key={WINDOW_KEY}")
        pg.wait_for_selector("body[data-ready=true]")
        pg.goto(f"{h.url}/settings/#profile")
        pg.wait_for_selector("body[data-ready=true]")
        address = pg.get_by_label("Web address of the pack")
        address.fill("http://" + url.removeprefix("https://"))
        expect(pg.get_by_role("radio", name="A signed pack from a web address")).to_be_checked()
        pg.get_by_role("button", name="Save profile").click()
        # The message sits next to the address, which has the focus, and says what to put right.
        expect(address).to_be_focused()
        expect(address).to_have_attribute("aria-invalid", "true")
        expect(pg.locator("#pack_url-error, #f-pack_url-error")).to_contain_text("use https://")
        assert not run_axe(pg)

        address.fill(url)
        pg.get_by_role("button", name="Save profile").click()
        expect(pg.locator("#status")).to_contain_text("signature checked", timeout=30000)
        pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="Policy").click()
        facts = pg.locator("#pack-facts")
        expect(facts).to_contain_text(url)
        expect(facts).to_contain_text("acme, version 4")
        expect(facts).to_contain_text("Last confirmed")
        expect(pg.locator("#policy-in-use")).to_contain_text("Acme Council")
        assert not run_axe(pg)
        pg.set_viewport_size({"width": 320, "height": 700})
        assert pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        browser.close()


def test_while_the_organisation_sets_the_pack_the_users_own_address_is_kept_untouched(served, tmp_path, tls, keys, web):
    url = publish(web, keys["current"], pack_text(4))
    h, window = start(served, tmp_path, tls, {"packSigningKeys": [keys["current"].public_line]})
    assert profile_with(window, h, policy_pack_url=url).status_code == 200
    # Later the organisation sets a built-in pack and drops its keys: the profile still saves, the user's own
    # address kept as it was (the page sends it back unchanged from the locked field).
    (tmp_path / "managed" / "managed.json").write_text(json.dumps({"policyPack": "nhs-england"}))
    h.app.extensions["onrecord_service"].managed_reader.current(force=True)
    r = profile_with(window, h, policy_pack=url, name="Amy Clarke-Jones")
    assert r.status_code == 200, r.text
    assert r.json()["profile"]["policy_pack"] == url and r.json()["profile"]["name"] == "Amy Clarke-Jones"
    # A different pack is still checked: the address is refused without the keys.
    other = url.replace("acme.yaml", "other.yaml")
    assert "packSigningKeys" in field_error(profile_with(window, h, policy_pack=other))["pack_url"]
