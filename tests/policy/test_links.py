"""Every prompt links to the policy text it cites: the pack's documents, each rule naming one and its section."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.policy.engine import check_text
from onrecord.policy.packs import load_pack, validate_file

BUILTIN = ("civil-service", "dh", "nhs-england")
PROFILES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "profiles"


@pytest.mark.parametrize("pid", BUILTIN)
def test_every_built_in_rule_links_to_published_policy_text(pid):
    for rule in load_pack(pid).rules:
        assert rule.link and rule.link.startswith("https://") and " " not in rule.link, rule.id


def test_a_rule_links_to_the_section_it_cites():
    links = {r.id: r.link for r in load_pack("dh").rules}
    assert links["cs.political.impartiality"] == \
        "https://www.gov.uk/government/publications/civil-service-code/the-civil-service-code#political-impartiality"
    assert links["dh.expertise"].startswith("https://digitalhealth.blog.gov.uk/2013/07/01/contentpolicy/#:~:text=8.")
    nhse = {r.id: r.link for r in load_pack("nhs-england").rules}
    pdf = "https://www.england.nhs.uk/wp-content/uploads/2018/04/social-media-policy.pdf"
    assert nhse["nhse.media.official"] == pdf + "#page=12"  # 3.5 Responding to the media
    assert nhse["nhse.reference"] == pdf + "#page=11"  # 3.4 References and endorsements


def test_the_check_answer_carries_the_link_beside_the_source(amy):
    result = check_text(amy, "x", "@amyclarke", "Vote Labour on Thursday! Our ward is so busy.").to_json()
    political = next(p for p in result["prompts"] if p["category"] == "political")
    assert political["source"] and political["link"].endswith("#political-impartiality")
    assert all(p["link"].startswith("https://") for p in result["prompts"])


def test_onrecord_check_json_prints_the_link():
    out = subprocess.run([sys.executable, "-m", "onrecord", "check", "--profile", str(PROFILES / "nhse-raj.yaml"),
                          "--site", "x", "--account", "@RajatNHSE", "--json", "Replying to the BBC about our plans."],
                         capture_output=True, text=True, check=True).stdout
    prompts = json.loads(out)["prompts"]
    assert prompts and all(p["link"].startswith("https://www.england.nhs.uk/") for p in prompts)


INTRANET = """id: trust
title: A trust's own pack
extends: nhs-england
documents:
  policy:
    title: "Our social media policy (intranet copy)"
    link: https://intranet.example.nhs.uk/policies/social-media
    sections: {"3.1": "#participating", "3.2": "#safeguarding", "3.4": "#references", "3.5": "#media", "3.6": "#official"}
"""


def test_an_organisation_points_links_at_its_intranet_copy(tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text(INTRANET, encoding="utf-8")
    links = {r.id: r.link for r in load_pack(str(path)).rules}
    assert links["nhse.media.official"] == "https://intranet.example.nhs.uk/policies/social-media#media"
    assert links["nhse.patient-data"] == "https://intranet.example.nhs.uk/policies/social-media#participating"


def test_naming_a_missing_document_or_section_is_a_problem_with_its_line(tmp_path):
    rule = """rules:
  - id: trust.car-park
    category: confidential
    severity: warn
    channels: [any]
    triggers: [{phrases: [car park plans]}]
    message: The car park plans are not public yet.
    source: Trust estates policy 2.1
    document: %s
    section: "%s"
    examples:
      fire: ["Seen the car park plans?"]
      pass: ["Parked in the car park."]
"""
    path = tmp_path / "trust.yaml"
    path.write_text("id: trust\ntitle: T\nextends: nhs-england\n" + rule % ("estates", "2.1"), encoding="utf-8")
    [problem] = validate_file(str(path))
    assert problem.line == 12 and "no document 'estates'" in problem.message and "policy" in problem.message
    path.write_text("id: trust\ntitle: T\nextends: nhs-england\n" + rule % ("policy", "9.9"), encoding="utf-8")
    [problem] = validate_file(str(path))
    assert problem.line == 13 and "no section '9.9'" in problem.message
    path.write_text("id: trust\ntitle: T\nextends: nhs-england\n" + rule % ("policy", "3.1"), encoding="utf-8")
    assert validate_file(str(path)) == []
    assert load_pack(str(path)).rules[0].link.endswith("social-media-policy.pdf#page=7")


def test_a_link_must_be_https(tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text(INTRANET.replace("https://intranet", "http://intranet"), encoding="utf-8")
    problems = validate_file(str(path))
    assert problems and problems[0].line == 7 and "documents.policy.link" in problems[0].message
