"""Whose name a disclaimer gives: the organisation's managed `organisation` wins over the profile's, and an
account's own `organisation` (staff of an agency or arm's-length body) wins over both for that account.

Real command line (`onrecord` in its own process, its data folder named by ONRECORD_HOME and its managed
folder by ONRECORD_MANAGED_DIR, read exactly as /etc/onrecord is), real profile files, real pack.
"""

from __future__ import annotations

import json

import pytest

from .test_commands import onrecord

DHSC = "Department of Health and Social Care"
UKHSA = "UK Health Security Agency"
# A personal post about work: the disclaimer prompt fires and its fix names the organisation.
DRAFT = "Proud of my team today: our new vaccine guidance for care homes is out."


def profile_yaml(organisation: str, account_org: str | None = None) -> str:
    own = f", organisation: {account_org}" if account_org else ""
    return (f"name: Amy Clarke\norganisation: {organisation}\npolicy_pack: dh\nroles: [civil_servant]\n"
            "accounts:\n  - {site: x, handle: '@amyclarke', channel: personal}\n"
            f"  - {{site: x, handle: '@amy_ukhsa', channel: personal{own}}}\n")


@pytest.fixture
def managed(tmp_path):
    folder = tmp_path / "managed"
    folder.mkdir()
    return folder


def check(home, managed, account: str) -> dict:
    r = onrecord("check", "--json", "--site", "x", "--account", account, "-", home=home, managed=managed,
                 check=False, stdin=DRAFT)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def disclaimer(answer: dict) -> dict:
    found = [p for p in answer["prompts"] if p["category"] == "disclaimer"]
    assert found, answer
    return found[0]


# "Dept of Health" is what a user might type; "Department of Health" is the pre-2018 name, which the pack
# itself renames, so only the first shows the managed name winning on its own.
@pytest.mark.parametrize("typed", ["Dept of Health", "Department of Health"])
def test_the_managed_organisation_wins_over_the_one_the_profile_names(tmp_path, managed, typed):
    home = tmp_path / "home"
    source = tmp_path / "amy.yaml"
    source.write_text(profile_yaml(typed))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    before = disclaimer(check(home, managed, "@amyclarke"))
    assert DHSC in before["fix"]["text"] or typed in before["fix"]["text"]

    (managed / "managed.json").write_text(json.dumps({"organisation": DHSC}))
    prompt = disclaimer(check(home, managed, "@amyclarke"))
    assert prompt["fix"]["text"].endswith(f"not the {DHSC}'s."), prompt
    assert "Dept of Health" not in prompt["fix"]["text"]
    # What the user typed stays in the saved profile, for the day the organisation stops setting it.
    assert json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)["organisation"] == typed
    # ...and `policy show` says the name in force is the organisation's.
    rows = {r["name"]: r for r in json.loads(onrecord("policy", "show", "--json", home=home, managed=managed).stdout)["settings"]}
    assert rows["organisation"]["value"] == DHSC and rows["organisation"]["source"] == "managed"


def test_an_accounts_own_organisation_wins_over_the_managed_and_the_profiles(tmp_path, managed):
    home = tmp_path / "home"
    source = tmp_path / "amy.yaml"
    source.write_text(profile_yaml("Dept of Health", UKHSA))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    (managed / "managed.json").write_text(json.dumps({"organisation": DHSC}))
    own = disclaimer(check(home, managed, "@amy_ukhsa"))
    assert own["fix"]["text"].endswith(f"not the {UKHSA}'s."), own
    assert DHSC not in own["fix"]["text"]
    # The user's other account names the organisation's name.
    assert disclaimer(check(home, managed, "@amyclarke"))["fix"]["text"].endswith(f"not the {DHSC}'s.")
    # A former name on the account is given by today's name, as for the profile's.
    source.write_text(profile_yaml("Dept of Health", "Public Health England"))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    assert disclaimer(check(home, managed, "@amy_ukhsa"))["fix"]["text"].endswith(f"not the {UKHSA}'s.")


def test_an_accounts_organisation_is_validated_and_round_trips_through_import_show_and_merge(tmp_path, managed):
    home = tmp_path / "home"
    bad = tmp_path / "bad.yaml"
    bad.write_text(profile_yaml("Dept of Health").replace("channel: personal}\n", "channel: personal, organisation: 7}\n", 1))
    r = onrecord("profile", "import", str(bad), home=home, managed=managed, check=False)
    assert r.returncode != 0 and "accounts[0].organisation" in r.stderr and "expected string" in r.stderr

    source = tmp_path / "amy.yaml"
    source.write_text(profile_yaml("Dept of Health", UKHSA))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    shown = json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)
    assert shown["accounts"][1] == {"site": "x", "handle": "@amy_ukhsa", "channel": "personal", "organisation": UKHSA}
    assert "organisation" not in shown["accounts"][0]
    # What `profile show` prints imports back to the same profile.
    exported = tmp_path / "exported.json"
    exported.write_text(json.dumps(shown))
    onrecord("profile", "import", str(exported), home=home, managed=managed)
    assert json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout) == shown

    # A login script's --merge keeps the user's own answer for an account and fills one left empty.
    central = tmp_path / "central.yaml"
    central.write_text("name: Login Script\norganisation: Department of Health and Social Care\npolicy_pack: dh\n"
                       "accounts:\n  - {site: x, handle: '@AMY_UKHSA', channel: personal, organisation: Somebody Else}\n"
                       "  - {site: x, handle: '@amyclarke', channel: personal, organisation: NHS England}\n")
    onrecord("profile", "import", "--merge", str(central), home=home, managed=managed)
    merged = {a["handle"]: a for a in json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)["accounts"]}
    assert merged["@amy_ukhsa"]["organisation"] == UKHSA
    assert merged["@amyclarke"]["organisation"] == "NHS England"


def test_the_browser_redeclaring_an_account_keeps_its_organisation(tmp_path, monkeypatch, managed):
    from onrecord.app import create_app
    from onrecord.managed import ManagedReader
    from onrecord.profile import Account
    from onrecord.service import CheckRequest
    home = tmp_path / "home"
    monkeypatch.setenv("ONRECORD_HOME", str(home))
    source = tmp_path / "amy.yaml"
    source.write_text(profile_yaml("Dept of Health", UKHSA))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    (managed / "managed.json").write_text(json.dumps({"organisation": DHSC}))
    app = create_app({"MANAGED": ManagedReader(managed), "AUDIT_DB": str(tmp_path / "a.sqlite3"),
                      "ONRECORD_WINDOW_KEY_FILE": False})
    service = app.extensions["onrecord_service"]
    # The extension's card declares the account again (it knows site, handle and channel only).
    answer = service.declare_account(Account("x", "@Amy_UKHSA", "personal"))
    assert answer["account"]["organisation"] == UKHSA

    def fix(account):
        texts = [p.fix.text for p in service.check(CheckRequest("x", account, DRAFT)).prompts
                 if p.fix and p.category == "disclaimer"]
        assert texts
        return texts[0]
    assert fix("@amy_ukhsa").endswith(f"not the {UKHSA}'s.")
    assert fix("@amyclarke").endswith(f"not the {DHSC}'s.")


def test_onrecord_check_applies_the_organisations_accounts_as_the_helper_does(tmp_path, managed):
    home = tmp_path / "home"
    source = tmp_path / "amy.yaml"
    source.write_text(profile_yaml("Dept of Health"))
    onrecord("profile", "import", str(source), home=home, managed=managed)
    assert check(home, managed, "@dhscgovuk")["account"]["channel"] == "unknown"
    (managed / "managed.json").write_text(json.dumps({
        "officialAccounts": [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"}]}))
    assert check(home, managed, "@dhscgovuk")["account"]["channel"] == "corporate"
    # ...with a profile file named on the command line too.
    r = onrecord("check", "--json", "--profile", str(source), "--site", "x", "--account", "@dhscgovuk", "-",
                 home=home, managed=managed, stdin=DRAFT)
    assert json.loads(r.stdout)["account"]["channel"] == "corporate"
