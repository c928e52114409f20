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
