"""Disclaimers in the user's own terms: the account's own organisation, else the managed one, else the
profile's, by today's name, "the" where the name takes one, and a wording that fits the site's character
limit as the site counts it."""

import json
from dataclasses import replace

import pytest

from onrecord.managed import ManagedReader
from onrecord.managed.effective import apply_to_profile
from onrecord.policy.engine import check_text, count_chars
from onrecord.profile import profile_from_dict
from onrecord.service import PROVISIONAL_PROFILE
from onrecord.sites import CHARACTER_LIMITS

WORK = "Proud of the team behind this week's new guidance on local services."


def person(organisation, pack, **extra):
    return profile_from_dict({"name": "Sam Reid", "organisation": organisation, "policy_pack": pack,
                              "roles": ["civil_servant"],
                              "accounts": [{"site": s, "handle": "@samreid", "channel": "personal"}
                                           for s in ("x", "mastodon", "bluesky", "threads", "linkedin", "facebook")], **extra})


def fix_of(profile, text=WORK, site="x", category="disclaimer", context="post"):
    prompt = next(p for p in check_text(profile, site, "@samreid", text, context).prompts if p.category == category)
    return prompt.fix.text, prompt.message


@pytest.mark.parametrize("organisation, pack, expected", [
    ("UK Health Security Agency", "dh", "Views my own, not the UK Health Security Agency's."),
    ("Department of Health", "dh", "Views my own, not the Department of Health and Social Care's."),  # renamed in 2018
    ("NHS Digital", "nhs-england", "Views my own, not NHS England's."),  # part of NHS England since 2023
    ("DH", "dh", "Views my own, not DHSC's."),  # the acronym, by today's
    ("Department for International Trade", "civil-service", "Views my own, not the Department for Business and Trade's."),
    ("Leeds Teaching Hospitals NHS Trust", "nhs-england", "Views my own, not Leeds Teaching Hospitals NHS Trust's."),
    ("HM Treasury", "civil-service", "Views my own, not HM Treasury's."),
    ("the Cabinet Office", "civil-service", "Views my own, not the Cabinet Office's."),
])
def test_the_disclaimer_names_the_users_own_organisation_by_todays_name(organisation, pack, expected):
    text, _ = fix_of(person(organisation, pack))
    assert text == expected


def test_the_long_wordings_take_it_too():
    text, _ = fix_of(person("HM Revenue and Customs", "civil-service"), site="linkedin")
    assert text == "The views expressed here are my own and not those of HM Revenue and Customs."
    text, _ = fix_of(person("Leeds Teaching Hospitals NHS Trust", "nhs-england"), "Priya is a superb nurse.",
                     site="linkedin", category="reference", context="reference")
    assert text.endswith("should not be construed as a reference from Leeds Teaching Hospitals NHS Trust.")


def write_managed(folder, values):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "managed.json").write_text(json.dumps(values), encoding="utf-8")
    return ManagedReader(folder).current(force=True)


def test_the_managed_organisation_is_used_when_the_profile_names_none(tmp_path):
    managed = write_managed(tmp_path / "managed", {"organisation": "Department for Education"})
    assert apply_to_profile(PROVISIONAL_PROFILE, managed).organisation == "Department for Education"
    unnamed = replace(person("x", "civil-service"), organisation="")  # as before the user has set up
    assert fix_of(unnamed)[0] == "Views my own, not my department's."  # the pack's own fallback
    assert fix_of(apply_to_profile(unnamed, managed))[0] == "Views my own, not the Department for Education's."


def test_the_managed_organisation_wins_over_the_profiles_and_an_accounts_own_over_both(tmp_path):
    managed = write_managed(tmp_path / "managed", {"organisation": "Department of Health and Social Care"})
    profile = apply_to_profile(person("Dept of Health", "dh"), managed)
    assert fix_of(profile)[0] == "Views my own, not the Department of Health and Social Care's."
    # Staff of an agency name their own body on its account (a former name by today's).
    agency = person("Dept of Health", "dh", accounts=[{"site": "x", "handle": "@samreid", "channel": "personal",
                                                         "organisation": "Public Health England"}])
    assert fix_of(apply_to_profile(agency, managed))[0] == "Views my own, not the UK Health Security Agency's."


@pytest.mark.parametrize("site", sorted(s for s, limit in CHARACTER_LIMITS.items() if limit))
def test_the_offered_disclaimer_fits_the_sites_limit(site):
    limit = CHARACTER_LIMITS[site]
    profile = person("Department of Health and Social Care", "dh")
    for room in (70, 40, 20, 14):  # characters left after the draft
        draft = WORK + " " + "x" * (limit - room - len(WORK) - 1)
        text, message = fix_of(profile, draft, site=site)
        assert count_chars(site, draft) + 1 + len(text) <= limit, (site, room, text)
        assert "does not fit" not in message
    # No room at all: the shortest wording, and the message says how much to cut.
    draft = WORK + " " + "x" * (limit - len(WORK) - 1)
    text, message = fix_of(profile, draft, site=site)
    assert text == "Views my own." and f"does not fit the {limit}-character limit" in message


def test_x_counts_emoji_and_cjk_as_two_so_the_disclaimer_still_fits():
    draft = "Proud of the team behind the new guidance " + "\U0001F389" * 110  # 42 + 220 as X counts it
    assert count_chars("x", draft) == 262
    text, _ = fix_of(person("Department of Health and Social Care", "dh"), draft)
    assert text == "Views my own."
    assert count_chars("x", "\u65e5\u672c") == 4 and count_chars("x", "caf\u00e9") == 4


def test_mastodon_counts_links_as_23_and_remote_mentions_by_their_user():
    draft = (WORK + " @colleague@mastodon.social https://www.gov.uk/government/publications/"
             + "a-long-address-" * 30)
    assert count_chars("mastodon", draft) == len(WORK) + 1 + len("@colleague") + 1 + 23
    text, _ = fix_of(person("Department of Health and Social Care", "dh"), draft, site="mastodon")
    assert text == "Views my own, not the Department of Health and Social Care's."


@pytest.mark.parametrize("pid", ["civil-service", "dh", "nhs-england"])
def test_rule_lists_for_display_name_an_organisation_not_a_placeholder(pid):
    from onrecord.policy.packs import load_pack
    pack = load_pack(pid)
    assert not any("{organisation}" in r["message"] for r in pack.rules_summary())
    named = {r["id"]: r["message"] for r in pack.rules_summary("HM Treasury")}
    assert any("HM Treasury" in m for m in named.values()) or pid == "civil-service"
