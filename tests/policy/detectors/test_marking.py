import pytest

from onrecord.policy.detectors.marking import find


@pytest.mark.parametrize("text", [
    "Sharing the OFFICIAL-SENSITIVE briefing from this morning",
    "sharing the official-sensitive annex",
    "OFFICIAL SENSITIVE: winter planning",
    "TOP SECRET notes left on a train",
    "SECRET: outline of the arrangements",
    "Attached (RESTRICTED) for interest",
    "The CONFIDENTIAL briefing is grim",
    "PROTECT - PERSONAL minutes",
    "It was marked secret, honestly",
    "classified as Top Secret apparently",
    "This one's stamped SECRET so I can't say",
])
def test_markings(text):
    assert find(text)


@pytest.mark.parametrize("text", [
    "The secret to a good sourdough is patience. Official.",
    "It's official: summer is here!",
    "Confidential helplines are open all weekend",
    "Restricted view seats but a great show",
    "Top secret plan for Dad's birthday",
    "We must protect the NHS",
    "THE SECRET TO A GOOD SPONGE IS BUTTER, NOT MARGARINE",  # shouting, not marking
    "Official opening of the village hall on Saturday",
])
def test_ordinary_words(text):
    assert not find(text)


def test_through_a_pack(one_rule):
    fires = one_rule("{marking: {}}")
    assert fires("TOP SECRET: do not share")
    assert not fires("my top secret recipe")
