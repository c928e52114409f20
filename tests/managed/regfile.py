"""Recorded Windows registry data: a ``reg export`` file read into the ``Registry`` the reader asks.

The export format (REGEDIT5: UTF-16 LE with a BOM, ``[key]`` headers, ``"name"=value`` lines with
``dword:``, ``hex(7):`` (REG_MULTI_SZ) and quoted REG_SZ) is what an administrator gets from
``reg export HKLM\\SOFTWARE\\Policies\\OnRecord file.reg`` on a machine where the policy applied.
"""

from __future__ import annotations

from pathlib import Path

from onrecord.managed.sources import REG_DWORD, REG_MULTI_SZ, REG_SZ

HIVES = {"HKEY_LOCAL_MACHINE": "HKLM", "HKEY_CURRENT_USER": "HKCU"}


def _multi_sz(hexdata: str) -> list[str]:
    raw = bytes.fromhex(hexdata.replace(",", "").replace("\\", "").replace(" ", ""))
    return [s for s in raw.decode("utf-16-le").split("\0") if s]


def _unquote(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")


class RecordedRegistry:
    def __init__(self, *exports: Path):
        self.keys: dict[tuple[str, str], dict] = {}
        self.replace(*exports)

    def replace(self, *exports: Path) -> None:
        """The registry as these exports record it, as after the organisation's policy changed."""
        self.keys.clear()
        for export in exports:
            self._load(Path(export).read_bytes().decode("utf-16"))

    def _load(self, text: str) -> None:
        current = None
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                hive, _, path = line[1:-1].partition("\\")
                current = (HIVES[hive], path.lower())
                self.keys.setdefault(current, {})
            elif line.startswith('"') and current:
                name, _, value = line.partition("=")
                name = _unquote(name)
                if value.startswith("dword:"):
                    self.keys[current][name] = (REG_DWORD, int(value[6:], 16))
                elif value.startswith("hex(7):"):
                    self.keys[current][name] = (REG_MULTI_SZ, _multi_sz(value[7:]))
                else:
                    self.keys[current][name] = (REG_SZ, _unquote(value))

    def values(self, hive, path):
        found = self.keys.get((hive, path.lower()))
        return dict(found) if found is not None else None

    def subkeys(self, hive, path):
        prefix = path.lower() + "\\"
        return sorted({p[len(prefix):].split("\\")[0] for h, p in self.keys if h == hive and p.startswith(prefix)})
