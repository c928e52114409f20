"""Opening the helper's SQLite databases the same way everywhere.

Each call opens its own connection (waitress serves requests on several threads, and the command
line runs in other processes), in WAL mode so readers never wait for a writer, with a short busy
timeout so a locked database fails fast instead of holding up a request. The file is readable by
the user alone. A file that is not a database is kept aside, reported, and a fresh one started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from onrecord.store.atomic import keep_aside

log = logging.getLogger(__name__)


def _open(path: Path, schema: str, timeout: float) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # Created empty with the right mode first, so the database is never readable by others.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(schema)
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def connect(path: Path, schema: str, timeout: float = 2.0) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` with ``schema`` applied (``CREATE ... IF NOT EXISTS``), closed after use."""
    path = Path(path)
    try:
        conn = _open(path, schema, timeout)
    except sqlite3.DatabaseError as exc:
        if "not a database" not in str(exc) and "malformed" not in str(exc):
            raise
        aside = keep_aside(path)
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                keep_aside(extra)
        log.error("%s could not be read and was kept aside as %s; a new one was started", path.name, aside)
        conn = _open(path, schema, timeout)
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE``: the write lock is taken up front, so read-then-write steps cannot interleave."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def iso_time(ts: float | None) -> str | None:
    """A stored timestamp (seconds since the epoch) as ISO 8601 UTC text, the way answers and CSV show it."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
