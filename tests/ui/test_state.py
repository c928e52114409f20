"""The settings window works on the helper's own state: its activity log and retention, its profile.

Over real HTTP against `onrecord run`, as the window's page calls it.
"""

from __future__ import annotations

import json
import time

import requests
import yaml

from onrecord.store.audit import AuditEvent, AuditLog

from .conftest import EXTENSION_ORIGIN, PROFILES, Helper

DAY = 86400


def test_opening_the_activity_page_keeps_an_event_the_chosen_retention_keeps(onrecord_home):
    (onrecord_home / "settings.json").write_text(json.dumps({"audit_retention_days": 365}))
    AuditLog(retention_days=365).record(AuditEvent("x", "@amyclarke", "personal", "overridden", ("dh.political",),
                                                    ("political",), "cleared by press office",
                                                    time=time.time() - 200 * DAY))
    helper = Helper(onrecord_home)
    try:
        window = helper.session()
        for _ in range(2):  # the page is opened, and opened again
            r = window.get(f"{helper.base}/settings/api/activity", timeout=10)
            assert r.status_code == 200, r.text
            assert [e["reason"] for e in r.json()["entries"]] == ["cleared by press office"]
        csv_text = window.get(f"{helper.base}/settings/api/activity.csv", timeout=10).text
        assert "cleared by press office" in csv_text
    finally:
        helper.stop()
    # Still in the file, for any reader at all.
    assert len(AuditLog(retention_days=3650).query()) == 1


def _check(helper: Helper, token: str) -> dict:
    r = requests.post(f"{helper.base}/v1/check", timeout=10,
                      json={"site": "x", "account": "@amyclarke", "text": "Lovely walk by the river."},
                      headers={"Origin": EXTENSION_ORIGIN, "Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_corrupt_profile_found_by_a_check_is_announced_in_the_card_and_the_window(onrecord_home):
    (onrecord_home / "profile.yaml").write_text("name: [unclosed\n")
    helper = Helper(onrecord_home)
    try:
        token = helper.pair_extension()
        answer = _check(helper, token)  # the extension's check reads the profile first
        assert "kept aside" in answer["profile_problem"]
        assert answer["account"]["channel"] == "unknown"
        state = helper.session().get(f"{helper.base}/settings/api/state", timeout=10).json()
        assert state["first_run"] and "kept aside" in state["notice"]
        assert "profile.yaml.corrupt-" in state["notice"]
    finally:
        helper.stop()
    # A restart does not forget it, until the user saves a profile again.
    helper = Helper(onrecord_home)
    try:
        window = helper.session()
        assert "kept aside" in window.get(f"{helper.base}/settings/api/state", timeout=10).json()["notice"]
        profile = (PROFILES / "dh-amy.yaml").read_text()

        r = window.put(f"{helper.base}/settings/api/profile", json=yaml.safe_load(profile), timeout=10)
        assert r.status_code == 200, r.text
        state = window.get(f"{helper.base}/settings/api/state", timeout=10).json()
        assert state["notice"] is None and not state["first_run"]
        token = helper.pair_extension()
        assert "profile_problem" not in _check(helper, token)
    finally:
        helper.stop()
