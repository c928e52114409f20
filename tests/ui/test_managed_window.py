"""The settings window with managed settings: enforced values win, shown locked, and cannot be saved over."""

from __future__ import annotations

import json

import pytest
import requests
from playwright.sync_api import expect

from .conftest import PROFILES, Helper, run_axe, save_profile


@pytest.fixture
def managed_helper(onrecord_home, tmp_path):
    folder = tmp_path / "managed"
    folder.mkdir()
    (folder / "managed.json").write_text(json.dumps({
        "organisation": "Department of Health and Social Care",
        "reminderFrequency": "every_post", "auditRetentionDays": 365, "reminderFrequncy": "never",
        "officialAccounts": [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"}]}))
    save_profile(onrecord_home, (PROFILES / "dh-amy.yaml").read_text())
    h = Helper(onrecord_home, env={"ONRECORD_MANAGED_DIR": str(folder)})
    yield h
    h.stop()


def test_managed_settings_show_locked_set_by_your_organisation(browser, managed_helper):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.goto(managed_helper.window_url)
    pg.wait_for_selector("body[data-ready=true]")
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="Policy").click()
    reminder = pg.locator("#policy-settings select[name=reminder_frequency]")
    expect(reminder).to_be_disabled()
    expect(reminder).to_have_value("every_post")
    described = reminder.get_attribute("aria-describedby").split()
    expect(pg.locator(f"#{described[-1]}")).to_have_text("Set by your organisation")
    assert not run_axe(pg)
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="About").click()
    retention = pg.locator("#about-settings input[name=audit_retention_days]")
    expect(retention).to_be_disabled()
    expect(retention).to_have_value("365")
    expect(pg.locator("#about-settings input[name=log_level], #about-settings select[name=log_level]")).to_be_enabled()
    expect(pg.locator("[data-managed-problems]:visible")).to_contain_text("reminderFrequncy")
    assert not run_axe(pg)
    # The organisation's own accounts: listed as theirs, nothing to edit, and the page still reflows.
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="Accounts").click()
    theirs = pg.locator("#accounts-editor tr[data-onrecord-locked=account]")
    expect(theirs).to_have_count(1)
    expect(theirs).to_contain_text("@dhscgovuk")
    expect(theirs).to_contain_text("Set by your organisation")
    expect(theirs.get_by_role("button")).to_have_count(0)
    assert not run_axe(pg)
    pg.set_viewport_size({"width": 320, "height": 700})
    assert pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()

    # The API refuses a change to a locked setting, naming it, and the saved file keeps the user's own.
    s = managed_helper.session()
    r = s.put(f"{managed_helper.base}/settings/api/settings", json={"reminder_frequency": "never"}, timeout=5)
    assert r.status_code == 400 and "Set by your organisation" in r.text and "reminder_frequency" in r.text


def test_policy_show_names_each_source_and_the_bad_key(managed_helper):
    from .conftest import onrecord
    env_dir = json.loads(onrecord("status", "--json", home=managed_helper.home).stdout)
    assert env_dir["helper"]["running"] is True
