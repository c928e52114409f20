"""Reading, validating and merging managed settings, again whenever the organisation changes them.

``ManagedReader.current()`` is cheap enough for every check: it looks at the sources at most once a second
(file stamps on Linux and macOS; the registry on Windows) and re-reads only when something changed, so a
new policy takes effect without a restart.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from onrecord.managed import sources
from onrecord.managed.schema import check, is_recommendable_key, locking

log = logging.getLogger(__name__)

ENV_FOLDER = "ONRECORD_MANAGED_DIR"
RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class ManagedSettings:
    """What the organisation set: ``values`` are enforced, ``recommended`` are defaults users may change."""

    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    recommended: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    origins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # key -> file or registry key
    problems: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # every place looked at, found or not

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def locked_setting(self, setting: str) -> tuple[bool, Any]:
        """``(True, value)`` when the organisation enforces the user setting ``setting``."""
        key = locking(setting)
        if key is not None and key in self.values:
            return True, self.values[key]
        return False, None

    def recommended_setting(self, setting: str) -> tuple[bool, Any]:
        key = locking(setting)
        if key is not None and key in self.recommended:
            return True, self.recommended[key]
        return False, None

    def to_json(self) -> dict:
        return {"values": dict(self.values), "recommended": dict(self.recommended), "origins": dict(self.origins),
                "problems": list(self.problems), "places": list(self.places)}


NONE = ManagedSettings()


def merge(layers: list[sources.Layer]) -> ManagedSettings:
    """Validate each layer key by key and apply them in order (a later layer wins a key)."""
    values: dict[str, Any] = {}
    recommended: dict[str, Any] = {}
    origins: dict[str, str] = {}
    recommended_origins: dict[str, str] = {}
    problems: list[str] = []
    for layer in layers:
        problems += layer.problems
        good, bad = check(layer.values, layer.where)
        problems += bad
        for key, value in good.items():
            if layer.recommended:
                if not is_recommendable_key(key):
                    problems.append(f"{layer.where}: {key} cannot be a recommended default (only an enforced "
                                    "setting); ignored")
                    continue
                recommended[key] = value
                recommended_origins[key] = layer.where
            else:
                values[key] = value
                origins[key] = layer.where
    origins = {**recommended_origins, **origins}
    return ManagedSettings(MappingProxyType(values), MappingProxyType(recommended), MappingProxyType(origins),
                           tuple(problems), tuple(layer.where for layer in layers))


class ManagedReader:
    """The platform's managed settings. Pass ``folder`` (files), ``registry`` or ``plists`` to choose the source;
    with none, ``ONRECORD_MANAGED_DIR`` or the platform's own place is used."""

    def __init__(self, folder: Path | str | None = None, registry: sources.Registry | None = None,
                 plists: list[Path] | None = None, clock: Callable[[], float] = time.monotonic):
        if folder is None and registry is None and plists is None:
            env = os.environ.get(ENV_FOLDER)
            if env:
                folder = env
            elif sys.platform == "win32":  # pragma: no cover - Windows only
                registry = sources.WinRegistry()
            elif sys.platform == "darwin":  # pragma: no cover - macOS only
                plists = sources.plist_paths()
            else:
                folder = sources.LINUX_FOLDER
        self.folder = Path(folder) if folder is not None else None
        self.registry = registry
        self.plists = plists
        self._clock = clock
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._stamp: Any = object()
        self._current = NONE

    def describe(self) -> str:
        if self.folder is not None:
            return f"{self.folder / 'managed.json'} and {self.folder / 'managed.d'}/*.json"
        if self.registry is not None:
            return f"HKLM and HKCU\\{sources.REGISTRY_KEY}"
        return " and ".join(map(str, self.plists or ()))

    def _read(self) -> tuple[Any, list[sources.Layer]]:
        if self.folder is not None:
            return sources.files_stamp(self.folder), None
        if self.plists is not None:
            return tuple((str(p), p.stat().st_mtime_ns) for p in self.plists if p.exists()), None
        layers = sources.read_registry(self.registry)
        return repr([(l.where, l.values, l.recommended) for l in layers]), layers

    def _layers(self) -> list[sources.Layer]:
        if self.folder is not None:
            return sources.read_files(self.folder)
        return sources.read_plists(self.plists or ())

    def current(self, force: bool = False) -> ManagedSettings:
        now = self._clock()
        if not force and now - self._checked < RECHECK_SECONDS:
            return self._current
        with self._lock:
            stamp, layers = self._read()
            self._checked = now
            if stamp == self._stamp and not force:
                return self._current
            merged = merge(layers if layers is not None else self._layers())
            if merged.values or merged.recommended or self._current.values or self._current.recommended:
                log.info("managed settings in force: %s", ", ".join(sorted(merged.values)) or "none")
            for problem in merged.problems:
                if problem not in self._current.problems:
                    log.warning("managed settings: %s", problem)
            self._stamp = stamp
            self._current = merged
            return merged


_default: tuple[str | None, ManagedReader] | None = None
_default_lock = threading.Lock()


def default_reader() -> ManagedReader:
    """The reader for this process's platform (a new one when ``ONRECORD_MANAGED_DIR`` changes)."""
    global _default
    env = os.environ.get(ENV_FOLDER)
    with _default_lock:
        if _default is None or _default[0] != env:
            _default = (env, ManagedReader())
        return _default[1]
