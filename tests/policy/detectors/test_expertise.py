def test_off_topic_only_when_no_declared_topic_is_named(one_rule):
    fires = one_rule("{off_expertise: {}}", channels="[official]")
    official = dict(account="@meofficial")
    assert fires("Our view on the defence budget and new warships", **official)
    assert not fires("Primary care commissioning update, and a word on defence", **official)
    assert not fires("Happy new year from all of us", **official)
    assert not fires("New guidance on pharmacy services", **official)  # primary care covers pharmacy


# Judged by subject against GOV.UK's topic taxonomy (common.yaml's topic_groups and topics): drafts
# written for these tests, in no pack's examples or word lists as whole sentences.
import pytest  # noqa: E402

from onrecord.policy.engine import check_text  # noqa: E402
from onrecord.policy.packs import load_pack, validate_file  # noqa: E402
from onrecord.profile import profile_from_dict  # noqa: E402


def _official(expertise, job_title="Policy adviser", pack="dh"):
    return profile_from_dict({"name": "Sam Reid", "organisation": "Department of Health and Social Care",
                              "policy_pack": pack, "roles": ["civil_servant"], "job_title": job_title,
                              "expertise": expertise, "line_manager": "Pat Lee",
                              "accounts": [{"site": "x", "handle": "@SamatDH", "channel": "official"},
                                           {"site": "x", "handle": "@samreid", "channel": "personal"}]})


def _expertise(profile, text, account="@SamatDH"):
    return [p for p in check_text(profile, "x", account, text).prompts if p.category == "expertise"]


OUTSIDE_PUBLIC_HEALTH = [
    "The frigate programme will keep the Clyde shipyards busy for a decade.",
    "Burglary sentences are far too lenient, and magistrates know it.",
    "Headteachers tell us Ofqual's new grading rules will confuse parents.",
    "Why the spring statement matters for first-time buyers.",
    "Great British Railways takes over the first train operators next month.",
    "Skilled worker visa numbers fell by a third last year.",
    "The two-child limit is pushing more families towards food banks.",
    "Offshore wind auctions closed with record bids.",
]


@pytest.mark.parametrize("text", OUTSIDE_PUBLIC_HEALTH)
def test_an_official_post_on_an_area_outside_the_declared_expertise_is_prompted(text):
    [prompt] = _expertise(_official(["public health", "health inequalities"]), text)
    assert prompt.matches, "the prompt quotes the words that show the subject"


@pytest.mark.parametrize("text", [
    "Stop smoking services helped 40,000 people quit last year.",
    "Health inequalities start early: our plan for health visiting.",
    "Childhood obesity is falling fastest where councils act on junk food.",
    "Thanks to everyone who joined today's webinar.",
])
def test_a_post_within_the_declared_expertise_or_on_no_policy_area_is_not(text):
    assert not _expertise(_official(["public health", "health inequalities"]), text)


def test_the_same_post_from_a_personal_account_is_not_judged():
    assert not _expertise(_official(["public health"]), OUTSIDE_PUBLIC_HEALTH[0], account="@samreid")


@pytest.mark.parametrize("expertise, job_title", [
    (["health"], "Policy adviser"),
    (["health and social care"], "Policy adviser"),
    (["the NHS"], "Policy adviser"),
    (["health policy"], "Special adviser"),
    ([], "Minister of State for Health"),
])
def test_expertise_naming_a_whole_area_covers_every_narrower_area_in_it(expertise, job_title):
    profile = _official(expertise, job_title)
    for text in ["Corridor care in A&E must end this winter.", "Pharmacy First now treats seven conditions.",
                 "The care cap will protect people from catastrophic costs.", "Mounjaro prescribing is rising fast."]:
        assert not _expertise(profile, text), (expertise, job_title, text)
    assert _expertise(profile, "Our take on the frigate programme and the defence review.")


def test_a_narrow_area_does_not_cover_its_neighbours():
    profile = _official(["public health"])
    assert _expertise(profile, "Corridor care in A&E must end this winter.")
    assert _expertise(profile, "The care cap will protect people from catastrophic costs.")


def test_the_taxonomy_is_pack_data_checked_when_the_pack_loads(tmp_path):
    areas = load_pack("dh").area_names
    assert areas["defence"] == areas["defence and armed forces"] == {"defence"}
    assert {"public_health", "social_care", "mental_health"} <= areas["health and social care"]
    path = tmp_path / "trust.yaml"
    path.write_text("id: trust\ntitle: T\nextends: nhs-england\n"
                    "topic_groups:\n  estates:\n    title: Estates\n    topics: [car_parks, hospitals_and_urgent_care]\n",
                    encoding="utf-8")
    [problem] = validate_file(str(path))
    assert problem.line == 7 and "no topic named 'car_parks'" in problem.message


def test_a_digital_leads_area_covers_the_services_it_builds():
    lead = _official(["digital services", "social media"], "Digital engagement lead")
    assert not _expertise(lead, "Our new NHS App feature lets you book GP appointments online.")
    assert not _expertise(lead, "Read the new toolkit on GOV.UK today.")
    assert _expertise(lead, "Farmers are protesting over the new subsidy rules.")


def test_an_area_is_recognised_in_the_words_people_use_for_it():
    care_lead = _official(["adult social care", "unpaid carers"], "Senior policy adviser, adult social care")
    # The subject is caring, in plain words; the police are named in passing.
    assert not _expertise(care_lead, "Our new guide for people looking after a relative, written with the police.")
    assert not _expertise(care_lead, "Respite care and day centres: what councils must offer.")
    assert _expertise(care_lead, "Police stop and search figures rose again this year.")


def test_an_area_declared_in_other_words_around_its_name_is_covered():
    profile = _official(["primary and community care", "children's mental health services"])
    assert not _expertise(profile, "GP appointments are easier to book online from next month.")
    assert not _expertise(profile, "Eating disorders referrals for teenagers have doubled.")
    assert _expertise(profile, "Our take on the frigate programme and the defence review.")
