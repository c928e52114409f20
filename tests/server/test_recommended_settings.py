"""Windows ``Recommended`` values are defaults the user may change, setting by setting.

Recorded data: ``reg export`` files of ``HKLM\\SOFTWARE\\Policies\\OnRecord\\Recommended`` as the ADMX writes
them (this machine is not Windows; the real reader differs only in calling winreg). The rest is real: the
helper over HTTP, its settings file, the settings window's API as its page calls it, and the checks.
"""

from __future__ import annotations

import json

import requests

from onrecord.managed import ManagedReader

from tests.managed.regfile import RecordedRegistry

WINDOW_KEY = "r" * 43
KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\OnRecord"


def export(path, recommended: dict, enforced: dict | None = None):
    """A ``reg export`` file (REGEDIT5, UTF-16 with a BOM) with these recommended and enforced values."""
    def lines(values):
        for name, value in values.items():
            yield f'"{name}"=dword:{value:08x}' if isinstance(value, int) else f'"{name}"="{value}"'
    text = "\r\n".join(["Windows Registry Editor Version 5.00", "", f"[{KEY}]", *lines(enforced or {}), "",
                        f"[{KEY}\\Recommended]", *lines(recommended), ""])
    path.write_bytes(text.encode("utf-16"))
    return path


class Clock:
    """The managed reader looks again at most once a second; the test moves its clock on."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def start(served, tmp_path, recommended, enforced=None):
    registry = RecordedRegistry(export(tmp_path / "policy.reg", recommended, enforced))
    clock = Clock()
    h = served({"MANAGED": ManagedReader(registry=registry, clock=clock), "ONRECORD_WINDOW_KEY": WINDOW_KEY,
                "ONRECORD_WINDOW_KEY_FILE": False})
    window = requests.Session()
    assert window.get(f"{h.url}/settings/?key={WINDOW_KEY}", timeout=10).ok
    window.headers["Origin"] = h.url
    return h, window, registry, clock


def shown(h, window) -> dict:
    r = window.get(f"{h.url}/settings/api/settings", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def save(h, window, values: dict) -> dict:
    r = window.put(f"{h.url}/settings/api/settings", json=values, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def in_force(h, name):
    return h.app.extensions["onrecord_service"]._setting(name)


def test_a_recommended_value_applies_until_the_user_changes_that_setting(served, tmp_path):
    h, window, registry, clock = start(served, tmp_path, {"reminderFrequency": "every_post", "auditRetentionDays": 30})
    page = shown(h, window)
    assert page["settings"]["reminder_frequency"] == "every_post"
    assert page["recommended"]["reminder_frequency"] == {"value": "every_post", "in_use": True}
    assert in_force(h, "reminder_frequency") == "every_post" and in_force(h, "audit_retention_days") == 30

    # The user changes another setting; the page sends every field back, the recommended ones as shown.
    save(h, window, {**page["settings"], "log_level": "WARNING"})
    assert json.loads((h.home / "settings.json").read_text()) == {"format": 2, "log_level": "WARNING"}
    assert in_force(h, "reminder_frequency") == "every_post" and in_force(h, "audit_retention_days") == 30

    # The organisation changes its recommendation: the user, who never chose, follows it.
    registry.replace(export(tmp_path / "policy.reg", {"reminderFrequency": "never", "auditRetentionDays": 30}))
    clock.now += 5
    assert in_force(h, "reminder_frequency") == "never"
    assert shown(h, window)["settings"]["reminder_frequency"] == "never"

    # The user's own change to that one setting wins, and is kept when the recommendation changes again.
    answer = save(h, window, {**shown(h, window)["settings"], "reminder_frequency": "first_post_of_day"})
    assert answer["recommended"]["reminder_frequency"] == {"value": "never", "in_use": False}
    assert in_force(h, "reminder_frequency") == "first_post_of_day"
    registry.replace(export(tmp_path / "policy.reg", {"reminderFrequency": "every_post", "auditRetentionDays": 60}))
    clock.now += 5
    assert in_force(h, "reminder_frequency") == "first_post_of_day"
    assert in_force(h, "audit_retention_days") == 60  # still the user's to follow: never chosen

    # `onrecord policy show` tells the same story, setting by setting.
    from onrecord.commands.policy import report
    rows = {r["name"]: r for r in report()["settings"]}
    assert rows["log_level"]["source"] == "user" and rows["reminder_frequency"]["source"] == "user"

    # Going back to the organisation's value: the user's choice is dropped and the recommendation applies.
    r = window.delete(f"{h.url}/settings/api/settings/reminder_frequency", timeout=10)
    assert r.status_code == 200 and r.json()["settings"]["reminder_frequency"] == "every_post"
    assert in_force(h, "reminder_frequency") == "every_post"
    assert json.loads((h.home / "settings.json").read_text()) == {"format": 2, "log_level": "WARNING"}


# What versions before settings.json said its format wrote: every setting, chosen or not.
EVERY_SETTING_AS_BEFORE = {"audit_retention_days": 90, "log_level": "INFO", "port": 47651,
                           "reminder_frequency": "first_post_of_day"}


def test_a_settings_file_from_an_earlier_version_lets_recommended_values_apply(served, tmp_path):
    """Its values equal to those versions' defaults were never chosen: the organisation's recommended values
    apply to them, and the next save writes only what the user chose."""
    h, window, registry, clock = start(served, tmp_path, {"reminderFrequency": "every_post", "auditRetentionDays": 30})
    (h.home / "settings.json").write_text(json.dumps(EVERY_SETTING_AS_BEFORE, indent=2, sort_keys=True) + "\n")
    assert in_force(h, "reminder_frequency") == "every_post" and in_force(h, "audit_retention_days") == 30
    page = shown(h, window)
    assert page["recommended"]["reminder_frequency"] == {"value": "every_post", "in_use": True}
    assert page["settings"]["audit_retention_days"] == 30
    from onrecord.commands.policy import report
    rows = {r["name"]: r for r in report()["settings"]}
    # (`policy show` reads this machine's managed settings, not the recorded registry: none is the user's.)
    assert {r["source"] for r in rows.values() if r["name"] in EVERY_SETTING_AS_BEFORE} == {"default"}

    save(h, window, {**page["settings"], "log_level": "WARNING"})
    assert json.loads((h.home / "settings.json").read_text()) == {"format": 2, "log_level": "WARNING"}
    assert in_force(h, "reminder_frequency") == "every_post" and in_force(h, "audit_retention_days") == 30


def test_a_choice_of_the_user_in_a_settings_file_from_an_earlier_version_is_kept(served, tmp_path):
    h, window, registry, clock = start(served, tmp_path, {"reminderFrequency": "every_post", "auditRetentionDays": 30})
    (h.home / "settings.json").write_text(json.dumps({**EVERY_SETTING_AS_BEFORE, "reminder_frequency": "never"}))
    # The user chose "never" themselves: it stays theirs; the values they left alone follow the organisation.
    assert in_force(h, "reminder_frequency") == "never"
    assert in_force(h, "audit_retention_days") == 30
    page = shown(h, window)
    assert page["recommended"]["reminder_frequency"] == {"value": "every_post", "in_use": False}
    save(h, window, page["settings"])
    assert json.loads((h.home / "settings.json").read_text()) == {"format": 2, "reminder_frequency": "never"}
    assert in_force(h, "reminder_frequency") == "never" and in_force(h, "audit_retention_days") == 30


def test_an_enforced_value_beats_both_the_recommendation_and_the_users_choice(served, tmp_path):
    h, window, registry, clock = start(served, tmp_path, {"reminderFrequency": "never"},
                                       enforced={"reminderFrequency": "every_post"})
    (h.home / "settings.json").write_text(json.dumps({"reminder_frequency": "first_post_of_day"}))
    page = shown(h, window)
    assert page["settings"]["reminder_frequency"] == "every_post"
    assert "reminder_frequency" not in page["recommended"]
    assert page["managed"]["locked"]["reminder_frequency"] == "every_post"
    assert in_force(h, "reminder_frequency") == "every_post"


def test_the_about_page_says_which_values_are_recommended_and_gives_one_back(served, tmp_path, playwright_instance):
    from playwright.sync_api import expect

    from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, run_axe

    h, window, registry, clock = start(served, tmp_path, {"auditRetentionDays": 30, "helperPort": 47660})
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        # bypass_csp only so the test can add axe-core; the page itself runs under its CSP.
        pg = browser.new_page(viewport={"width": 1000, "height": 900}, bypass_csp=True)
        pg.goto(f"{h.url}/settings/?key={WINDOW_KEY}")
        pg.wait_for_selector("body[data-ready=true]")
        pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name="About").click()
        retention = pg.locator("#about-settings [name=audit_retention_days]")
        expect(retention).to_have_value("30")
        expect(retention).to_be_enabled()
        note = pg.locator(f"#{retention.get_attribute('aria-describedby').split()[-1]}")
        expect(note).to_have_text("Recommended by your organisation.")

        # The user changes it; the note then says what the organisation recommends and offers it back.
        retention.fill("200")
        pg.get_by_role("button", name="Save settings").last.click()
        expect(pg.locator("#status")).to_have_text("Settings saved.")
        assert json.loads((h.home / "settings.json").read_text()) == {"format": 2, "audit_retention_days": 200}
        expect(note).to_contain_text("Your organisation recommends: 30. You chose your own.")
        assert not run_axe(pg)
        pg.get_by_role("button", name="Use your organisation's value").click()
        expect(retention).to_have_value("30")
        expect(retention).to_be_focused()
        assert json.loads((h.home / "settings.json").read_text()) == {"format": 2}
        assert in_force(h, "audit_retention_days") == 30

        # At 320 CSS px the page does not scroll sideways.
        pg.set_viewport_size({"width": 320, "height": 700})
        assert pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        browser.close()
