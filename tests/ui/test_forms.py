"""What the settings forms send becomes a profile, an account or settings, or one message per field."""

from __future__ import annotations

import pytest

from onrecord.ui.forms import FormError, account_from_form, profile_from_form, settings_from_form


def fields_of(exc: FormError) -> dict:
    return {f["field"]: f["message"] for f in exc.fields}


def test_every_missing_field_gets_its_own_message():
    with pytest.raises(FormError) as err:
        profile_from_form({"name": "  ", "organisation": "", "policy_pack": "dh"})
    assert fields_of(err.value) == {"name": "Enter your name.", "organisation": "Enter your organisation."}


def test_text_is_trimmed_and_empty_optional_fields_left_out():
    p = profile_from_form({"name": " Jo Hart ", "organisation": "Department of Health", "policy_pack": "dh",
                           "roles": ["minister"], "job_title": "  ", "line_manager": "", "expertise": ["health", " ", ""],
                           "accounts": [{"site": "x", "handle": " @JoHartMP ", "channel": "personal", "bio_has_disclaimer": False}]})
    assert p.name == "Jo Hart" and p.job_title is None and p.line_manager is None
    assert p.expertise == ("health",)
    assert p.accounts[0].handle == "@JoHartMP"


def test_an_account_error_names_the_account_and_its_field():
    with pytest.raises(FormError) as err:
        profile_from_form({"name": "A", "organisation": "B", "policy_pack": "dh",
                           "accounts": [{"site": "x", "handle": "@a", "channel": "personal"},
                                        {"site": "myspace", "handle": "", "channel": "personal"}]})
    assert set(fields_of(err.value)) == {"accounts.1.site", "accounts.1.handle"}


def test_the_same_account_twice_is_refused():
    with pytest.raises(FormError) as err:
        profile_from_form({"name": "A", "organisation": "B", "policy_pack": "dh",
                           "accounts": [{"site": "x", "handle": "@Amy", "channel": "personal"},
                                        {"site": "x", "handle": "x.com/amy", "channel": "official"}]})
    assert "declared twice" in err.value.message


def test_an_account_needs_a_handle_and_a_known_site_and_channel():
    with pytest.raises(FormError) as err:
        account_from_form({"site": "x", "handle": " ", "channel": "secret"})
    assert fields_of(err.value) == {"handle": "Enter the handle.", "channel": "'secret' is not one of the choices for the kind of account."}
    acc = account_from_form({"site": "linkedin", "handle": "linkedin.com/in/amy-clarke/", "channel": "personal", "bio_has_disclaimer": 1})
    assert acc.key == "amy-clarke" and acc.bio_has_disclaimer is True


def test_settings_from_the_form_are_typed_and_checked_against_the_table():
    assert settings_from_form({"audit_retention_days": " 30 ", "log_level": "DEBUG"}) == {"audit_retention_days": 30, "log_level": "DEBUG"}
    with pytest.raises(FormError) as err:
        settings_from_form({"audit_retention_days": "ninety", "port": "80", "reminder_frequency": "hourly", "colour": "red"})
    found = fields_of(err.value)
    assert found["audit_retention_days"] == "Enter a whole number from 1 to 3650."
    assert "below the minimum 1024" in found["port"]
    assert "not one of" in found["reminder_frequency"]
    assert "Unknown setting" in found["colour"]
