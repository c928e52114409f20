"""The administrator's commands: policy show, status, profile import --merge, on managed settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import real_managed_folder

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT.parent / "shared" / "corpus" / "profiles"


def onrecord(*args, home, managed=None, check=True, env_extra=None, stdin=None):
    env = dict(os.environ, ONRECORD_HOME=str(home), **(env_extra or {}))
    if managed is None:
        env.pop("ONRECORD_MANAGED_DIR", None)  # the real, platform place: /etc/onrecord on Linux
    else:
        env["ONRECORD_MANAGED_DIR"] = str(managed)
    r = subprocess.run([sys.executable, "-m", "onrecord", *args], env=env, input=stdin, capture_output=True, text=True,
                       timeout=60)
    if check:
        assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def managed(tmp_path):
    folder = tmp_path / "managed"
    (folder / "managed.d").mkdir(parents=True)
    return folder


def rows(report: dict) -> dict:
    return {r["name"]: r for r in report["settings"]}


def test_policy_show_says_where_each_setting_came_from(tmp_path, managed):
    home = tmp_path / "home"
    (managed / "managed.json").write_text(json.dumps({"reminderFrequency": "every_post", "shoeSize": 9,
                                                      "organisation": "Department of Health and Social Care"}))
    (managed / "managed.d" / "20-audit.json").write_text(json.dumps({"auditRetentionDays": "a year"}))
    onrecord("profile", "import", str(PROFILES / "dh-amy.yaml"), home=home, managed=managed)
    home.joinpath("settings.json").write_text(json.dumps({"log_level": "DEBUG"}))
    report = json.loads(onrecord("policy", "show", "--json", home=home, managed=managed).stdout)
    got = rows(report)
    assert got["reminder_frequency"]["source"] == "managed" and got["reminder_frequency"]["value"] == "every_post"
    assert got["reminder_frequency"]["where"] == str(managed / "managed.json")
    assert got["log_level"] == {"name": "log_level", "value": "DEBUG", "source": "user"}
    assert got["audit_retention_days"]["source"] == "default"
    assert got["organisation"]["source"] == "managed"
    assert got["policyPack"] == {"name": "policyPack", "value": "dh", "source": "user", "where": "profile"}
    problems = "\n".join(report["problems"])
    assert "unknown key 'shoeSize'" in problems and "auditRetentionDays: expected integer, got str 'a year'" in problems
    text = onrecord("policy", "show", home=home, managed=managed).stdout
    assert "reminder_frequency" in text and "managed" in text and "Ignored:" in text and "shoeSize" in text


def test_profile_import_merge_keeps_what_the_user_declared(tmp_path, managed):
    home = tmp_path / "home"
    onrecord("profile", "import", str(PROFILES / "dh-amy.yaml"), home=home, managed=managed)
    central = tmp_path / "central.yaml"
    central.write_text("name: Login Script\norganisation: Department of Health and Social Care\npolicy_pack: civil-service\n"
                       "roles: [civil_servant]\naccounts:\n  - {site: x, handle: '@dhscgovuk', channel: corporate}\n"
                       "  - {site: x, handle: '@AmyatDH', channel: personal}\n")
    onrecord("profile", "import", "--merge", str(central), home=home, managed=managed)
    saved = json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)
    assert saved["name"] == "Amy Clarke" and saved["policy_pack"] == "dh"
    handles = {(a["handle"], a["channel"]) for a in saved["accounts"]}
    assert ("@AmyatDH", "official") in handles and ("@dhscgovuk", "corporate") in handles
    assert ("@amyclarke", "personal") in handles and len(saved["accounts"]) == 7
    # Without --merge the file replaces the profile, as before.
    onrecord("profile", "import", str(central), home=home, managed=managed)
    assert json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)["name"] == "Login Script"


def test_status_json_reports_profile_pack_and_managed_settings(tmp_path, managed):
    home = tmp_path / "home"
    (managed / "managed.json").write_text(json.dumps({"holdWhenUnchecked": True,
                                                      "auditJsonDirectory": str(tmp_path / "audit")}))
    onrecord("profile", "import", str(PROFILES / "dh-amy.yaml"), home=home, managed=managed)
    status = json.loads(onrecord("status", "--json", home=home, managed=managed).stdout)
    assert status["helper"] == {"running": False}
    assert status["profile"]["valid"] is True and status["profile"]["accounts"] == 6
    assert status["managed"]["keys"] == ["auditJsonDirectory", "holdWhenUnchecked"]
    assert status["audit_json"] == {"directory": str(tmp_path / "audit"), "last_write": None}
    assert {"version", "native_host", "browsers", "pack"} <= set(status)


@pytest.fixture
def real_etc():
    """The real /etc/onrecord (the tests run as root in CI); what was there is put back."""
    with real_managed_folder() as folder:
        yield folder


def test_the_real_etc_onrecord_path_is_read(tmp_path, real_etc):
    home = tmp_path / "home"
    (real_etc / "managed.json").write_text(json.dumps({"reminderFrequency": "never", "organisation": "NHS England"}))
    (real_etc / "managed.d").mkdir()
    (real_etc / "managed.d" / "50-site.json").write_text(json.dumps({"reminderFrequency": "every_post", "bogus": 1}))
    report = json.loads(onrecord("policy", "show", "--json", home=home).stdout)
    got = rows(report)
    assert got["reminder_frequency"]["value"] == "every_post"
    assert got["reminder_frequency"]["where"] == "/etc/onrecord/managed.d/50-site.json"
    assert got["organisation"]["value"] == "NHS England"
    assert any("/etc/onrecord/managed.d/50-site.json: unknown key 'bogus'" in p for p in report["problems"])


def test_managed_values_win_in_the_helpers_checks_and_change_without_restart(tmp_path, monkeypatch, managed):
    from onrecord.app import create_app
    from onrecord.managed import ManagedReader
    from onrecord.service import CheckRequest
    home = tmp_path / "home"
    monkeypatch.setenv("ONRECORD_HOME", str(home))
    onrecord("profile", "import", str(PROFILES / "dh-amy.yaml"), home=home, managed=managed)
    home.joinpath("settings.json").write_text(json.dumps({"reminder_frequency": "every_post"}))
    reader = ManagedReader(managed)
    app = create_app({"MANAGED": reader, "AUDIT_DB": str(tmp_path / "a.sqlite3"), "ONRECORD_WINDOW_KEY_FILE": False})
    service = app.extensions["onrecord_service"]
    draft = CheckRequest("x", "@amyclarke", "Lovely walk by the river this morning.")
    assert "permanence" in {p.category for p in service.check(draft).prompts}
    assert service.account("x", "@dhscgovuk")["account"]["channel"] == "unknown"

    (managed / "managed.json").write_text(json.dumps({
        "reminderFrequency": "never",
        "officialAccounts": [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"},
                             {"site": "x", "handle": "@amyclarke", "channel": "official"}]}))
    reader.current(force=True)  # what the next check after a second would see
    assert service.account("x", "@dhscgovuk")["account"]["channel"] == "corporate"
    # The organisation's declaration of an account wins over the user's own.
    assert service.account("x", "@amyclarke")["account"]["channel"] == "official"
    (managed / "managed.json").write_text(json.dumps({"reminderFrequency": "never"}))
    reader.current(force=True)
    assert "permanence" not in {p.category for p in service.check(draft).prompts}
    # Nothing managed was written into the user's saved profile.
    saved = json.loads(onrecord("profile", "show", "--json", home=home, managed=managed).stdout)
    assert all(a["handle"] != "@dhscgovuk" for a in saved["accounts"])
