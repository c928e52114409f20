"""The settings window with managed settings: enforced values win, shown locked, and cannot be saved over."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

from .conftest import PROFILES, Helper, onrecord, run_axe, save_profile


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


def test_managed_settings_show_locked_set_by_your_organisation(browser, managed_helper, tmp_path):
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

    # The organisation's name wins over the one the profile gives: shown locked, said to be theirs; saving
    # the profile keeps the user's own for the day the organisation stops setting it.
    pg.set_viewport_size({"width": 1000, "height": 900})
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="Profile").click()
    org = pg.get_by_role("textbox", name="Organisation", exact=True)
    expect(org).to_be_disabled()
    expect(org).to_have_value("Department of Health and Social Care")
    expect(org).to_have_accessible_description(re.compile("Set by your organisation"))
    assert not run_axe(pg)
    pg.get_by_label("Your name").fill("Amy J. Clarke")
    pg.get_by_role("button", name="Save profile").click()
    expect(pg.get_by_role("status").first).to_contain_text("saved")
    saved = json.loads(onrecord("profile", "show", "--json", home=managed_helper.home).stdout)
    assert saved["name"] == "Amy J. Clarke" and saved["organisation"] == "Department of Health"
    # The organisation changes its name: the Profile page and the Policy page's disclaimers follow.
    policy = json.loads((tmp_path / "managed" / "managed.json").read_text())
    (tmp_path / "managed" / "managed.json").write_text(json.dumps({**policy, "organisation": "NHS England"}))
    expect(org).to_have_value("NHS England", timeout=10_000)
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="Policy").click()
    expect(pg.locator("#page-policy [data-disclaimers]")).to_contain_text("not NHS England's")
    context.close()

    # The API refuses a change to a locked setting, naming it, and the saved file keeps the user's own.
    s = managed_helper.session()
    r = s.put(f"{managed_helper.base}/settings/api/settings", json={"reminder_frequency": "never"}, timeout=5)
    assert r.status_code == 400 and "Set by your organisation" in r.text and "reminder_frequency" in r.text


def test_policy_show_names_each_source_and_the_bad_key(managed_helper):
    from .conftest import onrecord
    env_dir = json.loads(onrecord("status", "--json", home=managed_helper.home).stdout)
    assert env_dir["helper"]["running"] is True
