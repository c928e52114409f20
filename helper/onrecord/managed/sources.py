"""Where managed settings come from on each platform, read into plain ``{key: value}`` layers.

- Linux (and any platform when ``ONRECORD_MANAGED_DIR`` is set): ``managed.json`` then ``managed.d/*.json``
  in name order, later files winning key by key.
- Windows: ``HKLM`` then ``HKCU`` under ``SOFTWARE\\Policies\\OnRecord``; machine policy wins, as it does for
  Chrome and Edge. The ``Recommended`` subkey of each holds defaults users may change.
- macOS: the forced preferences of the app's bundle id in ``/Library/Managed Preferences`` (the user's own
  folder there first, then the machine's), as an MDM configuration profile installs them.

Each reader returns ``Layer`` objects; ``onrecord.managed.reader`` validates and merges them.
"""

from __future__ import annotations

import json
import os
import plistlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from onrecord.managed.schema import BUNDLE_ID, REGISTRY_KEY, keys, meta

LINUX_FOLDER = Path("/etc/onrecord")
MACOS_FOLDER = Path("/Library/Managed Preferences")


@dataclass
class Layer:
    """Values from one place; ``recommended`` layers are defaults the user may change."""

    where: str
    values: dict[str, Any]
    recommended: bool = False
    problems: list[str] = field(default_factory=list)


# ---- files (Linux, and tests everywhere) -------------------------------------------------------------

def file_paths(folder: Path) -> list[Path]:
    """``managed.json`` then ``managed.d/*.json`` in name order: the order they are applied in."""
    out = [folder / "managed.json"]
    try:
        out += sorted(p for p in (folder / "managed.d").iterdir() if p.name.endswith(".json") and not p.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    return out


def read_files(folder: Path) -> list[Layer]:
    layers = []
    for path in file_paths(folder):
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            layers.append(Layer(str(path), {}, problems=[f"{path}: cannot be read ({exc.strerror}); ignored"]))
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            layers.append(Layer(str(path), {}, problems=[f"{path}: not UTF-8 text; ignored"]))
            continue
        except ValueError as exc:
            layers.append(Layer(str(path), {}, problems=[f"{path}: not valid JSON ({exc}); ignored"]))
            continue
        if not isinstance(data, dict):
            layers.append(Layer(str(path), {}, problems=[f"{path}: expected a JSON object of settings; ignored"]))
            continue
        layers.append(Layer(str(path), data))
    return layers


def files_stamp(folder: Path) -> tuple:
    """What changes when any of the files changes, is added or removed (cheap: stat calls only)."""
    stamp = []
    for path in file_paths(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp.append((str(path), st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(stamp)


# ---- the Windows registry -------------------------------------------------------------------------

REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 4, 7, 11


class Registry(Protocol):
    """What the reader needs of the registry; ``WinRegistry`` is the real one, tests use recorded exports."""

    def values(self, hive: str, path: str) -> dict[str, tuple[int, Any]] | None: ...
    def subkeys(self, hive: str, path: str) -> list[str]: ...


class WinRegistry:  # pragma: no cover - runs on Windows only; the conversion below is tested on recorded data
    def __init__(self):
        import winreg
        self._winreg = winreg
        self._hives = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}

    def values(self, hive, path):
        w = self._winreg
        try:
            with w.OpenKey(self._hives[hive], path, 0, w.KEY_READ | w.KEY_WOW64_64KEY) as key:
                out, i = {}, 0
                while True:
                    try:
                        name, data, kind = w.EnumValue(key, i)
                    except OSError:
                        return out
                    out[name] = (kind, data)
                    i += 1
        except OSError:
            return None

    def subkeys(self, hive, path):
        w = self._winreg
        try:
            with w.OpenKey(self._hives[hive], path, 0, w.KEY_READ | w.KEY_WOW64_64KEY) as key:
                out, i = [], 0
                while True:
                    try:
                        out.append(w.EnumKey(key, i))
                    except OSError:
                        return out
                    i += 1
        except OSError:
            return []


def _scalar(kind: int, data: Any) -> Any:
    if kind in (REG_DWORD, REG_QWORD):
        return int(data)
    if kind == REG_MULTI_SZ:
        return list(data)
    return data


def _registry_value(reg: Registry, hive: str, path: str, key: str, values: dict, subkeys: list[str]) -> tuple[bool, Any]:
    """One managed key's value from the registry, by the form x-onrecord.registry gives it.

    Booleans and numbers are DWORDs (a boolean as 0 or 1), text is REG_SZ. A list is a subkey of values
    named 1, 2, 3... (what an ADMX ``list`` element writes) or a REG_MULTI_SZ; anything may also be
    given as REG_SZ holding JSON. An object may be a subkey holding a value per property.
    """
    spec = keys()[key]
    kind_of = spec.get("type")
    if key in values:
        kind, data = values[key]
        if kind == REG_MULTI_SZ and meta(key).get("registry") == "json":
            kind, data = REG_SZ, "\n".join(data)  # an ADMX multiText: the JSON over several lines
        value = _scalar(kind, data)
        if isinstance(value, str) and (kind_of in ("array", "object")):
            try:
                return True, json.loads(value)
            except ValueError:
                return True, value  # reported by validation, naming the key
        if kind_of == "boolean" and isinstance(value, int) and value in (0, 1):
            return True, bool(value)
        return True, value
    match = next((s for s in subkeys if s.lower() == key.lower()), None)
    if match is None:
        return False, None
    sub = reg.values(hive, f"{path}\\{match}") or {}
    if kind_of == "array":
        numbered = sorted(((int(n), v) for n, v in sub.items() if n.isdigit()), key=lambda p: p[0])
        return True, [_scalar(*v) for _, v in numbered]
    if kind_of == "object":
        props = spec.get("properties", {})
        out = {}
        for name, (kind, data) in sub.items():
            value = _scalar(kind, data)
            if props.get(name, {}).get("type") == "boolean" and value in (0, 1):
                value = bool(value)
            out[name] = value
        return True, out
    return False, None


def read_registry(reg: Registry) -> list[Layer]:
    """Layers from the registry, lowest precedence first: recommended, then user policy, then machine."""
    layers = []
    for recommended in (True, False):
        for hive in ("HKCU", "HKLM"):
            path = REGISTRY_KEY + ("\\Recommended" if recommended else "")
            values = reg.values(hive, path)
            if values is None:
                continue
            subkeys = reg.subkeys(hive, path)
            found = {}
            for key in keys():
                present, value = _registry_value(reg, hive, path, key, values, subkeys)
                if present:
                    found[key] = value
            known = {k.lower() for k in keys()} | {"recommended"}
            problems = [f"{hive}\\{path}: unknown value {name!r} ignored" for name in values if name and name.lower() not in known]
            layers.append(Layer(f"{hive}\\{path}", found, recommended=recommended, problems=problems))
    return layers


# ---- macOS forced preferences -----------------------------------------------------------------------

def plist_paths(folder: Path = MACOS_FOLDER, user: str | None = None) -> list[Path]:
    """The machine's forced preferences, then the user's (which an MDM installs for that user only)."""
    user = user or os.environ.get("USER") or ""
    paths = [folder / f"{BUNDLE_ID}.plist"]
    if user:
        paths.append(folder / user / f"{BUNDLE_ID}.plist")
    return paths


def read_plists(paths: Iterable[Path]) -> list[Layer]:
    layers = []
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = plistlib.load(fh)
        except FileNotFoundError:
            continue
        except (OSError, plistlib.InvalidFileException, ValueError) as exc:
            layers.append(Layer(str(path), {}, problems=[f"{path}: not a readable property list ({exc}); ignored"]))
            continue
        if not isinstance(data, dict):
            layers.append(Layer(str(path), {}, problems=[f"{path}: expected a dictionary of settings; ignored"]))
            continue
        # What macOS adds to every managed preference file is not a setting.
        data = {k: v for k, v in data.items() if not k.startswith(("PayloadUUID", "PayloadType", "PayloadVersion",
                                                                   "PayloadIdentifier", "PayloadDisplayName"))}
        layers.append(Layer(str(path), data))
    return layers

