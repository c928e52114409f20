import pytest


@pytest.mark.parametrize("text", [
    "Big day for NHS England today",             # organisation name
    "Proud of the new guidance we published",    # business vocabulary
    "Three ICBs asked about joint commissioning",  # declared expertise
    "Back at work tomorrow",
    "Primary care funding must reach local services",  # expertise topic framed as policy
])
def test_work(one_rule, text):
    assert one_rule("{work_related: true}")(text)


@pytest.mark.parametrize("text", [
    "Board games night at ours", "Great party for Mum's 60th", "Got my flu jab today",
    "My team finally won the pub quiz", "Honesty is the best policy", "Dress code is black tie",
    "Insurance policy renewed, ouch", "Be patient with the new puppy",
])
def test_not_work(one_rule, text):
    assert not one_rule("{work_related: true}")(text)


def test_official_handles_count_as_the_organisation(one_rule):
    assert one_rule("{work_related: true}")("Follow @meofficial for updates")
