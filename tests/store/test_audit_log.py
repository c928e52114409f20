"""The activity log: what it keeps, what it never keeps, filters, CSV export and retention."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest

from onrecord.errors import BadInput
from onrecord.store.audit import CSV_COLUMNS, AuditEvent, AuditLog, AuditUnavailable

DAY = 86400


def _event(**kw) -> AuditEvent:
    base = dict(site="x", account="@amyclarke", channel="personal", decision="acknowledged",
                rule_ids=("dh.disclaimer",), categories=("disclaimer",))
    return AuditEvent(**{**base, **kw})


def _local(y, m, d, h=12) -> float:
    return datetime(y, m, d, h).timestamp()


@pytest.fixture
def log(onrecord_home) -> AuditLog:
    return AuditLog()


def test_events_keep_what_happened_and_nothing_of_the_draft(log, onrecord_home):
    assert not {"text", "draft", "token"} & set(AuditEvent.__dataclass_fields__)
    log.record(_event(decision="overridden", reason="public statement", categories=("political", "identity"),
                      rule_ids=("cs.political", "dh.identity")))
    (e,) = log.query()
    assert e.to_json() | {"time": None} == {
        "time": None, "site": "x", "account": "@amyclarke", "channel": "personal",
        "rule_ids": ["cs.political", "dh.identity"], "categories": ["political", "identity"],
        "decision": "overridden", "reason": "public statement"}
    conn = sqlite3.connect(onrecord_home / "audit.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    assert columns == ["id", "time", "site", "account", "channel", "rule_ids", "categories", "decision", "reason"]


def test_unknown_decisions_are_refused(log):
    with pytest.raises(BadInput, match="shrugged"):
        log.record(_event(decision="shrugged"))


def test_query_filters_by_local_dates_site_and_category(log):
    log.record(_event(time=_local(2026, 11, 1), site="x", categories=("disclaimer",)))
    log.record(_event(time=_local(2026, 11, 2, 0), site="linkedin", categories=("reference", "disclaimer")))
    log.record(_event(time=_local(2026, 11, 2, 23), site="x", categories=("political",)))
    log.record(_event(time=_local(2026, 11, 3), site="mastodon", categories=("permanence",), decision="posted"))
    day = [e.site for e in log.query(since="2026-11-02", until="2026-11-02")]
    assert day == ["x", "linkedin"]  # newest first, whole local day included at both ends
    assert [e.site for e in log.query(since=date(2026, 11, 2))] == ["mastodon", "x", "linkedin"]
    assert [e.site for e in log.query(site="x")] == ["x", "x"]
    assert [e.site for e in log.query(category="disclaimer")] == ["linkedin", "x"]
    assert [e.site for e in log.query(category="disclaimer", site="linkedin")] == ["linkedin"]
    assert [e.site for e in log.query(decision="posted")] == ["mastodon"]
    assert len(log.query(limit=2)) == 2 and [e.site for e in log.query(limit=2, offset=2)] == ["linkedin", "x"]
    with pytest.raises(BadInput, match="2026-13-01"):
        log.query(since="2026-13-01")


def test_retention_deletes_only_what_is_older(onrecord_home):
    log = AuditLog(retention_days=90)
    now = time.time()
    log.record(_event(time=now, account="@new"))  # the first record of a run purges too (hourly after)
    log.record(_event(time=now - 91 * DAY, account="@old"))
    log.record(_event(time=now - 89 * DAY, account="@kept"))
    assert log.purge() == 1
    assert [e.account for e in log.query()] == ["@new", "@kept"]
    assert log.purge(retention_days=30) == 1
    assert [e.account for e in log.query()] == ["@new"]


def test_a_decision_id_is_recorded_once_and_kept_for_the_retention_period(onrecord_home):
    log = AuditLog(retention_days=90)
    assert log.record(_event(decision="posted"), "id-0001-aaaa") is True
    assert log.record(_event(decision="posted"), "id-0001-aaaa") is False, "a repeat was recorded"
    assert log.record(_event(decision="posted")) and log.record(_event(decision="posted")), "no id: always recorded"
    assert len(log.query(decision="posted")) == 3
    # The ids go with the retention period (counted from when each arrived), so the table does not grow
    # for ever: past it, an id counts as new.
    assert log.purge(now=time.time() + 91 * DAY) == 3
    with sqlite3.connect(log.path) as conn:
        assert conn.execute("SELECT count(*) FROM decision_ids").fetchone()[0] == 0


def test_retention_follows_the_setting(onrecord_home):
    (onrecord_home / "settings.json").write_text(json.dumps({"audit_retention_days": 7}))
    log = AuditLog(retention_days=lambda: json.loads((onrecord_home / "settings.json").read_text())[
        "audit_retention_days"])
    log.record(_event(time=time.time() - 6 * DAY))
    log.record(_event(time=time.time() - 8 * DAY))
    assert log.purge() == 1
    # A fresh log purges on its first record: an expired event does not outlive it.
    AuditLog(retention_days=7).record(_event(time=time.time() - 30 * DAY))
    assert len(log.query()) == 1


def test_export_csv_from_the_command_line(log, onrecord_home, tmp_path):
    log.record(_event(time=_local(2026, 11, 1), reason=None))
    log.record(_event(time=_local(2026, 11, 2), decision="overridden", reason="=HYPERLINK(\"http://x\")",
                      account="+44 7700 900123", site="facebook", channel="unknown"))
    out_file = tmp_path / "activity.csv"
    done = subprocess.run([sys.executable, "-m", "onrecord", "audit", "export", "--csv", str(out_file)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Wrote 2 events" in done.stdout
    rows = list(csv.reader(out_file.open(newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][1:] == ["x", "@amyclarke", "personal", "dh.disclaimer", "disclaimer", "acknowledged", ""]
    assert rows[1][0].endswith("Z") and rows[1][0][:4] == "2026"
    # A cell that would run as a spreadsheet formula is kept as text.
    assert rows[2][2] == "'+44 7700 900123" and rows[2][7].startswith("'=")
    filtered = subprocess.run([sys.executable, "-m", "onrecord", "audit", "export", "--csv", str(out_file),
                               "--site", "facebook"], capture_output=True, text=True, timeout=60)
    assert "Wrote 1 event " in filtered.stdout
    assert len(list(csv.reader(out_file.open(newline="")))) == 2


def test_a_locked_database_raises_audit_unavailable_quickly(log, onrecord_home):
    log.record(_event())
    blocker = sqlite3.connect(onrecord_home / "audit.sqlite3", timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(AuditUnavailable):
            log.record(_event())
        assert time.monotonic() - started < 3
        assert len(log.query()) == 1  # WAL: reading goes on while another holds the write lock
    finally:
        blocker.rollback()
        blocker.close()


def test_a_corrupt_database_is_kept_aside_and_reported(log, onrecord_home, caplog):
    path = onrecord_home / "audit.sqlite3"
    path.write_bytes(b"garbage " * 1000)
    log.record(_event())
    assert len(log.query()) == 1
    aside = list(onrecord_home.glob("audit.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"garbage")
    assert "kept aside" in caplog.text


def test_reminder_memory_is_per_account_and_day(log):
    assert not log.reminded_today("x", "amyclarke", "2026-11-20")
    log.mark_reminded("x", "amyclarke", "2026-11-20")
    assert log.reminded_today("x", "amyclarke", "2026-11-20")
    assert not log.reminded_today("x", "amyatdh", "2026-11-20")
    assert not log.reminded_today("x", "amyclarke", "2026-11-21")
    assert log.reminded_today("x", "amyclarke", (date(2026, 11, 19) + timedelta(days=1)).isoformat())


def test_reading_hides_what_is_past_retention_and_deletes_nothing(onrecord_home):
    writer = AuditLog(retention_days=90)
    writer.record(_event(time=time.time(), account="@new"))
    writer.record(_event(time=time.time() - 100 * DAY, account="@old"))  # within the writer's hour
    assert [e.account for e in AuditLog(retention_days=90).query()] == ["@new"]
    # A reader with a shorter retention deleted nothing: a longer one still finds the event.
    assert [e.account for e in AuditLog(retention_days=365).query()] == ["@new", "@old"]


@pytest.mark.parametrize("cell", ["=1+2", "+44 7700 900123", "-2+3", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"])
def test_csv_keeps_every_formula_opener_as_text(log, cell):
    """OWASP's list of what a spreadsheet runs: =, +, -, @ (with a call), tab and carriage return."""
    log.record(_event(decision="overridden", reason=cell, account=cell))
    out = io.StringIO()
    log.export_csv(out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert row[2] == "'" + cell and row[7] == "'" + cell


def test_csv_leaves_ordinary_handles_and_reasons_alone(log):
    log.record(_event(decision="overridden", reason="approved by Sam", account="@amyclarke"))
    out = io.StringIO()
    log.export_csv(out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert row[2] == "@amyclarke" and row[7] == "approved by Sam"


def test_audit_show_prints_events_without_text(log, onrecord_home):
    log.record(_event(decision="overridden", reason="a public statement", categories=("political",)))
    out = subprocess.run([sys.executable, "-m", "onrecord", "audit", "show", "--json"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    (shown,) = json.loads(out.stdout)
    assert shown["decision"] == "overridden" and shown["reason"] == "a public statement"
    out = subprocess.run([sys.executable, "-m", "onrecord", "audit", "show", "--category", "conduct"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("No events match these filters")


def test_reminders_outlive_the_helper_and_failed_marks_do_not_count(onrecord_home):
    before_restart = AuditLog()
    assert not before_restart.reminded_today("x", "amyclarke", "2026-11-20")  # read once, then from memory
    before_restart.mark_reminded("x", "amyclarke", "2026-11-20")
    assert before_restart.reminded_today("x", "amyclarke", "2026-11-20")
    after_restart = AuditLog()  # a new helper reads what the last one marked
    assert after_restart.reminded_today("x", "amyclarke", "2026-11-20")
    assert not after_restart.reminded_today("x", "amyatdh", "2026-11-20")

    # A mark that could not be written is not remembered either: the reminder comes again.
    blocker = sqlite3.connect(onrecord_home / "audit.sqlite3", timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(AuditUnavailable):
            after_restart.mark_reminded("x", "amyatdh", "2026-11-20")
    finally:
        blocker.rollback()
        blocker.close()
    assert not after_restart.reminded_today("x", "amyatdh", "2026-11-20")
