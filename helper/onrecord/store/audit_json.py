"""The audit for the organisation's SIEM: one JSON object a line, a file a day, when managed settings ask.

Written alongside the SQLite activity log when the managed ``auditJsonDirectory`` is set: UTF-8, append
only (each line one ``write`` to a file opened with ``O_APPEND``, so lines from two processes never
interleave), one file per UTC day named ``YYYY-MM-DD.jsonl``, times in ISO 8601 UTC. An endpoint agent
(Azure Monitor Agent, Splunk's universal forwarder, Filebeat, rsyslog's imfile) follows the folder.

Never the draft's text: no field can hold it. The override reason is personal data the user wrote, so it
is written only when the managed ``auditIncludeOverrideReason`` is true. docs/audit.md maps each field
onto Microsoft Sentinel's ASIM Audit Event schema and Elastic's ECS.
"""

from __future__ import annotations

import datetime as dt
import getpass
import itertools
import json
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

from onrecord import __version__

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
EVENT_TYPES = ("prompt_shown", "acknowledged", "fixed", "overridden", "cancelled", "posted",
               "pack_loaded", "pack_rejected", "policy_applied")
# The fields a line may have, in the order written; docs/audit.md documents each (a test checks).
FIELDS = ("time", "event_id", "sequence", "session_id", "event_type", "outcome", "severity", "rule_id", "rule_ids",
          "category", "categories", "pack_id", "pack_version", "pack_sha256", "pack_url", "signing_key", "site",
          "channel", "account", "reason", "message", "managed_keys", "user", "host", "app", "app_version",
          "extension_version", "decided_at", "decision_id", "schema_version")


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonAudit:
    """Appends audit lines to ``auditJsonDirectory``; does nothing while that is not managed."""

    def __init__(self, managed: Callable[[], Any], now: Callable[[], float] = time.time):
        self.managed = managed  # () -> ManagedSettings
        self.now = now
        self.session_id = str(uuid.uuid4())
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()
        self.last_write: float | None = None
        self.last_error: str | None = None
        self._user = getpass.getuser()
        self._folder: tuple[str | None, Path | None] = (None, None)
        self._made: Path | None = None
        self._host = socket.gethostname()

    def folder(self) -> Path | None:
        raw = self.managed().get("auditJsonDirectory")
        if raw != self._folder[0]:  # asked on every check: worked out again only when the setting changes
            self._folder = (raw, Path(os.path.expandvars(os.path.expanduser(raw))) if raw else None)
        return self._folder[1]

    def write(self, event_type: str, fields: dict[str, Any]) -> bool:
        """Append one event; False when not configured or it could not be written (logged, never raised)."""
        folder = self.folder()
        if folder is None:
            return False
        now = self.now()
        record: dict[str, Any] = {"time": _iso(now), "event_id": str(uuid.uuid4()), "sequence": next(self._sequence),
                                  "session_id": self.session_id, "event_type": event_type}
        for name, value in fields.items():
            if name not in FIELDS:
                raise ValueError(f"audit field {name!r} is not documented")
            if value is not None and value != () and value != []:
                record[name] = list(value) if isinstance(value, tuple) else value
        if "reason" in record and not self.managed().get("auditIncludeOverrideReason", False):
            del record["reason"]
        record.update(user=self._user, host=self._host, app="OnRecord", app_version=__version__,
                      schema_version=SCHEMA_VERSION)
        ordered = {k: record[k] for k in FIELDS if k in record}
        line = (json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        path = folder / f"{dt.datetime.fromtimestamp(now, dt.timezone.utc):%Y-%m-%d}.jsonl"
        with self._lock:
            try:
                if self._made != folder:
                    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
                    self._made = folder
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o640)
                try:
                    os.write(fd, line)
                finally:
                    os.close(fd)
            except OSError as exc:
                self._made = None  # the folder may have gone: make it again next time
                self.last_error = f"{path}: {exc.strerror}"
                log.warning("JSON audit not written: %s", self.last_error)
                return False
            self.last_write = now
            self.last_error = None
        return True

    def status(self) -> dict:
        folder = self.folder()
        return {"directory": str(folder) if folder else None, "last_write": _iso(self.last_write) if self.last_write else None,
                "last_error": self.last_error, "include_override_reason": bool(self.managed().get("auditIncludeOverrideReason", False))}


def last_write_in(folder: Path | None) -> str | None:
    """The newest line's time in a folder of audit files (for ``onrecord status`` from another process)."""
    if folder is None or not folder.is_dir():
        return None
    files = sorted(folder.glob("????-??-??.jsonl"))
    if not files:
        return None
    return _iso(files[-1].stat().st_mtime)
