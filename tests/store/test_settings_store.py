"""settings.json: validated by the settings table, written atomically, a corrupt file kept aside."""

from __future__ import annotations

import json
import stat

import pytest

from onrecord.errors import BadInput
from onrecord.settings import defaults
from onrecord.store import settings_store


def test_defaults_when_nothing_is_saved(onrecord_home):
    assert settings_store.load() == defaults()


def test_save_validates_and_writes_for_the_user_alone(onrecord_home):
    saved = settings_store.update({"reminder_frequency": "every_post"})
    assert saved["reminder_frequency"] == "every_post" and saved["audit_retention_days"] == 90
    path = onrecord_home / "settings.json"
    assert json.loads(path.read_text())["reminder_frequency"] == "every_post"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings_store.load() == saved
    with pytest.raises(BadInput, match="colour"):
        settings_store.update({"colour": "blue"})
    with pytest.raises(BadInput, match="audit_retention_days"):
        settings_store.update({"audit_retention_days": 0})
    assert settings_store.load() == saved  # a refused save changes nothing
    assert not [p for p in onrecord_home.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"reminder_frequency": "hourly"}', '{"nope": 1}'])
def test_a_corrupt_file_is_kept_aside_and_reported(onrecord_home, content):
    path = onrecord_home / "settings.json"
    path.write_text(content)
    store = settings_store.SettingsStore()
    assert store.load() == defaults()
    aside = list(onrecord_home.glob("settings.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == content
    assert "kept aside" in store.problem and str(aside[0]) in store.problem
    store.save(defaults())
    assert store.problem is None


EVERY_SETTING_AS_BEFORE = {"audit_retention_days": 90, "log_level": "INFO", "port": 47651,
                           "reminder_frequency": "first_post_of_day"}


def test_a_file_from_an_earlier_version_keeps_only_the_users_own_choices(onrecord_home):
    """Earlier versions wrote every setting: a value equal to their default was never chosen."""
    path = onrecord_home / "settings.json"
    path.write_text(json.dumps({**EVERY_SETTING_AS_BEFORE, "log_level": "DEBUG"}))
    store = settings_store.SettingsStore()
    assert store.saved_names() == {"log_level"}
    assert store.load() == {**defaults(), "log_level": "DEBUG"} and store.problem is None
    assert settings_store.saved_names() == {"log_level"}
    # The next save writes today's format, with the user's choices only.
    store.update({"port": 47700})
    assert json.loads(path.read_text()) == {"format": 2, "log_level": "DEBUG", "port": 47700}
    assert store.saved_names() == {"log_level", "port"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unversioned_file_of_some_settings_holds_choices_only(onrecord_home):
    """Written with only the user's choices before the format was recorded: a default-valued one is a choice."""
    (onrecord_home / "settings.json").write_text(json.dumps({"reminder_frequency": "first_post_of_day"}))
    assert settings_store.SettingsStore().saved_names() == {"reminder_frequency"}


@pytest.mark.parametrize("version", [3, "2", True])
def test_a_file_of_a_format_this_version_does_not_read_is_kept_aside(onrecord_home, version):
    path = onrecord_home / "settings.json"
    content = json.dumps({"format": version, "log_level": "DEBUG"})
    path.write_text(content)
    store = settings_store.SettingsStore()
    assert store.load() == defaults()
    aside = list(onrecord_home.glob("settings.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == content
    assert "format" in store.problem and "kept aside" in store.problem
