from onrecord.policy.detectors.address import find


def test_house_numbers_and_street_names():
    assert find("pop round to 14 Elm Road, Leeds") == ["14 Elm Road"]
    assert find("We're at 3a Church St.") == ["3a Church St."]
    assert find("Flat 2, 22 Ash Grove") == ["Flat 2, 22 Ash Grove"]


def test_not_addresses():
    assert find("I ran 14 miles on Elm road today") == []
    assert find("Meeting at 10 Downing Street", public={"downing street"}) == []
    assert find("Page 12 of the report") == []


def test_public_addresses_come_from_the_pack(one_rule):
    fires = one_rule("{street_address: {}}")
    assert fires("Drop it at 5 Rose Lane")
    assert not fires("Big day at 10 Downing Street")
