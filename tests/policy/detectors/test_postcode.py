import pytest

from onrecord.policy.detectors.postcode import find


@pytest.mark.parametrize("text", ["Leeds LS6 2AB", "at SW1A 2AA today", "EC1A 1BB", "M1 1AE", "B33 8TH",
                                  "CR2 6XH", "DN55 1PT", "W1A 0AX", "LS72AB",
                                  "ls6 2ab in lower case", "send it to yo1 7hh", "LS6\u00a02AB"])
def test_full_postcodes(text):
    assert find(text)


@pytest.mark.parametrize("text", ["I live in LS6", "Take the M6 9am", "Ls6 2aB half and half",
                                  "Flight BA 123", "A1 is closed", "Room 101"])
def test_not_full_postcodes(text):
    assert not find(text)


def test_through_a_pack(one_rule):
    fires = one_rule("{postcode: {}}")
    assert fires("Send it to YO1 7HH")
    assert not fires("Running round LS6 tonight")
