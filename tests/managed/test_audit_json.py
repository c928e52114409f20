"""The JSON audit for a SIEM, read by a real log shipper: rsyslog's imfile ships every line unchanged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from onrecord.app import create_app
from onrecord.managed import ManagedReader
from onrecord.service import CheckRequest, DecisionRequest
from onrecord.store.audit_json import EVENT_TYPES, FIELDS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
CANARY = "CANARY-7f3a draft about Project Lighthouse for ward 7"


def make_service(tmp_path, monkeypatch, **managed):
    monkeypatch.setenv("ONRECORD_HOME", str(tmp_path / "home"))
    folder = tmp_path / "managed"
    folder.mkdir()
    (folder / "managed.json").write_text(json.dumps({"auditJsonDirectory": str(tmp_path / "audit"), **managed}))
    app = create_app({"MANAGED": ManagedReader(folder), "AUDIT_DB": str(tmp_path / "audit.sqlite3"),
                      "ONRECORD_WINDOW_KEY_FILE": False})
    return app.extensions["onrecord_service"]


def drive(service) -> None:
    """What a user does: a draft checked as they type (twice), acknowledged, then another overridden."""
    request = CheckRequest("x", "@amyclarke", f"{CANARY}. Vote Labour! Call me on 07700 900123")
    result = service.check(request)
    service.check(request)  # the same prompts again: not shown twice in the audit
    ids = tuple(p.id for p in result.prompts)
    cats = tuple(p.category for p in result.prompts)
    service.record_decision(DecisionRequest("x", "@amyclarke", "acknowledged", ids, cats))
    service.record_decision(DecisionRequest("x", "@amyclarke", "overridden", ids, cats,
                                            reason="My own reason with my name, Amy Clarke", extension_version="0.1.0"))


def lines(folder: Path) -> list[str]:
    return [l for f in sorted(folder.glob("*.jsonl")) for l in f.read_text("utf-8").splitlines()]


def test_rsyslog_imfile_ships_every_line_unchanged_and_each_is_documented_json(tmp_path, monkeypatch):
    rsyslogd = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
    assert Path(rsyslogd).exists(), "rsyslog is in scripts/apt-packages.txt"
    service = make_service(tmp_path, monkeypatch)
    drive(service)
    audit = tmp_path / "audit"
    files = list(audit.glob("*.jsonl"))
    assert len(files) == 1 and len(files[0].stem) == 10 and files[0].stem[4] == "-"  # YYYY-MM-DD.jsonl

    work, shipped = tmp_path / "rsyslog-work", tmp_path / "shipped.log"
    work.mkdir()
    conf = tmp_path / "rsyslog.conf"
    conf.write_text(f'''
global(workDirectory="{work}" maxMessageSize="64k")
module(load="imfile" mode="polling" PollingInterval="1")
template(name="raw" type="string" string="%msg%\\n")
ruleset(name="onrecord") {{ action(type="omfile" file="{shipped}" template="raw") }}
input(type="imfile" File="{audit}/*.jsonl" Tag="onrecord" ruleset="onrecord" addMetadata="off")
''')
    proc = subprocess.Popen([rsyslogd, "-n", "-f", str(conf), "-i", str(tmp_path / "rsyslogd.pid")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        written = lines(audit)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            got = shipped.read_text("utf-8").splitlines() if shipped.exists() else []
            if len(got) >= len(written):
                break
            time.sleep(0.2)
        # A line written while the shipper runs is shipped too (the file is followed, not read once).
        service.record_decision(DecisionRequest("x", "@amyclarke", "cancelled"))
        written = lines(audit)
        while time.monotonic() < deadline + 15:
            got = shipped.read_text("utf-8").splitlines() if shipped.exists() else []
            if len(got) >= len(written):
                break
            time.sleep(0.2)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert got == written, f"rsyslog output: {out!r}"

    events = [json.loads(l) for l in got]
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == "policy_applied"
    assert kinds.count("prompt_shown") == len({e["rule_id"] for e in events if e["event_type"] == "prompt_shown"})
    assert {"prompt_shown", "acknowledged", "overridden", "cancelled"} <= set(kinds)
    assert set(kinds) <= set(EVENT_TYPES)
    documented = DOCS.read_text("utf-8")
    for e in events:
        assert set(e) <= set(FIELDS)
        for name in e:
            assert f"`{name}`" in documented, f"{name} is not in docs/audit.md"
        assert e["time"].endswith("Z") and e["app"] == "OnRecord" and e["user"] and e["host"]
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(sequences) and len(set(e["event_id"] for e in events)) == len(events)
    shown = next(e for e in events if e["event_type"] == "prompt_shown")
    assert {"rule_id", "category", "severity", "site", "channel", "pack_id"} <= set(shown)
    override = next(e for e in events if e["event_type"] == "overridden")
    assert "reason" not in override and override["extension_version"] == "0.1.0"
    text = "\n".join(got)
    assert "CANARY" not in text and "Lighthouse" not in text and "07700" not in text
    assert "Amy Clarke" not in text


def test_the_override_reason_is_written_only_when_managed_settings_allow(tmp_path, monkeypatch):
    service = make_service(tmp_path, monkeypatch, auditIncludeOverrideReason=True)
    drive(service)
    override = next(json.loads(l) for l in lines(tmp_path / "audit") if '"overridden"' in l)
    assert override["reason"] == "My own reason with my name, Amy Clarke"
    assert all(CANARY not in l for l in lines(tmp_path / "audit"))


def test_no_directory_managed_means_no_json_audit(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_HOME", str(tmp_path / "home"))
    app = create_app({"MANAGED": ManagedReader(tmp_path / "empty"), "AUDIT_DB": str(tmp_path / "a.sqlite3"),
                      "ONRECORD_WINDOW_KEY_FILE": False})
    drive(app.extensions["onrecord_service"])
    assert not list(tmp_path.rglob("*.jsonl"))


def test_a_decision_sent_late_says_when_it_was_made(tmp_path, monkeypatch):
    # The extension kept it while the helper could not be reached: `time` is when it was written,
    # `decided_at` when the user decided, so a SIEM can place it where it happened.
    service = make_service(tmp_path, monkeypatch)
    made = time.time() - 3600
    service.record_decision(DecisionRequest("x", "@amyclarke", "overridden", ("onrecord.unchecked.hold",),
                                            ("permanence",), reason="cleared by phone", decided_at=made))
    line = next(json.loads(l) for l in lines(tmp_path / "audit") if '"overridden"' in l)
    assert line["decided_at"] == dt.datetime.fromtimestamp(made, dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    assert line["time"] > line["decided_at"]
    assert "`decided_at`" in DOCS.read_text("utf-8")
    service.record_decision(DecisionRequest("x", "@amyclarke", "posted"))
    posted = next(json.loads(l) for l in lines(tmp_path / "audit") if '"posted"' in l)
    assert "decided_at" not in posted, "a decision sent at once has no decided_at"


def test_a_decision_sent_again_with_its_id_is_one_line(tmp_path, monkeypatch):
    # Its answer was lost and the extension sent it again: one line, carrying the id; also when the activity
    # log was locked (it could not say it had the id) the first time.
    service = make_service(tmp_path, monkeypatch)
    decision = DecisionRequest("x", "@amyclarke", "overridden", ("onrecord.unchecked.hold",), ("permanence",),
                               reason="cleared by phone", decision_id="1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d")
    assert service.record_decision(decision)["recorded"] is True
    assert service.record_decision(decision)["already_recorded"] is True
    written = [json.loads(l) for l in lines(tmp_path / "audit")]
    assert [l["decision_id"] for l in written if l["event_type"] == "overridden"] == [decision.decision_id]

    locked = DecisionRequest("x", "@amyclarke", "posted", decision_id="9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")
    blocker = sqlite3.connect(service.audit.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert service.record_decision(locked)["recorded"] is False
        assert service.record_decision(locked)["recorded"] is False
    finally:
        blocker.rollback()
        blocker.close()
    assert service.record_decision(locked) == {"ok": True, "recorded": True}, "recorded once the log is free"
    posted = [json.loads(l) for l in lines(tmp_path / "audit") if '"posted"' in l]
    assert [l["decision_id"] for l in posted] == [locked.decision_id]
    assert len(service.audit.query(decision="posted")) == 1
