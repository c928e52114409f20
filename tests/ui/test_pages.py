"""The settings pages as a person uses them: headless Chromium on the real helper, by label and role.

Every page is checked with axe-core; any finding fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect

from onrecord.store.audit import AuditEvent, AuditLog

from .conftest import EXTENSION_ORIGIN, PROFILES, onrecord, run_axe, save_profile

pytestmark = pytest.mark.usefixtures("helper")


def assert_accessible(pg, where: str) -> None:
    found = run_axe(pg)
    assert not found, f"axe-core on {where}: {json.dumps(found, indent=1)}"


def saved(home) -> dict | None:
    r = onrecord("profile", "show", "--json", home=home, check=False)
    return json.loads(r.stdout) if r.returncode == 0 else None


def go(pg, name: str) -> None:
    pg.get_by_role("navigation", name="Settings pages").get_by_role("link", name=name).click()
    # The page's heading takes focus once the page has loaded, so a screen reader reads it first.
    expect(pg.get_by_role("heading", level=1, name=name)).to_be_focused()


def with_profile(pg, helper, name: str = "dh-amy.yaml") -> None:
    save_profile(helper.home, (PROFILES / name).read_text())
    pg.reload()
    pg.wait_for_selector("body[data-ready=true]")


# --- first run ----------------------------------------------------------------------------------

def test_the_wizard_takes_a_new_user_from_nothing_to_a_saved_profile(page, helper):
    pg = page
    expect(pg.get_by_role("heading", name="Welcome to OnRecord")).to_be_visible()
    expect(pg.get_by_role("navigation", name="Settings pages")).to_be_hidden()
    assert_accessible(pg, "wizard step 1")

    # Next with no name: the message is next to the field, tied to it for screen readers, and focused.
    pg.get_by_role("button", name="Next").click()
    name = pg.get_by_label("Your name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()
    error_id = name.get_attribute("aria-describedby").split()[0]
    expect(pg.locator(f"#{error_id}")).to_have_text("Enter your name.")
    assert_accessible(pg, "wizard step 1 with an error")

    name.fill("Amy Clarke")
    pg.get_by_label("Job title").fill("Policy lead, health and wellbeing boards")
    pg.get_by_label("Line manager").fill("Sam Patel")
    pg.get_by_role("button", name="Next").click()

    expect(pg.get_by_text("Step 2 of 3")).to_be_visible()
    pg.get_by_label("Organisation").fill("Department of Health")
    pg.get_by_role("group", name="Policy pack").get_by_role("radio").first.wait_for()
    dh = pg.locator("#pack-dh")
    dh.check()
    pg.get_by_label("Civil servant").check()
    pg.get_by_label("Areas of expertise").fill("health and wellbeing boards\nlocal government")
    assert_accessible(pg, "wizard step 2")
    pg.get_by_role("button", name="Next").click()

    expect(pg.get_by_text("Step 3 of 3")).to_be_visible()
    explain = pg.locator("#page-profile [data-channels]")
    for kind in ("Corporate", "Official", "Personal"):
        expect(explain.get_by_text(kind, exact=True)).to_be_visible()
    expect(explain).to_contain_text("views are your own")
    # The pack's own disclaimer wordings are offered.
    expect(pg.locator("#page-profile [data-disclaimers] blockquote").first).to_be_visible()

    editor = pg.locator("#wizard-accounts")
    editor.get_by_label("Site").select_option("x")
    editor.get_by_label("Handle or name").fill("@AmyatDH")
    editor.get_by_label("Official").check()
    editor.get_by_role("button", name="Add account").click()
    expect(editor.get_by_role("cell", name="@AmyatDH", exact=True)).to_be_visible()
    # By keyboard: Enter in the handle adds the account.
    editor.get_by_label("Personal").check()
    editor.get_by_label("My bio on this account already says my views are my own").check()
    editor.get_by_label("Handle or name").fill("@amyclarke")
    editor.get_by_label("Handle or name").press("Enter")
    expect(editor.get_by_role("cell", name="@amyclarke", exact=True)).to_be_visible()
    expect(editor.get_by_label("Handle or name")).to_be_focused()
    assert_accessible(pg, "wizard step 3")
    assert saved(helper.home) is None  # nothing is saved until the user says so

    # The end of the first-run steps leads to connecting a browser, with a code ready to type.
    pg.get_by_role("button", name="Save and finish").click()
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_focused()
    expect(pg.locator("#pair-code")).to_have_text(re.compile(r"^\d{6}$"))
    expect(pg.get_by_role("status").first).to_contain_text("Now connect your browser")
    expect(pg.get_by_role("navigation", name="Settings pages")).to_be_visible()

    shown = onrecord("profile", "show", home=helper.home).stdout
    assert "name: Amy Clarke" in shown
    profile = saved(helper.home)
    assert profile == {
        "name": "Amy Clarke",
        "organisation": "Department of Health",
        "policy_pack": "dh",
        "roles": ["civil_servant"],
        "job_title": "Policy lead, health and wellbeing boards",
        "expertise": ["health and wellbeing boards", "local government"],
        "line_manager": "Sam Patel",
        "accounts": [
            {"site": "x", "handle": "@AmyatDH", "channel": "official"},
            {"site": "x", "handle": "@amyclarke", "channel": "personal", "bio_has_disclaimer": True},
        ],
    }


def test_a_pack_file_that_does_not_load_is_named_next_to_its_field_and_nothing_typed_is_lost(page, helper, tmp_path):
    pg = page
    pg.get_by_label("Your name").fill("Raj Mehta")
    pg.get_by_role("button", name="Next").click()
    pg.get_by_label("Organisation").fill("NHS England")
    missing = tmp_path / "no-such-pack.yaml"
    pg.get_by_label("Path of the pack file").fill(str(missing))
    pg.get_by_role("button", name="Next").click()
    pg.get_by_role("button", name="Save and finish").click()
    pg.get_by_role("dialog", name="Save without any accounts?").get_by_role("button", name="Save without accounts").click()

    # Back on the step with the pack, the message names the file; every answer is still there.
    group = pg.get_by_role("group", name="Policy pack")
    expect(group).to_have_attribute("aria-invalid", "true")
    expect(pg.locator("#f-policy_pack-error")).to_contain_text("no such pack file")
    expect(pg.get_by_label("Path of the pack file")).to_be_focused()
    expect(pg.get_by_label("Organisation")).to_have_value("NHS England")
    pg.get_by_role("button", name="Back").click()
    expect(pg.get_by_label("Your name")).to_have_value("Raj Mehta")
    assert saved(helper.home) is None
    assert_accessible(pg, "wizard with a bad pack file")


def test_an_organisations_own_pack_file_is_chosen_by_path_and_saved_in_full(page, helper, tmp_path):
    pack = tmp_path / "acme.yaml"
    pack.write_text('id: acme-trust\ntitle: Acme NHS Trust social media policy\nextends: nhs-england\n'
                    'disclaimer:\n  full: "My views, not those of Acme NHS Trust."\n')
    pg = page
    pg.get_by_label("Your name").fill("Raj Mehta")
    pg.get_by_role("button", name="Next").click()
    pg.get_by_label("Organisation").fill("Acme NHS Trust")
    pg.get_by_label("Path of the pack file").fill(str(pack))
    pg.get_by_label("Path of the pack file").blur()
    pg.get_by_label("NHS staff").check()
    pg.get_by_role("button", name="Next").click()
    # The file's own disclaimer wording is the one offered.
    expect(pg.locator("#page-profile [data-disclaimers]")).to_contain_text("My views, not those of Acme NHS Trust.")
    pg.get_by_role("button", name="Save and finish").click()
    pg.get_by_role("dialog", name="Save without any accounts?").get_by_role("button", name="Save without accounts").click()
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_visible()
    profile = saved(helper.home)
    assert profile["policy_pack"] == str(pack.resolve())
    assert profile["roles"] == ["nhs_staff"] and profile["accounts"] == []
    go(pg, "Policy")
    expect(pg.locator("#policy-in-use")).to_contain_text("Acme NHS Trust social media policy")
    # Each rule names its source, as the pack it extends gives them.
    expect(pg.locator("#rules tbody tr").first).to_be_visible()


def _wizard_to_accounts_step(pg) -> None:
    pg.get_by_label("Your name").fill("Amy Clarke")
    pg.get_by_role("button", name="Next").click()
    pg.get_by_label("Organisation").fill("Department of Health")
    pg.locator("#pack-dh").check()
    pg.get_by_role("button", name="Next").click()
    expect(pg.get_by_text("Step 3 of 3")).to_be_visible()


def test_saving_the_first_run_steps_with_no_account_asks_first(page, helper):
    pg = page
    _wizard_to_accounts_step(pg)
    pg.get_by_role("button", name="Save and finish").click()
    dialog = pg.get_by_role("dialog", name="Save without any accounts?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Add an account")).to_be_focused()
    assert_accessible(pg, "the question about saving with no accounts")
    # Escape, like "Add an account", saves nothing and goes back to the account form.
    pg.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(pg.locator("#wizard-accounts").get_by_label("Handle or name")).to_be_focused()
    assert saved(helper.home) is None
    pg.get_by_role("button", name="Save and finish").click()
    dialog.get_by_role("button", name="Add an account").click()
    expect(pg.locator("#wizard-accounts").get_by_label("Handle or name")).to_be_focused()
    assert saved(helper.home) is None
    # By keyboard to the end: Tab to "Save without accounts", Enter.
    pg.get_by_role("button", name="Save and finish").click()
    expect(dialog.get_by_role("button", name="Add an account")).to_be_focused()
    pg.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Save without accounts")).to_be_focused()
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_visible()
    assert saved(helper.home)["accounts"] == []


def test_enter_in_a_first_run_field_moves_on_as_next_does_and_saves_nothing(page, helper):
    pg = page
    pg.get_by_label("Your name").fill("Amy Clarke")
    pg.get_by_label("Your name").press("Enter")
    expect(pg.get_by_text("Step 2 of 3")).to_be_visible()
    org = pg.get_by_label("Organisation")
    expect(org).to_be_focused()
    org.press("Enter")  # nothing filled in yet: the step says what is missing and stays
    expect(org).to_have_attribute("aria-invalid", "true")
    expect(org).to_be_focused()
    org.fill("Department of Health")
    pg.locator("#pack-dh").focus()
    pg.keyboard.press("Space")
    pg.keyboard.press("Enter")
    expect(pg.get_by_text("Step 3 of 3")).to_be_visible()
    expect(pg.get_by_role("dialog", name="Save without any accounts?")).to_be_hidden()
    assert saved(helper.home) is None


def test_a_handle_typed_but_not_added_is_saved_with_the_first_run_steps(page, helper):
    pg = page
    _wizard_to_accounts_step(pg)
    editor = pg.locator("#wizard-accounts")
    editor.get_by_label("Site").select_option("linkedin")
    editor.get_by_label("Handle or name").fill("amy-clarke")
    pg.get_by_role("button", name="Save and finish").click()
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_visible()
    assert saved(helper.home)["accounts"] == [{"site": "linkedin", "handle": "amy-clarke", "channel": "personal"}]


def test_the_bio_disclaimer_box_is_offered_only_for_personal_accounts(page, helper):
    pg = page
    with_profile(pg, helper)
    form = pg.get_by_role("form", name="Add an account")
    bio = form.get_by_label("My bio on this account already says my views are my own")
    expect(bio).to_be_visible()
    bio.check()
    for kind in ("Official", "Corporate"):
        form.get_by_label(kind).check()
        expect(bio).to_be_hidden()
    form.get_by_label("Handle or name").fill("@dhnews")
    form.get_by_role("button", name="Add account").click()
    expect(pg.locator("#accounts-editor table").get_by_role("cell", name="@dhnews", exact=True)).to_be_visible()
    assert {"site": "x", "handle": "@dhnews", "channel": "corporate"} in saved(helper.home)["accounts"]
    form.get_by_label("Personal").check()
    expect(bio).to_be_visible()
    expect(bio).not_to_be_checked()
    # Editing an official account shows no box; editing a personal one shows its saved answer.
    pg.get_by_role("button", name="Edit @AmyatDH on X (Twitter)").click()
    expect(pg.get_by_role("form", name="Edit @AmyatDH").get_by_label("My bio on this account already says my views are my own")).to_be_hidden()


def test_an_account_names_its_own_organisation_in_its_disclaimers(page, helper):
    """Staff of an agency post from its accounts: the account's own organisation is given, kept, shown and
    taken back, and the table says which organisation each account's disclaimers name."""
    pg = page
    with_profile(pg, helper)
    table = pg.locator("#accounts-editor table")
    row = table.get_by_role("row").filter(has=pg.get_by_role("cell", name="@amyclarke", exact=True))
    expect(row.get_by_role("cell", name="Department of Health", exact=True)).to_be_visible()
    form = pg.get_by_role("form", name="Add an account")
    form.get_by_label("Handle or name").fill("@amy_ukhsa")
    org = form.get_by_label("Another body it speaks for (optional)")
    expect(org).to_have_accessible_description(re.compile("Leave empty for your organisation"))
    org.fill("  UK Health Security Agency ")
    form.get_by_role("button", name="Add account").click()
    expect(table.get_by_role("cell", name="UK Health Security Agency", exact=True)).to_be_visible()
    assert {"site": "x", "handle": "@amy_ukhsa", "channel": "personal",
            "organisation": "UK Health Security Agency"} in saved(helper.home)["accounts"]
    assert_accessible(pg, "accounts with an organisation")
    # Editing shows it; emptying it names the profile's organisation again.
    pg.get_by_role("button", name="Edit @amy_ukhsa on X (Twitter)").click()
    edit = pg.get_by_role("form", name="Edit @amy_ukhsa")
    expect(edit.get_by_label("Another body it speaks for (optional)")).to_have_value("UK Health Security Agency")
    edit.get_by_label("Another body it speaks for (optional)").fill("")
    edit.get_by_role("button", name="Save changes").click()
    expect(table.get_by_role("cell", name="UK Health Security Agency", exact=True)).to_have_count(0)
    assert {"site": "x", "handle": "@amy_ukhsa", "channel": "personal"} in saved(helper.home)["accounts"]


def test_every_site_of_the_site_table_is_offered_by_its_name(page, helper):
    from onrecord import sites
    pg = page
    with_profile(pg, helper)
    options = pg.get_by_role("form", name="Add an account").get_by_label("Site").locator("option")
    assert options.evaluate_all("os => os.map((o) => [o.value, o.textContent])") == [[s.id, s.label] for s in sites.TABLE]


# --- accounts -----------------------------------------------------------------------------------

def test_adding_editing_and_removing_an_account(page, helper):
    pg = page
    with_profile(pg, helper)
    expect(pg.get_by_role("heading", level=1, name="Accounts")).to_be_visible()
    table = pg.locator("#accounts-editor table")
    expect(table.get_by_role("row")).to_have_count(1 + 6)
    assert_accessible(pg, "accounts")

    form = pg.get_by_role("form", name="Add an account")
    form.get_by_label("Site").select_option("bluesky")
    form.get_by_label("Handle or name").fill("@amyclarke.bsky.social")
    form.get_by_label("Personal").check()
    form.get_by_role("button", name="Add account").click()
    expect(table.get_by_role("cell", name="@amyclarke.bsky.social", exact=True)).to_be_visible()
    assert {"site": "bluesky", "handle": "@amyclarke.bsky.social", "channel": "personal"} in saved(helper.home)["accounts"]

    # The same account again is refused next to the handle, and what was typed stays.
    form.get_by_label("Site").select_option("x")
    form.get_by_label("Handle or name").fill("@amyatdh")
    form.get_by_role("button", name="Add account").click()
    handle = form.get_by_label("Handle or name")
    expect(handle).to_have_attribute("aria-invalid", "true")
    expect(pg.locator("#accounts-editor-handle-error")).to_contain_text("already declared")
    expect(handle).to_have_value("@amyatdh")
    assert_accessible(pg, "accounts with an error")

    pg.get_by_role("button", name="Edit @amyclarke.bsky.social on Bluesky").click()
    edit = pg.get_by_role("form", name="Edit @amyclarke.bsky.social")
    edit.get_by_label("Official").check()
    edit.get_by_role("button", name="Save changes").click()
    expect(pg.get_by_role("form", name="Add an account")).to_be_visible()
    accounts = saved(helper.home)["accounts"]
    assert {"site": "bluesky", "handle": "@amyclarke.bsky.social", "channel": "official"} in accounts
    assert len(accounts) == 7

    pg.get_by_role("button", name="Remove @amyclarke.bsky.social on Bluesky").click()
    expect(table.get_by_role("cell", name="@amyclarke.bsky.social", exact=True)).to_have_count(0)
    assert all(a["site"] != "bluesky" for a in saved(helper.home)["accounts"])


def test_an_account_declared_from_the_browser_shows_up(page, helper):
    pg = page
    with_profile(pg, helper, "minister-jo.yaml")
    token = helper.pair_extension()
    r = requests.post(f"{helper.base}/v1/accounts", json={"site": "threads", "handle": "@johartmp", "channel": "personal"},
                      headers={"Authorization": f"Bearer {token}", "Origin": EXTENSION_ORIGIN}, timeout=5)
    assert r.status_code == 200, r.text
    go(pg, "Profile")
    go(pg, "Accounts")
    expect(pg.locator("#accounts-editor table").get_by_role("cell", name="@johartmp", exact=True)).to_be_visible()


def test_the_profile_page_edits_who_you_are_and_keeps_the_accounts(page, helper):
    pg = page
    with_profile(pg, helper)
    go(pg, "Profile")
    assert_accessible(pg, "profile")
    pg.get_by_label("Your name").fill("")
    pg.get_by_role("button", name="Save profile").click()
    expect(pg.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    assert saved(helper.home)["name"] == "Amy Clarke"
    pg.get_by_label("Your name").fill("Amy J. Clarke")
    pg.get_by_label("Minister").check()
    pg.get_by_role("button", name="Save profile").click()
    expect(pg.get_by_role("status").first).to_contain_text("saved")
    profile = saved(helper.home)
    assert profile["name"] == "Amy J. Clarke"
    assert profile["roles"] == ["civil_servant", "minister"]
    assert len(profile["accounts"]) == 6


# --- policy -------------------------------------------------------------------------------------

def test_the_policy_page_lists_rules_with_sources_and_sets_the_reminder(page, helper):
    pg = page
    with_profile(pg, helper)
    go(pg, "Policy")
    rows = pg.locator("#rules tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 5
    sources = rows.locator("td:nth-child(4)").all_inner_texts()
    assert all(s.strip() for s in sources), "every rule names where it comes from"
    links = rows.locator("td:nth-child(4) a")
    assert links.count() == rows.count(), "every source opens the policy text"
    assert all(h.startswith("https://") for h in links.evaluate_all("as => as.map(a => a.href)"))
    assert_accessible(pg, "policy")

    reminder = pg.get_by_label("How often to remind personal accounts that posts are public and permanent")
    reminder.select_option("every_post")
    pg.get_by_role("button", name="Save settings").click()
    expect(pg.get_by_role("status").first).to_contain_text("Settings saved")
    token = helper.pair_extension()
    r = requests.post(f"{helper.base}/v1/settings", json={}, headers={"Authorization": f"Bearer {token}", "Origin": EXTENSION_ORIGIN}, timeout=5)
    assert r.json()["reminder_frequency"] == "every_post"


# --- browsers -----------------------------------------------------------------------------------

def test_pairing_a_browser_with_the_code_shown_and_revoking_it(page, helper):
    pg = page
    with_profile(pg, helper)
    go(pg, "Browsers")
    expect(pg.get_by_text("No browser is paired yet.")).to_be_visible()
    pg.get_by_role("button", name="Show a new code").click()
    code_box = pg.locator("#pair-code")
    expect(code_box).to_have_text(re.compile(r"^\d{6}$"))
    code = code_box.inner_text()
    assert_accessible(pg, "browsers with a code")

    # The extension types the code shown in the window.
    r = requests.post(f"{helper.base}/v1/pair", json={"code": code}, headers={"Origin": EXTENSION_ORIGIN}, timeout=5)
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    ext = {"Authorization": f"Bearer {token}", "Origin": EXTENSION_ORIGIN}
    assert requests.post(f"{helper.base}/v1/settings", json={}, headers=ext, timeout=5).status_code == 200

    # The page follows the helper: the browser shows up and the spent code goes, with no reload.
    row = pg.locator("#paired tbody tr")
    expect(row).to_have_count(1)
    expect(code_box).to_have_text("No code yet")
    expect(pg.get_by_text("No browser is paired yet.")).to_be_hidden()
    expect(pg.locator("#status")).to_contain_text("is now connected to OnRecord")
    expect(row).to_contain_text(EXTENSION_ORIGIN)
    expect(row).to_contain_text("Paired")
    assert_accessible(pg, "browsers with one paired")

    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    assert requests.post(f"{helper.base}/v1/settings", json={}, headers=ext, timeout=5).status_code == 401


# --- activity -----------------------------------------------------------------------------------

def _record_activity(helper) -> None:
    """Decisions as the extension records them, plus two from earlier days written to the same log."""
    token = helper.pair_extension()
    ext = {"Authorization": f"Bearer {token}", "Origin": EXTENSION_ORIGIN}
    for body in (
        {"site": "x", "account": "@amyclarke", "decision": "acknowledged", "categories": ["disclaimer"], "rule_ids": ["dh.disclaimer"]},
        {"site": "linkedin", "account": "amy-clarke", "decision": "overridden", "categories": ["political"],
         "rule_ids": ["dh.political"], "reason": "quoting the manifesto for a course"},
    ):
        r = requests.post(f"{helper.base}/v1/decisions", json=body, headers=ext, timeout=5)
        assert r.status_code == 200, r.text
    log = AuditLog(helper.home / "audit.sqlite3")
    ten_days_ago = (datetime.now() - timedelta(days=10)).timestamp()
    log.record(AuditEvent("x", "@AmyatDH", "official", "fixed", ("dh.patient",), ("patient_data",), None, ten_days_ago))
    log.record(AuditEvent("mastodon", "@amyc@mastodon.social", "personal", "posted", (), ("permanence",), None, ten_days_ago - 3600))


def test_filtering_the_activity_and_exporting_it(page, helper):
    pg = page
    with_profile(pg, helper)
    _record_activity(helper)
    go(pg, "Activity")
    act = pg.locator("#page-activity")
    rows = pg.locator("#activity tbody tr")
    expect(rows).to_have_count(4)
    assert_accessible(pg, "activity")

    act.get_by_label("Site").select_option("x")
    act.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(2)
    act.get_by_label("Topic").select_option("patient_data")
    act.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("@AmyatDH")

    act.get_by_label("Site").select_option("")
    act.get_by_label("Topic").select_option("")
    today = date.today()
    act.get_by_label("From", exact=True).fill((today - timedelta(days=1)).isoformat())
    act.get_by_label("To", exact=True).fill(today.isoformat())
    act.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(2)
    expect(pg.locator("#activity-count")).to_have_text("2 entries.")

    with pg.expect_download() as dl:
        pg.get_by_role("link", name="Export as CSV").click()
    text = open(dl.value.path(), encoding="utf-8").read()
    exported = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["site"] for r in exported) == ["linkedin", "x"]
    assert {r["decision"] for r in exported} == {"acknowledged", "overridden"}
    assert "quoting the manifesto for a course" in text

    # An end before the start is refused next to the field; the filters stay as typed.
    act.get_by_label("To", exact=True).fill((today - timedelta(days=5)).isoformat())
    act.get_by_role("button", name="Show").click()
    to = act.get_by_label("To", exact=True)
    expect(to).to_have_attribute("aria-invalid", "true")
    expect(pg.locator("#activity-to-error")).to_contain_text("before the start")
    expect(act.get_by_label("From", exact=True)).to_have_value((today - timedelta(days=1)).isoformat())
    assert_accessible(pg, "activity with an error")


# --- about --------------------------------------------------------------------------------------

def test_the_about_page_says_where_things_are_and_how_the_helper_is(page, helper):
    pg = page
    with_profile(pg, helper)
    go(pg, "About")
    facts = pg.locator("#about-facts")
    from onrecord import __version__
    expect(facts).to_contain_text(__version__)
    expect(facts).to_contain_text(str(helper.home))
    expect(facts).to_contain_text("SecretService")
    expect(facts).to_contain_text(f"process {helper.proc.pid}")
    expect(pg.locator("#about-help")).to_contain_text("onrecord --help")
    expect(facts).to_contain_text(f"Running at {helper.base}")
    assert_accessible(pg, "about")

    retention = pg.get_by_label("Keep the activity log for (days)")
    retention.fill("ninety")
    pg.locator("#about-settings").get_by_role("button", name="Save settings").click()
    expect(retention).to_have_attribute("aria-invalid", "true")
    expect(retention).to_have_value("ninety")
    retention.fill("30")
    pg.locator("#about-settings").get_by_role("button", name="Save settings").click()
    expect(pg.get_by_role("status").first).to_contain_text("Settings saved")
    assert json.loads((helper.home / "settings.json").read_text())["audit_retention_days"] == 30


def test_every_page_can_be_reached_by_keyboard(page, helper):
    pg = page
    with_profile(pg, helper)
    # The skip link comes first, then the pages' links, in order.
    pg.keyboard.press("Tab")
    expect(pg.get_by_role("link", name="Skip to the page")).to_be_focused()
    names = ["Accounts", "Profile", "Policy", "Browsers", "Activity", "About"]
    for name in names:
        pg.keyboard.press("Tab")
        expect(pg.get_by_role("link", name=name, exact=True)).to_be_focused()
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("heading", level=1, name="About")).to_be_focused()


def test_a_corrupt_saved_profile_is_kept_aside_and_the_window_says_so(browser, helper):
    (helper.home / "profile.yaml").write_text("name: [unclosed\n")
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(helper.window_url)
    pg.wait_for_selector("body[data-ready=true]")
    expect(pg.locator("#status")).to_contain_text("kept aside")
    expect(pg.get_by_role("heading", name="Welcome to OnRecord")).to_be_visible()
    kept = list(helper.home.glob("profile.yaml.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == "name: [unclosed\n"
    context.close()


def test_the_skip_link_moves_to_the_page_without_leaving_it(page, helper):
    pg = page
    with_profile(pg, helper)
    go(pg, "Browsers")
    skip = pg.get_by_role("link", name="Skip to the page")
    skip.focus()
    expect(skip).to_be_visible()  # shown while it has focus
    pg.keyboard.press("Enter")
    expect(pg.locator("#main")).to_be_focused()
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_visible()


def test_ctrl_w_closes_the_window_through_its_own_bridge(browser, helper):
    # In the real window, pywebview gives the page `window.pywebview.api`; here a stand-in bridge records
    # the call, since headless Chromium has no pywebview. What is tested is the page's keyboard handling.
    context = browser.new_context()
    try:
        pg = context.new_page()
        pg.add_init_script("window.pywebview = {api: {close: () => { window.closedBy = 'bridge'; }}};")
        pg.goto(helper.window_url)
        pg.wait_for_selector("body[data-ready=true]")
        pg.keyboard.press("Control+KeyW")
        pg.wait_for_function("window.closedBy === 'bridge'", timeout=5000)
        # Without Ctrl, W is only a letter: typing it in a field closes nothing.
        pg.evaluate("window.closedBy = null")
        pg.get_by_label("Your name").press("w")
        assert pg.evaluate("window.closedBy") is None
    finally:
        context.close()


# --- reflow: no sideways scrolling in a narrow or zoomed window (WCAG 1.4.10) ------------------------

# 320 CSS px is WCAG's width; 490 is the window's opening width (980) at 200% zoom, and 280 its minimum
# width (560) at 200%. Zooming in a browser narrows the page's viewport in CSS pixels by the same factor,
# which is what these widths give the page. 560 is the minimum window at 100%, and 660 is just wide
# enough for tables to be tables again.
NARROW_WIDTHS = (320, 490, 280, 560, 660)


def assert_no_sideways_scroll(pg, where: str) -> None:
    """Neither the page nor any box in it is wider than the window. (What a clipped box hides, such as a
    table's visually hidden header, is not shown and so cannot be scrolled to.)"""
    sizes = pg.evaluate("""() => {
        const root = document.documentElement;
        const clipped = (n) => {
          for (let a = n.parentElement; a && a !== root; a = a.parentElement) {
            if (['hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
          }
          return false;
        };
        const wider = Array.from(document.querySelectorAll('body *')).filter((n) => {
          const r = n.getBoundingClientRect();
          return r.width && (r.right > root.clientWidth + 0.5 || r.left < -0.5) && !n.closest('.skip') && !clipped(n);
        }).map((n) => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.className ? '.' + n.className : ''));
        return {scroll: root.scrollWidth, client: root.clientWidth, wider: wider.slice(0, 8)};
    }""")
    assert sizes["scroll"] <= sizes["client"] and not sizes["wider"], f"{where} scrolls sideways: {sizes}"


def test_no_page_scrolls_sideways_at_320_px_or_200_percent_zoom(page, helper):
    pg = page
    # The first-run steps, with nothing saved yet.
    for width in NARROW_WIDTHS:
        pg.set_viewport_size({"width": width, "height": 700})
        assert_no_sideways_scroll(pg, f"wizard step 1 at {width} px")
    pg.get_by_label("Your name").fill("Amy Clarke")
    pg.get_by_role("button", name="Next").click()
    pg.get_by_label("Organisation").fill("Department of Health")
    pg.locator("#pack-dh").check()
    for width in NARROW_WIDTHS:
        pg.set_viewport_size({"width": width, "height": 700})
        assert_no_sideways_scroll(pg, f"wizard step 2 at {width} px")
    pg.get_by_role("button", name="Next").click()
    expect(pg.get_by_text("Step 3 of 3")).to_be_visible()
    editor = pg.locator("#wizard-accounts")
    editor.get_by_label("Handle or name").fill("@amy@a-rather-long-instance-name.mastodon.example")
    editor.get_by_role("button", name="Add account").click()
    for width in NARROW_WIDTHS:
        pg.set_viewport_size({"width": width, "height": 700})
        assert_no_sideways_scroll(pg, f"wizard step 3 at {width} px")
    assert_accessible(pg, "wizard step 3 at 280 px")

    # Every page, with accounts, a paired browser and activity to show.
    pg.set_viewport_size({"width": 1000, "height": 900})
    with_profile(pg, helper)
    _record_activity(helper)
    for name in ("Accounts", "Profile", "Policy", "Browsers", "Activity", "About"):
        pg.set_viewport_size({"width": 1000, "height": 900})
        if name != "Accounts":  # the page shown after the reload
            go(pg, name)
        for width in NARROW_WIDTHS:
            pg.set_viewport_size({"width": width, "height": 700})
            assert_no_sideways_scroll(pg, f"{name} at {width} px")
            # Every account's Edit and Remove buttons are in the window, not off to its right.
            for button in pg.get_by_role("button", name=re.compile(r"^(Edit|Remove) ")).all():
                box = button.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, button.get_attribute("aria-label")
        pg.set_viewport_size({"width": 280, "height": 700})
        assert_accessible(pg, f"{name} at 280 px")


def tab_to(pg, target, most: int = 60) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user does."""
    for _ in range(most):
        if target.evaluate("n => n === document.activeElement"):
            return
        pg.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_accounts_and_browsers_work_by_keyboard_alone_in_a_narrow_window(page, helper):
    pg = page
    with_profile(pg, helper)
    pg.set_viewport_size({"width": 320, "height": 700})
    pg.locator("#accounts-heading").focus()
    tab_to(pg, pg.get_by_role("button", name="Edit @AmyatDH on X (Twitter)"))
    pg.keyboard.press("Enter")
    form = pg.get_by_role("form", name="Edit @AmyatDH")
    expect(form.get_by_label("Handle or name")).to_be_focused()
    pg.keyboard.press("Tab")
    expect(form.get_by_label("Official")).to_be_focused()  # the kind chosen, in its group of radio buttons
    pg.keyboard.press("ArrowDown")
    expect(form.get_by_label("Corporate")).to_be_checked()
    pg.keyboard.press("Tab")
    expect(form.get_by_label("Another body it speaks for (optional)")).to_be_focused()
    pg.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Save changes")).to_be_focused()
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("form", name="Add an account")).to_be_visible()
    assert {"site": "x", "handle": "@AmyatDH", "channel": "corporate"} in saved(helper.home)["accounts"]

    tab_to(pg, pg.get_by_role("button", name="Remove @AmyatDH on X (Twitter)"))
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("form", name="Add an account").get_by_label("Handle or name")).to_be_focused()
    assert all(a["handle"] != "@AmyatDH" for a in saved(helper.home)["accounts"])

    nav = pg.get_by_role("navigation", name="Settings pages")
    nav.get_by_role("link", name="Browsers").focus()
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("heading", level=1, name="Browsers")).to_be_focused()
    tab_to(pg, pg.get_by_role("button", name="Show a new code"))
    pg.keyboard.press("Enter")
    expect(pg.locator("#pair-code")).to_have_text(re.compile(r"^\d{6}$"))
    assert_no_sideways_scroll(pg, "Browsers with a code at 320 px")
