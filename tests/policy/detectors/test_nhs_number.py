import pytest

from onrecord.policy.detectors.nhs_number import is_valid


@pytest.mark.parametrize("digits", ["9434765919", "4010232137", "4854519568", "6124769042"])
def test_valid_check_digits_in_issued_ranges(digits):
    assert is_valid(digits)


@pytest.mark.parametrize("digits", [
    "4010232138",  # wrong check digit
    "9434765918",
    "0000000000",  # passes modulus 11 but is never issued
    "1111111111",
    "5559746223",  # check digit right, 5xx block never issued
    "1234567890",  # check digit would be 10: no such number
    "943476591",   # nine digits
])
def test_invalid_or_unissued_numbers_are_denied(digits):
    assert not is_valid(digits)


def test_formatted_numbers_fire_on_their_own(one_rule):
    fires = one_rule("{nhs_number: {}}")
    assert fires("Can someone look up 943 476 5919 for me?")
    assert fires("Can someone look up 943-476-5919 for me?")
    assert not fires("Can someone look up 943 476 5918 for me?")
    assert not fires("Booking ref 000 000 0000 please")


def test_run_together_digits_need_a_context_word(one_rule):
    fires = one_rule("{nhs_number: {}}")
    assert not fires("My train ticket reference is 4010232137, any ideas?")
    assert fires("Referral for patient 4010232137 went astray")
    assert not fires("Phone me on 9434765919 later")  # no NHS context


def test_mixed_separators_and_no_break_spaces_are_still_nhs_numbers(one_rule):
    # People (and forms that paste) mix the separators; a no-break space is a space.
    fires = one_rule("{nhs_number: {}}")
    assert fires("Her number is 943 476-5919")
    assert fires("Her number is 943-476 5919")
    assert fires("Her number is 943\u00a0476\u00a05919")
    assert fires("Her number is 943\u202f476\u202f5919")
    assert not fires("Her number is 943 476-5918")  # the check digit is wrong


def test_longer_numbers_are_not_nhs_numbers(one_rule):
    fires = one_rule("{nhs_number: {}}")
    assert not fires("NHS order 19434765919")
