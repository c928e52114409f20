"""The settings window's pages use the helper's own parts, as create_app made them: its activity log (with
the AUDIT_DB it was given) and the profile lock the extension's declarations take too."""

from __future__ import annotations

import threading

import requests
import yaml


WINDOW_KEY = "w" * 43


def _window(helper) -> requests.Session:
    s = requests.Session()
    assert s.get(f"{helper.url}/settings/?key={WINDOW_KEY}", timeout=10).ok
    s.headers["Origin"] = helper.url
    return s


def test_the_activity_page_reads_the_activity_log_the_helper_was_given(served, tmp_path):
    audit_db = tmp_path / "elsewhere" / "activity.sqlite3"
    h = served({"AUDIT_DB": audit_db, "ONRECORD_WINDOW_KEY": WINDOW_KEY, "ONRECORD_WINDOW_KEY_FILE": False})
    h.token = h.pair()
    r = h.call("POST", "/v1/decisions", json={"site": "x", "account": "@amyclarke", "decision": "overridden",
                                              "categories": ["political"], "reason": "cleared by the press office"})
    assert r.json()["recorded"] is True
    entries = _window(h).get(f"{h.url}/settings/api/activity", timeout=10).json()["entries"]
    assert [e["reason"] for e in entries] == ["cleared by the press office"]
    assert audit_db.exists() and not (h.home / "audit.sqlite3").exists()


def test_accounts_added_from_the_window_and_the_extension_at_once_are_all_kept(served):
    h = served({"ONRECORD_WINDOW_KEY": WINDOW_KEY, "ONRECORD_WINDOW_KEY_FILE": False})
    h.token = h.pair()
    window = _window(h)
    failures = []

    def from_extension(i):
        r = h.call("POST", "/v1/accounts", json={"site": "blog", "handle": f"ext{i}.example", "channel": "personal"})
        failures.append(r.text) if r.status_code != 200 else None

    def from_window(i):
        r = window.post(f"{h.url}/settings/api/accounts", timeout=30,
                        json={"account": {"site": "blog", "handle": f"win{i}.example", "channel": "personal"}})
        failures.append(r.text) if r.status_code != 200 else None

    threads = [threading.Thread(target=f, args=(i,)) for i in range(6) for f in (from_extension, from_window)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    saved = yaml.safe_load((h.home / "profile.yaml").read_text())
    assert sorted(a["handle"] for a in saved["accounts"] if a["site"] == "blog") == \
        sorted(["amyclarke.blog"] + [f"ext{i}.example" for i in range(6)] + [f"win{i}.example" for i in range(6)])
