"""One helper per data folder, and where it can be found.

The running helper holds an exclusive lock on ``helper.lock`` for its whole life (the operating system
releases it if the process dies, even by kill -9, so a stale lock cannot block the next start) and writes
``runtime.json`` (pid, port, url) for ``onrecord pair``, ``onrecord settings`` and ``onrecord clients``.
The lock is an ``fcntl``/``msvcrt`` byte lock: the standard library does it in a few lines, so no
third-party lock package is needed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from onrecord import paths
from onrecord.errors import DiskFull, OnRecordError
from onrecord.store.atomic import write_atomic

log = logging.getLogger(__name__)

LOCK_NAME = "helper.lock"
RUNTIME_NAME = "runtime.json"


class AlreadyRunning(OnRecordError):
    code = "already_running"


class NotRunning(OnRecordError):
    code = "not_running"


@dataclass(frozen=True)
class Runtime:
    pid: int
    port: int
    url: str
    started: float

    def to_json(self) -> dict:
        return {"pid": self.pid, "port": self.port, "url": self.url, "started": self.started}


def _folder(home: Path | None) -> Path:
    return Path(home) if home else paths.home()


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def read_runtime(home: Path | None = None) -> Runtime | None:
    """What ``runtime.json`` says, or None when it is missing or unreadable."""
    try:
        data = json.loads((_folder(home) / RUNTIME_NAME).read_text("utf-8"))
        return Runtime(int(data["pid"]), int(data["port"]), str(data["url"]), float(data.get("started", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_locked(home: Path | None = None) -> bool:
    """True when a helper process holds the lock of this data folder."""
    path = _folder(home) / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        if _try_lock(fd):
            return False  # nobody held it; closing the descriptor below lets it go again
        return True
    finally:
        os.close(fd)


def running(home: Path | None = None) -> Runtime | None:
    """The running helper of this data folder, or None (a runtime file left by a dead one is ignored)."""
    if not is_locked(home):
        return None
    return read_runtime(home)


def require_running(home: Path | None = None) -> Runtime:
    found = running(home)
    if found is None and is_locked(home):
        raise NotRunning(f"OnRecord is running for {_folder(home)} but could not say where it listens "
                         f"({RUNTIME_NAME} is missing): the disk may be full. Free some space, then restart it")
    if found is None:
        raise NotRunning(f"OnRecord is not running for {_folder(home)}: start it with `onrecord run` "
                         "(or open OnRecord from your applications)")
    return found


class InstanceLock:
    """Held by the running helper: ``acquire()`` once at start, ``publish()`` once serving, ``release()`` at exit."""

    def __init__(self, home: Path | None = None):
        self.folder = _folder(home)
        self._fd: int | None = None

    def acquire(self) -> "InstanceLock":
        fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            other = read_runtime(self.folder)
            where = f" (pid {other.pid}, at {other.url})" if other else ""
            raise AlreadyRunning(f"OnRecord is already running for {self.folder}{where}; "
                                 "not starting a second one")
        self._fd = fd
        return self

    def publish(self, port: int, url: str) -> Runtime:
        """Say where this helper listens, for the commands that call it. On a full disk the helper still
        serves the extension (which finds it by its ports); only those commands cannot find it."""
        runtime = Runtime(os.getpid(), port, url, time.time())
        try:
            write_atomic(self.folder / RUNTIME_NAME, json.dumps(runtime.to_json()) + "\n", what="runtime.json")
        except DiskFull as exc:
            log.warning("%s (`onrecord pair` and `onrecord settings` cannot find this helper until there is space)",
                        exc.message)
        return runtime

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            mine = read_runtime(self.folder)
            if mine and mine.pid == os.getpid():
                (self.folder / RUNTIME_NAME).unlink(missing_ok=True)
        finally:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
