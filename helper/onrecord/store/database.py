"""Opening the helper's SQLite databases the same way everywhere.

Each thread keeps its own connection per file (waitress serves requests on several threads, and the
command line runs in other processes), in WAL mode so readers never wait for a writer, with a short busy
timeout so a locked database fails fast instead of holding up a request. The file is readable by
the user alone. A file that is not a database is kept aside, reported, and a fresh one started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from onrecord import paths
from onrecord.errors import disk_full, is_disk_full
from onrecord.store.atomic import keep_aside

log = logging.getLogger(__name__)


# Connections are kept per thread and reused: opening one is cheap, but closing the last connection
# to a WAL database checkpoints and deletes the WAL, which costs more than the query it served.
# A thread keeps at most this many files open (the least recently used is closed first).
_PER_THREAD = 4
_local = threading.local()


_folders: dict[str | None, Path] = {}


def data_folder() -> Path:
    """``paths.home()``, looked up once per value of ``ONRECORD_HOME``: it is on every request's path, and
    ``paths.home()`` creates the folder (a system call) each time it is asked."""
    key = os.environ.get("ONRECORD_HOME")
    found = _folders.get(key)
    if found is None or not found.is_dir():
        found = _folders[key] = paths.home().resolve()
    return found


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text


def _set_aside(path: Path) -> None:
    aside = keep_aside(path)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            keep_aside(extra)
    log.error("%s could not be read and was kept aside as %s; a new one was started", path.name, aside)


def _open(path: Path, schema: str, timeout: float, retry: bool = True) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)  # created empty with the right mode first, so it is never readable by others
    except FileExistsError:
        pass
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(schema)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not (retry and _is_corrupt(exc)):
            raise
        _set_aside(path)
        return _open(path, schema, timeout, retry=False)
    return conn


def _cache() -> dict:
    if not hasattr(_local, "conns"):
        _local.conns = {}
    return _local.conns


def _forget(key: str) -> None:
    found = _cache().pop(key, None)
    if found is not None:
        found[0].close()


@contextlib.contextmanager
def connect(path: Path, schema: str, timeout: float = 2.0) -> Iterator[sqlite3.Connection]:
    """This thread's connection to ``path``, with ``schema`` applied (``CREATE ... IF NOT EXISTS``).

    The connection is reopened when the file at ``path`` is no longer the one it was opened on (kept
    aside, replaced). A file found corrupt, on opening or during the work, is kept aside; the work that
    found it fails (``sqlite3.DatabaseError``) and the next call starts a new database.
    """
    path = Path(path)
    key = str(path)
    cache = _cache()
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        inode = None
    found = cache.get(key)
    if found is not None and (inode is None or found[1] != inode):
        _forget(key)
        found = None
    if found is None:
        try:
            conn = _open(path, schema, timeout)
        except (sqlite3.Error, OSError) as exc:
            if is_disk_full(exc):
                raise disk_full(f"{path.name} could not be opened") from None
            raise
        while len(cache) >= _PER_THREAD:
            _forget(next(iter(cache)))
        found = (conn, os.stat(path).st_ino, timeout)  # _open set the busy timeout
    conn = found[0]
    if found[2] != timeout:  # callers differ in how long they may wait; set it only when it changes
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    cache.pop(key, None)
    cache[key] = (conn, found[1], timeout)  # most recently used last
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if _is_corrupt(exc):
            _forget(key)
            _set_aside(path)
        if is_disk_full(exc):
            raise disk_full(f"{path.name} could not be written") from None
        raise
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class ChangeWatch:
    """Says, cheaply, whether a database may have changed since it was last asked, instead of a query.

    ``PRAGMA data_version``, on a connection of its own, changes whenever any other connection, in this
    process or another, commits to the file, so a view kept in memory and rebuilt when ``stamp()``
    changes sees a revoke made by the command line on the very next request. The watching connection is
    read-only (its own commits would not count) and holds no transaction between looks.

    Asking SQLite takes file locks, which costs more than the rest of a request's look-up, so the watch
    first looks at the database and its write-ahead log with ``os.stat``. A commit writes to one of them,
    which gives it a new size or modification time. File systems keep those times coarsely (to a few
    milliseconds, on some to seconds), so a second commit soon after the first may leave the same time
    and size. The files' look is therefore trusted only once their newest time is ``settle`` seconds old
    by the clock when they were looked at: any later write then carries a later time. Until then, and
    whenever the look differs, SQLite is asked.

    A file kept aside or replaced is a new inode, and the watch reopens on it. ``None`` means "cannot
    tell": rebuild, through ``connect``, which reports or mends what is wrong with the file.
    """

    def __init__(self, path: Path, timeout: float = 2.0, settle: float = 2.0, clock=time.time):
        self.path = Path(path)
        self._where = str(self.path)
        self._log = self._where + "-wal"
        self.timeout = timeout
        self._settle_ns = int(settle * 1e9)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._opened = 0  # data_version starts afresh on each connection, so the stamp carries this too
        self._settled: tuple | None = None  # how the files looked when last trusted
        self._answer: tuple[int, int] | None = None  # the stamp given then
        self.queries = 0  # how many times SQLite was asked

    def _look(self, db: os.stat_result) -> tuple:
        try:
            wal = os.stat(self._log)
            log = (wal.st_ino, wal.st_size, wal.st_mtime_ns)
        except OSError:
            log = None
        return db.st_ino, db.st_size, db.st_mtime_ns, log

    def stamp(self) -> tuple[int, int] | None:
        """A value that differs from the last one after any commit by another connection or a change of
        file; ``None`` when there is no readable database at the path."""
        with self._lock:
            try:
                db = os.stat(self._where)
            except OSError:
                self._close()
                return None
            look = self._look(db)
            if look == self._settled:
                return self._answer
            self._settled = None
            inode = db.st_ino
            if self._conn is not None and inode != self._inode:
                self._close()
            try:
                if self._conn is None:
                    # Read-only, so a file removed since the stat is not made again here, empty and
                    # with the wrong mode: creating the file is connect()'s work.
                    self._conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                                 timeout=self.timeout, isolation_level=None,
                                                 check_same_thread=False)
                    self._inode = inode
                    self._opened += 1
                self.queries += 1
                answer = (self._opened, self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                self._close()
                return None
            # The look was taken before asking, so a commit in between shows as a different look next time.
            newest = max(look[2], look[3][2] if look[3] else 0)
            if int(self._clock() * 1e9) - newest > self._settle_ns:
                self._settled, self._answer = look, answer
            return answer

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._inode = None
        self._settled = None

    def close(self) -> None:
        with self._lock:
            self._close()


def read_only_snapshot(path: Path) -> sqlite3.Connection:
    """A connection that reads the database file as it stands, taking no lock and making no file.

    For a full disk, where a WAL database cannot be opened the usual way (its shared-memory file cannot
    be made). It sees what was checkpointed into the file: all of it after the last helper stopped cleanly.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def close_all() -> None:
    """Close this thread's connections (at exit, or before moving a database)."""
    for key in list(_cache()):
        _forget(key)


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
