"""The saved settings (``settings.json`` in the data folder), validated by ``onrecord.settings``.

``SettingsStore`` is made once by whoever needs it (the app factory for the helper, a command for the
command line) and keeps its own state: the last values read and what went wrong reading them. Writes are
atomic.

The file holds only the settings the user chose themselves; every other one keeps following its default,
or the organisation's recommended value (Windows ``Recommended``, ``onrecord.managed``), even after the user
saves a different setting. ``saved_names()`` says which ones the user chose. A file that cannot be read or
no longer validates is kept aside (never deleted), the defaults are used, and ``problem`` says what
happened so the settings window can tell the user.

The file says its format: ``{"format": 2, "log_level": "WARNING"}``. A file without one was written by an
earlier version. Those versions wrote every setting, chosen or not, which would freeze the organisation's
recommended values for their users: such a file (one that lists every setting) is read with each value
equal to what those versions used by default taken as not chosen, the others as the user's own choices,
and it is written in today's format at the next save. An unversioned file that lists only some settings
holds only choices already, and is read as such.
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

DEFAULTS = MappingProxyType(settings.defaults())

FORMAT = 2  # the file holds only the user's own choices, and says so
# What versions before the format was recorded wrote for a setting the user never chose (they wrote every
# setting). Kept as it was then: a later change of a default must not turn those values into choices.
UNVERSIONED_DEFAULTS = MappingProxyType({"reminder_frequency": "first_post_of_day", "audit_retention_days": 90,
                                         "port": 47651, "log_level": "INFO"})


def chosen_in(data: dict) -> dict:
    """The user's own choices in a parsed settings file (``format`` taken out), whichever format wrote it;
    ``BadInput`` naming a format this version cannot read."""
    data = dict(data)
    version = data.pop("format", None)
    if version is not None:
        if isinstance(version, bool) or not isinstance(version, int) or version != FORMAT:
            raise BadInput(f"format {version!r} is not one this version of OnRecord reads (it reads {FORMAT})")
        return data
    if not UNVERSIONED_DEFAULTS.keys() <= data.keys():
        return data  # written with only the choices in it, before the format was recorded
    return {name: value for name, value in data.items()
            if not (name in UNVERSIONED_DEFAULTS and type(value) is type(UNVERSIONED_DEFAULTS[name])
                    and value == UNVERSIONED_DEFAULTS[name])}


def file_text(chosen: dict) -> str:
    """The file for these choices, in today's format."""
    return json.dumps({"format": FORMAT, **dict(sorted(chosen.items()))}, indent=2) + "\n"


def settings_file(path: Path | None = None) -> Path:
    return Path(path) if path else data_folder() / paths.SETTINGS_NAME


class SettingsStore:
    """The settings of one file; ``view()`` is cheap enough for every check."""

    def __init__(self, path: Path | None = None):
        self.path = settings_file(path)
        self._where = str(self.path)
        self._lock = threading.Lock()
        self._cached: tuple[tuple, MappingProxyType, frozenset] | None = None
        self.problem: str | None = None  # what went wrong the last time the file was read, or None

    def load(self) -> dict[str, Any]:
        """Every setting: the saved values over the defaults. A corrupt file is kept aside and reported."""
        return dict(self.view())

    def view(self) -> MappingProxyType:
        """``load()`` read-only and shared, for what reads a setting on every check: no copy is made, and
        the file is parsed again only when it changed (saved by the window or another process)."""
        return self._read()[0]

    def saved_names(self) -> frozenset:
        """The settings the user chose themselves (the names in the file), as cheaply as ``view()``."""
        return self._read()[1]

    def saved(self) -> dict[str, Any]:
        """Only the settings the user chose themselves, with their values."""
        values, names = self._read()
        return {name: values[name] for name in names}

    def _read(self) -> tuple[MappingProxyType, frozenset]:
        nothing = (DEFAULTS, frozenset())
        if self._cached is None and not os.access(self._where, os.F_OK):
            return nothing  # nothing saved yet, as for most users: asked without raising an error each time
        try:
            st = os.stat(self._where)
        except FileNotFoundError:
            self._cached = None
            return nothing
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._cached
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        with self._lock:
            try:
                raw = self.path.read_text("utf-8")
            except FileNotFoundError:
                return nothing
            try:
                data = json.loads(raw)
                if not isinstance(data, dict):
                    raise BadInput(f"expected an object of settings, got {type(data).__name__}")
                chosen = frozenset(chosen_in(data))
                # Every value is validated, chosen or not: a bad one says the file is not what it should be.
                values = settings.validate({k: v for k, v in data.items() if k != "format"}, source=self.path.name)
                values = MappingProxyType({**values, **{k: v for k, v in DEFAULTS.items() if k not in chosen}})
                self._cached = (stamp, values, chosen)
                return values, chosen
            except (ValueError, BadInput) as exc:
                aside = keep_aside(self.path)
                reason = exc.message if isinstance(exc, BadInput) else f"not valid JSON ({exc})"
                self.problem = (f"the saved settings could not be read ({reason}) and were kept aside as {aside}; "
                                "the defaults are in use until you save")
                log.error("settings.json could not be read and was kept aside as %s", aside)
                return nothing

    def save(self, values: dict[str, Any]) -> dict[str, Any]:
        """Validate ``values`` (unknown names and bad values are errors naming them) and save them atomically
        as the user's own choices (only those names); returns every setting."""
        checked = settings.validate(values)
        chosen = {name: checked[name] for name in values}
        with self._lock:
            write_atomic(self.path, file_text(chosen), what="the settings")
            self.problem = None
        return checked

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Save ``changes`` over the user's own choices (what they did not choose stays unsaved); returns
        every setting."""
        return self.save({**self.saved(), **changes})

    def forget(self, names) -> dict[str, Any]:
        """Take ``names`` out of the user's choices, so they follow the default (or the organisation's
        recommended value) again; returns every setting."""
        return self.save({k: v for k, v in self.saved().items() if k not in set(names)})


def load(path: Path | None = None) -> dict[str, Any]:
    """Every setting, read once (for commands that run and exit)."""
    return SettingsStore(path).load()


def update(changes: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    return SettingsStore(path).update(changes)


def save(values: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    return SettingsStore(path).save(values)


def saved_names(path: Path | None = None) -> frozenset:
    """The settings the user chose (as opposed to defaults), for managed ``Recommended`` defaults: an
    organisation's recommended value for a setting applies while the user has not chosen that setting."""
    return SettingsStore(path).saved_names()
