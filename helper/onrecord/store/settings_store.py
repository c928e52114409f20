"""The saved settings (``settings.json`` in the data folder), validated by ``onrecord.settings``.

Writes are atomic. A file that cannot be read or no longer validates is kept aside (never deleted),
the defaults are used, and ``problem()`` says what happened so the settings window can tell the user.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

from onrecord import paths, settings
from onrecord.errors import BadInput
from onrecord.store.atomic import keep_aside, write_atomic
from onrecord.store.database import data_folder

log = logging.getLogger(__name__)
_lock = threading.Lock()
_problem: str | None = None


_DEFAULTS = MappingProxyType(settings.defaults())
_read_cache: dict[str, tuple[tuple, MappingProxyType]] = {}


def settings_file(path: Path | None = None) -> Path:
    return Path(path) if path else data_folder() / paths.settings_path().name


def problem() -> str | None:
    """What went wrong the last time the settings were read (a corrupt file kept aside), or None."""
    return _problem


def load(path: Path | None = None) -> dict[str, Any]:
    """Every setting: the saved values over the defaults. A corrupt file is kept aside and reported."""
    return dict(view(path))


def view(path: Path | None = None) -> MappingProxyType:
    """``load()`` read-only and shared, for what reads a setting on every check: no copy is made, and the
    file is parsed again only when it changed (saved by the window or another process)."""
    global _problem
    p = path if isinstance(path, Path) else settings_file(path)
    where = str(p)
    if where not in _read_cache and not os.access(where, os.F_OK):
        return _DEFAULTS  # nothing saved yet, as for most users: asked without raising an error each time
    try:
        st = os.stat(where)
    except FileNotFoundError:
        _read_cache.pop(where, None)
        return _DEFAULTS
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    cached = _read_cache.get(where)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        try:
            raw = p.read_text("utf-8")
        except FileNotFoundError:
            return _DEFAULTS
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise BadInput(f"expected an object of settings, got {type(data).__name__}")
            values = MappingProxyType(settings.validate(data, source=p.name))
            _read_cache[where] = (stamp, values)
            return values
        except (ValueError, BadInput) as exc:
            aside = keep_aside(p)
            reason = exc.message if isinstance(exc, BadInput) else f"not valid JSON ({exc})"
            _problem = (f"the saved settings could not be read ({reason}) and were kept aside as {aside}; "
                        "the defaults are in use until you save")
            log.error("settings.json could not be read and was kept aside as %s", aside)
            return _DEFAULTS


def save(values: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """Validate ``values`` (unknown names and bad values are errors naming them) and save them atomically."""
    global _problem
    checked = settings.validate(values)
    p = settings_file(path)
    with _lock:
        write_atomic(p, json.dumps(checked, indent=2, sort_keys=True) + "\n")
        _problem = None
    return checked


def update(changes: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """Save ``changes`` over the current settings; returns all of them."""
    return save({**load(path), **changes}, path)


def saved_names(path: Path | None = None) -> frozenset:
    """The names the user has saved (as opposed to defaults), for managed ``Recommended`` defaults: an
    organisation's recommended value applies only to a setting the user never chose."""
    p = path if isinstance(path, Path) else settings_file(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(data) if isinstance(data, dict) else frozenset()
