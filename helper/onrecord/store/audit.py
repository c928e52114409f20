"""The activity log (``audit.sqlite3``, SQLite in WAL mode): what the user did with each prompt.

Each event keeps the time, site, account, channel, rule ids, categories, the decision and any override
reason. Never the draft's text and never a token: ``AuditEvent`` has no field that could hold them.
Events older than the retention period (``audit_retention_days``, default 90) are deleted.

A decision the extension sends with an id (``decision_id``, random, made when the user decided) is
recorded once: the id is kept in ``decision_ids`` (its primary key) in the same transaction as the event,
so a decision sent again after its answer was lost finds its id there and adds nothing. Ids are kept for
the retention period from when they arrived.

The same database keeps the day each personal account was last reminded that posts are permanent
(``reminded_today`` / ``mark_reminded``), so the reminder can follow ``reminder_frequency``.

Every failure (a locked or broken database) is raised as ``AuditUnavailable``; callers on the check path
catch it and carry on, so the log can never stop a check.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime
from pathlib import Path
from typing import Callable, Iterable, TextIO

from onrecord import paths
from onrecord.errors import BadInput, DiskFull, Unavailable, disk_full, is_disk_full
from onrecord.store.atomic import write_atomic
from onrecord.store.database import connect, iso_time, transaction

DECISIONS = ("acknowledged", "fixed", "overridden", "cancelled", "posted")
DEFAULT_RETENTION_DAYS = 90
CSV_COLUMNS = ("time", "site", "account", "channel", "rule_ids", "categories", "decision", "reason")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    site TEXT NOT NULL,
    account TEXT NOT NULL,
    channel TEXT NOT NULL,
    rule_ids TEXT NOT NULL,
    categories TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS events_time ON events (time);
CREATE TABLE IF NOT EXISTS decision_ids (
    decision_id TEXT PRIMARY KEY,
    received REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reminders (
    site TEXT NOT NULL,
    account TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (site, account)
);
"""


class AuditUnavailable(Unavailable):
    code = "audit_unavailable"


class AuditDiskFull(AuditUnavailable, DiskFull):
    """The activity log cannot be written because the disk is full (checks go on; decisions are not kept)."""

    code = "disk_full"


@dataclass(frozen=True)
class AuditEvent:
    site: str
    account: str
    channel: str
    decision: str
    rule_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    reason: str | None = None
    time: float = field(default_factory=time.time)

    def to_json(self) -> dict:
        return {"time": iso_time(self.time), "site": self.site, "account": self.account, "channel": self.channel,
                "rule_ids": list(self.rule_ids), "categories": list(self.categories), "decision": self.decision,
                "reason": self.reason}


def _bound(value: date | datetime | str | None, end: bool) -> float | None:
    """A filter bound as a timestamp. A date means the user's local day, whole (``end`` includes it)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadInput(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
    if isinstance(value, datetime):
        return value.timestamp()
    moment = datetime.combine(value, dtime.max if end else dtime.min)  # local time: the user's day
    return moment.timestamp()


def _defang(value: str | None) -> str | None:
    # A cell that starts like a formula would run in a spreadsheet; a leading quote keeps it text.
    if value and (value[0] in "=+-\t\r" or (value[0] == "@" and "(" in value)):
        return "'" + value
    return value


def _storable(value: str | None) -> str | None:
    """``value`` with any lone surrogate (valid in JSON, not in UTF-8) replaced by U+FFFD, so it can be kept."""
    if value is None or value.isascii():
        return value
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)


class AuditLog:
    """The activity log in one SQLite file (by default ``audit.sqlite3`` in the data folder)."""

    def __init__(self, path: Path | None = None, retention_days: int | Callable[[], int] = DEFAULT_RETENTION_DAYS,
                 timeout: float = 0.5):
        """``retention_days`` may be a function, so a change in the settings applies without a restart."""
        self.path = Path(path) if path else paths.audit_db_path()
        self._retention = retention_days
        self.timeout = timeout
        self._last_purge = 0.0
        # The day each account was last reminded, read from the file once and then kept in step with
        # it by ``mark_reminded`` (see ``reminded_today``).
        self._reminders_lock = threading.Lock()
        self._reminders: dict[tuple[str, str], str] | None = None

    def _connect(self):
        return connect(self.path, _SCHEMA, timeout=self.timeout)

    def _run(self, work):
        try:
            with self._connect() as conn:
                return work(conn)
        except (sqlite3.Error, OSError, UnicodeError, DiskFull) as exc:
            if is_disk_full(exc):
                raise AuditDiskFull(disk_full("the activity log could not be used").message) from None
            raise AuditUnavailable(f"the activity log could not be used: {exc}") from None

    def record(self, event: AuditEvent, decision_id: str | None = None) -> bool:
        """Add one event (and, at most hourly, delete events past the retention period). With a
        ``decision_id`` already recorded, nothing is added and the answer is False (a repeat)."""
        if event.decision not in DECISIONS:
            raise BadInput(f"unknown decision {event.decision!r} (decisions: {', '.join(DECISIONS)})")

        def work(conn):
            with transaction(conn):
                if decision_id is not None and not conn.execute(
                        "INSERT INTO decision_ids (decision_id, received) VALUES (?, ?)"
                        " ON CONFLICT (decision_id) DO NOTHING", (decision_id, time.time())).rowcount:
                    return False
                conn.execute(
                    "INSERT INTO events (time, site, account, channel, rule_ids, categories, decision, reason)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (event.time, event.site, _storable(event.account), event.channel,
                     json.dumps([_storable(r) for r in event.rule_ids]), json.dumps(list(event.categories)),
                     event.decision, _storable(event.reason)))
                return True
        added = self._run(work)
        self._purge_hourly()
        return added

    def _purge_hourly(self) -> None:
        # Only writers purge (here, and the running helper once an hour): a read never deletes, so the
        # events someone is looking at are never the ones it takes away.
        if time.time() - self._last_purge > 3600:
            try:
                self.purge()
            except AuditUnavailable:
                pass  # the event is recorded; the purge is tried again on the next write

    def _retention_days(self) -> int:
        return self._retention() if callable(self._retention) else self._retention

    def purge(self, retention_days: int | None = None, now: float | None = None) -> int:
        """Delete events older than the retention period; returns how many went."""
        days = retention_days or self._retention_days()
        cutoff = (now or time.time()) - days * 86400

        def work(conn):
            with transaction(conn):
                conn.execute("DELETE FROM decision_ids WHERE received < ?", (cutoff,))
                return conn.execute("DELETE FROM events WHERE time < ?", (cutoff,)).rowcount
        deleted = self._run(work)
        self._last_purge = time.time()
        return deleted

    def query(self, since: date | datetime | str | None = None, until: date | datetime | str | None = None,
              site: str | None = None, category: str | None = None, decision: str | None = None,
              limit: int | None = 500, offset: int = 0) -> list[AuditEvent]:
        """Events, newest first, filtered by local dates (inclusive), site, category and decision. Reading
        never deletes: events past the retention period go when the helper purges (hourly, and at start)."""
        where, args = ["time >= ?"], [time.time() - self._retention_days() * 86400]  # past it: not shown
        lo, hi = _bound(since, end=False), _bound(until, end=True)
        if lo is not None:
            where.append("time >= ?")
            args.append(lo)
        if hi is not None:
            where.append("time <= ?")
            args.append(hi)
        if site:
            where.append("site = ?")
            args.append(site)
        if category:
            where.append("EXISTS (SELECT 1 FROM json_each(events.categories) WHERE value = ?)")
            args.append(category)
        if decision:
            where.append("decision = ?")
            args.append(decision)
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY time DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        rows = self._run(lambda conn: conn.execute(sql, args).fetchall())
        return [AuditEvent(r["site"], r["account"], r["channel"], r["decision"], tuple(json.loads(r["rule_ids"])),
                           tuple(json.loads(r["categories"])), r["reason"], r["time"]) for r in rows]

    def export_csv(self, out: str | Path | TextIO, **filters) -> int:
        """Write the events (filtered as ``query``, oldest first) as CSV; returns how many rows."""
        events = list(reversed(self.query(limit=None, **filters)))
        if isinstance(out, (str, Path)):
            buf = io.StringIO()
            _write_csv(buf, events)
            write_atomic(Path(out), buf.getvalue(), what=str(out), make_parents=False)
        else:
            _write_csv(out, events)
        return len(events)

    # The permanence reminder's memory ------------------------------------------------------------

    def reminded_today(self, site: str, account: str, today: str | None = None) -> bool:
        """Whether the account was reminded on ``today``.

        Asked on every check from a personal account, so it answers from memory: the table is read once
        (what an earlier run of the helper marked still counts) and ``mark_reminded`` writes to the file
        first and to memory after, so memory never says more than the file. Only the helper's own
        ``AuditLog`` marks reminders (one helper per data folder), so nothing else changes the table.
        """
        day = today or date.today().isoformat()
        reminders = self._reminders
        if reminders is None:
            with self._reminders_lock:
                if self._reminders is None:
                    rows = self._run(lambda conn: conn.execute("SELECT site, account, day FROM reminders").fetchall())
                    self._reminders = {(r["site"], r["account"]): r["day"] for r in rows}
                reminders = self._reminders
        return reminders.get((site, account)) == day  # one dict read: no lock needed once loaded

    def mark_reminded(self, site: str, account: str, today: str | None = None) -> None:
        day = today or date.today().isoformat()

        def work(conn):
            with transaction(conn):
                conn.execute("INSERT INTO reminders (site, account, day) VALUES (?, ?, ?) "
                             "ON CONFLICT (site, account) DO UPDATE SET day = excluded.day",
                             (site, _storable(account), day))
        self._run(work)  # outside the lock: a busy file must not hold up the checks that read memory
        with self._reminders_lock:
            if self._reminders is not None:
                self._reminders[(site, account)] = day


def _write_csv(fh: TextIO, events: Iterable[AuditEvent]) -> None:
    writer = csv.writer(fh)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([iso_time(e.time), e.site, _defang(e.account), e.channel, " ".join(e.rule_ids),
                         " ".join(e.categories), e.decision, _defang(e.reason) or ""])
