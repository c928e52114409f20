import pytest

from onrecord.policy.detectors.phone import find


@pytest.mark.parametrize("text, national", [
    ("Call me on 07700 900123", "7700900123"),
    ("Text 07700900123 now", "7700900123"),
    ("Ring +44 7700 900987 please", "7700900987"),
    ("+44 (0)113 496 0123 is the number", "1134960123"),
    ("Our landline is 0113 496 0123", "1134960123"),
    ("London office 020 7946 0000", "2079460000"),
    ("Try (01632) 960 001", "1632960001"),
    ("From abroad ring 0044 7700 900987", "7700900987"),
    ("0044 113 496 0123 from overseas", "1134960123"),
    ("Mobile 07700\u00a0900\u00a0123", "7700900123"),
])
def test_uk_mobiles_and_landlines(text, national):
    assert national in find(text)


@pytest.mark.parametrize("text", [
    "Call NHS 111 for advice", "Freephone 0800 123 4567", "Helpline 0300 123 1234",
    "Met 3 friends at 7 for dinner", "Order 4010232137 arrived", "It costs 07 pounds",
    "Score was 2-1 at 90 minutes",
])
def test_not_personal_phone_numbers(text):
    assert find(text) == []


def test_through_a_pack(one_rule):
    fires = one_rule("{phone: {}}")
    assert fires("Ring me on 07911 123456 tonight")
    assert not fires("Platform 4 at 10:15")


def test_published_switchboards_and_press_offices_are_not_personal(one_rule):
    fires = one_rule("{phone: {personal_only: true}}", extra="public_numbers: [\"020 7210 4850\"]\n")
    assert fires("Ring me on 07911 123456 tonight")
    assert not fires("Call the switchboard on 0113 496 0000 for the ward")
    assert not fires("Our press office is on 020 7946 0000")
    assert not fires("Questions? 020 7210 4850")  # listed in the pack
    assert fires("Questions? 020 7210 4851")
