"""Managed settings: read from each platform's places, validated key by key, merged in order, re-read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from onrecord.managed import ManagedReader
from onrecord.managed.sources import plist_paths

from tests.managed.regfile import RecordedRegistry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "managed"


def write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")


def test_files_apply_in_name_order_later_files_winning_key_by_key(tmp_path):
    write(tmp_path / "managed.json", {"organisation": "Department of Health", "reminderFrequency": "every_post"})
    write(tmp_path / "managed.d" / "20-later.json", {"organisation": "Department of Health and Social Care"})
    write(tmp_path / "managed.d" / "10-earlier.json", {"organisation": "DH", "auditRetentionDays": 365})
    write(tmp_path / "managed.d" / "notes.txt", "not a policy")
    m = ManagedReader(tmp_path).current()
    assert dict(m.values) == {"organisation": "Department of Health and Social Care",
                              "reminderFrequency": "every_post", "auditRetentionDays": 365}
    assert m.origins["organisation"].endswith("20-later.json")
    assert m.origins["reminderFrequency"].endswith("managed.json")


def test_a_bad_key_or_value_is_named_and_ignored_and_the_rest_applies(tmp_path):
    write(tmp_path / "managed.json", {"organisation": "DHSC", "reminderFrequency": "hourly", "shoeSize": 42,
                                      "officialAccounts": [{"site": "x", "handle": "@dhsc", "channel": "personal"}]})
    write(tmp_path / "managed.d" / "broken.json", "{not json")
    m = ManagedReader(tmp_path).current()
    assert dict(m.values) == {"organisation": "DHSC"}
    text = "\n".join(m.problems)
    assert "reminderFrequency: 'hourly' is not one of every_post, first_post_of_day, never" in text
    assert "unknown key 'shoeSize'" in text
    assert "officialAccounts[0].channel: 'personal' is not one of official, corporate" in text
    assert "broken.json: not valid JSON" in text


def test_a_change_takes_effect_without_a_restart(tmp_path):
    now = [0.0]
    reader = ManagedReader(tmp_path, clock=lambda: now[0])
    assert dict(reader.current().values) == {}
    write(tmp_path / "managed.json", {"reminderFrequency": "never"})
    now[0] += 2
    assert reader.current().get("reminderFrequency") == "never"
    write(tmp_path / "managed.d" / "50-override.json", {"reminderFrequency": "every_post"})
    now[0] += 2
    assert reader.current().get("reminderFrequency") == "every_post"
    (tmp_path / "managed.d" / "50-override.json").unlink()
    (tmp_path / "managed.json").unlink()
    now[0] += 2
    assert dict(reader.current().values) == {}


def test_windows_registry_recorded_export_machine_wins_and_recommended_is_a_default():
    """Recorded data: `reg export` of HKLM and HKCU SOFTWARE\\Policies\\OnRecord after the ADMX applied
    (this machine is not Windows; the real reader differs only in calling winreg)."""
    keys = (FIXTURES / "keys.txt").read_text().split()
    reg = RecordedRegistry(FIXTURES / "hklm.reg", FIXTURES / "hkcu.reg")
    m = ManagedReader(registry=reg).current()
    assert m.get("organisation") == "Department of Health and Social Care"  # HKLM beats HKCU
    assert m.get("auditJsonDirectory") == "%LOCALAPPDATA%\\OnRecord\\audit"  # HKCU fills what HKLM leaves
    assert m.get("packSigningKeys") == keys  # a subkey of values 1, 2 (ADMX list)
    assert m.get("officialAccounts") == [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"}]  # multiText JSON
    assert m.get("holdWhenUnchecked") is True and m.get("auditRetentionDays") == 365
    assert m.locked_setting("reminder_frequency") == (True, "every_post")
    assert m.recommended_setting("port") == (True, 47852)
    text = "\n".join(m.problems)
    assert "unknown value 'shoeSize'" in text and "policyPack: 'ftp://policy.example.org/pack.yaml'" in text
    assert "policyPack" not in m


def test_macos_forced_preferences_recorded_plists_user_over_machine(tmp_path):
    """Recorded data: binary plists as macOS keeps a configuration profile's settings in
    /Library/Managed Preferences (this machine is not a Mac)."""
    folder = tmp_path / "Managed Preferences"
    (folder / "amy").mkdir(parents=True)
    shutil.copy(FIXTURES / "org.onrecord.OnRecord.plist", folder / "org.onrecord.OnRecord.plist")
    shutil.copy(FIXTURES / "user.org.onrecord.OnRecord.plist", folder / "amy" / "org.onrecord.OnRecord.plist")
    m = ManagedReader(plists=plist_paths(folder, user="amy")).current()
    assert m.get("reminderFrequency") == "never"
    assert m.get("auditRetentionDays") == 500
    assert m.get("officialAccounts")[0]["handle"] == "@dhscgovuk"
    assert "PayloadUUID" not in m
    assert any("minimumPackVersion: expected integer, got str 'twelve'" in p for p in m.problems)


def test_the_environment_variable_chooses_the_folder(tmp_path, monkeypatch):
    write(tmp_path / "managed.json", {"organisation": "From the test folder"})
    monkeypatch.setenv("ONRECORD_MANAGED_DIR", str(tmp_path))
    from onrecord import managed
    assert managed.current().get("organisation") == "From the test folder"
