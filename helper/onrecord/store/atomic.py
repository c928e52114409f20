"""Atomic file writes and keeping corrupt files aside.

A write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the target, so a crash at any moment leaves either the old file or the new one. A write that
fails because the disk is full leaves the old file and raises ``DiskFull``.
"""

import os
import tempfile
import time
from pathlib import Path

from onrecord.errors import disk_full, is_disk_full


def write_atomic(path: Path, data: str | bytes, mode: int = 0o600, what: str | None = None,
                 make_parents: bool = True) -> None:
    """Write ``data`` to ``path`` whole or not at all. ``what`` names it in a disk-full message."""
    path = Path(path)
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        if is_disk_full(exc):
            raise disk_full(f"{what or path.name} could not be saved") from None
        raise
    try:
        os.fchmod(fd, mode) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and is_disk_full(exc):
            raise disk_full(f"{what or path.name} could not be saved") from None
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on Windows, where it is not needed.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def keep_aside(path: Path) -> Path:
    """Move a corrupt file out of the way (never delete it) and return where it went."""
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    return target
