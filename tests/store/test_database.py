"""How the helper's SQLite files are opened, and how it tells that one changed under a view kept in memory."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from onrecord.store.atomic import keep_aside
from onrecord.store.database import ChangeWatch, connect

SCHEMA = "CREATE TABLE IF NOT EXISTS items (name TEXT NOT NULL);"


def _add(path, name: str) -> None:
    with connect(path, SCHEMA) as conn:
        conn.execute("INSERT INTO items (name) VALUES (?)", (name,))


def test_a_commit_from_this_process_or_another_changes_the_stamp(tmp_path):
    path = tmp_path / "items.sqlite3"
    _add(path, "first")
    watch = ChangeWatch(path)
    before = watch.stamp()
    assert before is not None and watch.stamp() == before  # nothing happened: the same
    with connect(path, SCHEMA) as conn:  # reading is not a change
        conn.execute("SELECT * FROM items").fetchall()
    assert watch.stamp() == before
    _add(path, "second")  # another connection of this process
    after_own = watch.stamp()
    assert after_own != before
    # Another process, as `onrecord clients revoke` is: a plain sqlite3 in a child Python.
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute(\"UPDATE items SET name = 'changed'\"); c.commit(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=30)
    assert watch.stamp() not in (before, after_own)


def _commit_elsewhere(path, name: str) -> None:
    """A commit from another process, as `onrecord clients revoke` makes one."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('INSERT INTO items (name) VALUES (?)', (sys.argv[2],)); c.commit(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(path), name], check=True, timeout=30)


def test_settled_files_are_watched_by_their_look_and_a_commit_still_shows(tmp_path):
    path = tmp_path / "items.sqlite3"
    _add(path, "first")
    watch = ChangeWatch(path, clock=lambda: time.time() + 60)  # every write is a minute old by this clock
    first = watch.stamp()
    assert watch.queries == 1
    for _ in range(5):  # nothing changed: the files' look says so, and SQLite is not asked
        assert watch.stamp() == first
    assert watch.queries == 1
    _commit_elsewhere(path, "second")
    second = watch.stamp()
    assert second != first and watch.queries == 2  # the look changed, so SQLite was asked
    assert watch.stamp() == second and watch.queries == 2


def test_files_written_lately_are_not_trusted_by_their_look(tmp_path):
    path = tmp_path / "items.sqlite3"
    _add(path, "first")
    written = max(p.stat().st_mtime_ns for p in tmp_path.glob("items.sqlite3*")) / 1e9
    # By this clock the last write was a moment ago, so a second commit in the same tick of a coarse
    # file clock could leave the same look: every stamp asks SQLite until the files have settled.
    now = [written + 0.5]
    watch = ChangeWatch(path, settle=2.0, clock=lambda: now[0])
    first = watch.stamp()
    assert watch.stamp() == first and watch.stamp() == first
    assert watch.queries == 3
    now[0] = written + 2.5  # settled: the look is trusted from the next stamp on
    assert watch.stamp() == first and watch.queries == 4
    assert watch.stamp() == first and watch.queries == 4


def test_a_file_kept_aside_or_removed_is_noticed(tmp_path):
    path = tmp_path / "items.sqlite3"
    _add(path, "first")
    watch = ChangeWatch(path)
    before = watch.stamp()
    keep_aside(path)  # as a corrupt file is, by this process or another
    assert watch.stamp() is None  # no file: cannot tell, so the view is rebuilt
    _add(path, "fresh")  # a new file at the same path
    assert watch.stamp() not in (None, before)
    for extra in tmp_path.glob("items.sqlite3*"):
        extra.unlink()
    assert watch.stamp() is None
    assert not path.exists()  # looking never makes a file: connect() makes it, for the user alone


def test_a_file_that_is_not_a_database_gives_no_stamp(tmp_path):
    path = tmp_path / "items.sqlite3"
    path.write_bytes(b"not a database " * 500)
    assert ChangeWatch(path).stamp() is None
    # The watch only looks: it leaves the file as it was for connect() to keep aside and report.
    assert path.read_bytes().startswith(b"not a database")


def test_the_watch_never_holds_a_transaction_open(tmp_path):
    path = tmp_path / "items.sqlite3"
    _add(path, "first")
    watch = ChangeWatch(path)
    watch.stamp()
    # A writer elsewhere can still take the write lock and checkpoint the whole log.
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO items (name) VALUES ('x')")
    other.execute("COMMIT")
    busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    other.close()
    watch.close()
