"""An organisation's policy read by real Chromium from /etc/chromium/policies/managed/ (the tests run as
root; the file is removed and anything that was there put back afterwards). The policy names the
extension by the id its manifest `key` gives it, as 3rdparty extension policy must.

What the extension does with each key here: `organisation`, `holdWhenUnchecked`, `helperPort` and `sites`
are shown locked in the options page; `holdWhenUnchecked` holds an unchecked post on a real page (and
unlocks the user's own option when it goes); a
change to the file reaches the open options page (Chromium watches the folder). `helperPort` is set to a
port nothing listens on, so the helper is "not running" by design in this test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_flow import _harness
from test_site_x import HOME, POST, WORK, type_draft

free_port, launch = _harness().free_port, _harness().launch

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = Path("/etc/chromium/policies/managed")
POLICY_FILE = POLICY_DIR / "onrecord-e2e-test.json"

spec = importlib.util.spec_from_file_location("generate_managed", ROOT / "scripts" / "generate_managed.py")
generate_managed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate_managed)
EXTENSION_ID = generate_managed.extension_id()


def write_policy(values: dict) -> None:
    tmp = POLICY_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps({"3rdparty": {"extensions": {EXTENSION_ID: values}}}))
    os.replace(tmp, POLICY_FILE)  # never a half-written file for Chromium's watcher to read


@pytest.fixture
def policy_folder():
    if os.geteuid() != 0:
        pytest.fail("this test writes /etc/chromium/policies/managed and must run as root (CI does)")
    made = [p for p in (POLICY_DIR.parent.parent, POLICY_DIR.parent, POLICY_DIR) if not p.exists()]
    POLICY_DIR.mkdir(parents=True, exist_ok=True)
    backup = POLICY_FILE.read_bytes() if POLICY_FILE.exists() else None
    try:
        yield POLICY_DIR
    finally:
        if backup is not None:
            POLICY_FILE.write_bytes(backup)
        else:
            POLICY_FILE.unlink(missing_ok=True)
        for folder in reversed(made):
            shutil.rmtree(folder, ignore_errors=True)


def test_chromium_applies_the_managed_policy_and_the_options_page_shows_it_locked(
        playwright_instance, site_server, tmp_path, policy_folder, failure_shot):
    port = free_port()
    write_policy({"organisation": "Example NHS Trust", "holdWhenUnchecked": True, "helperPort": port,
                  "sites": {"x": True}})
    browser = launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    try:
        assert browser.extension_id == EXTENSION_ID, "the manifest key gives the extension a stable id"
        options = browser.context.new_page()
        failure_shot(options)
        options.goto(browser.extension_url("options/options.html"))
        x = options.locator('[data-onrecord-site="x"]')
        expect(x).to_be_disabled(timeout=15000)
        expect(x).to_be_checked()
        expect(options.locator('[data-onrecord-site="linkedin"]')).to_be_enabled()
        expect(options.locator('[data-onrecord="managed-summary"]')).to_contain_text("Example NHS Trust manages")
        hold = options.locator('[data-onrecord="hold-when-unchecked"]')
        expect(hold).to_be_checked()
        expect(hold).to_be_disabled()
        expect(options.locator('[data-onrecord="helper-port"]')).to_have_value(str(port))
        expect(options.locator('[data-onrecord="helper-port"]')).to_be_disabled()

        # holdWhenUnchecked on a real page: nothing answers on the managed port, so the post is held.
        page = browser.open("x", HOME)
        failure_shot(page)
        type_draft(page, WORK)
        card = page.locator('[data-onrecord="card"]')
        expect(card.locator('[data-onrecord="notice"]')).to_contain_text("not running", timeout=20000)
        expect(card.locator('[data-onrecord-rule="onrecord.unchecked.hold"]')).to_have_attribute(
            "data-onrecord-severity", "warn")
        page.locator(POST).click()
        expect(page.locator('[data-onrecord="hold"]')).to_be_visible()
        assert page.evaluate("window.__posted.length") == 0

        # The organisation changes its policy: Chromium reloads the folder and the open page follows.
        write_policy({"organisation": "Example NHS Trust", "sites": {"x": False}})
        expect(options.locator('[data-onrecord="policy-changed"]')).to_contain_text(
            "Your organisation changed these settings", timeout=60000)
        expect(x).not_to_be_checked(timeout=30000)
        expect(x).to_be_disabled()
        # Unlocked: the user's own choice again (off unless they turned it on).
        expect(options.locator('[data-onrecord="hold-when-unchecked"]')).to_be_enabled()
        expect(options.locator('[data-onrecord="hold-when-unchecked"]')).not_to_be_checked()
        expect(options.locator('[data-onrecord="helper-port"]')).to_be_enabled()
    finally:
        POLICY_FILE.unlink(missing_ok=True)
        browser.close()
