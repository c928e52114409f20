"""The sites OnRecord knows, read from ``sites.json``: the one table the helper and the extension share.

The helper reads the table here; the extension gets a copy written into its registry by
``scripts/sync_sites.py``, which also writes the site lists of the profile schema and the extension's
managed-storage schema. ``tests/test_sites.py`` fails when any of them, an adapter, a fixture or a
test is out of step with the table.

Pure: no I/O beyond reading the packaged table once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Site:
    id: str
    label: str
    character_limit: int | None
    context_limits: dict[str, int] = field(hash=False)  # by context, where it differs from character_limit
    mention_handles: bool
    adapter: bool
    hosts: tuple[str, ...]
    examples: tuple[str, ...]

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "character_limit": self.character_limit,
                "context_limits": dict(self.context_limits), "mention_handles": self.mention_handles,
                "adapter": self.adapter,
                "hosts": list(self.hosts), "examples": list(self.examples)}

    @property
    def example_hosts(self) -> tuple[str, ...]:
        """The host names of the examples, in order, each once."""
        return tuple(dict.fromkeys(urlsplit(u).hostname for u in self.examples))


FIELDS = tuple(Site.__dataclass_fields__)


def _load() -> tuple[Site, ...]:
    raw = json.loads(resources.files("onrecord").joinpath("sites.json").read_text("utf-8"))
    table = []
    for i, entry in enumerate(raw["sites"]):
        if set(entry) != set(FIELDS):
            raise ValueError(f"sites.json: sites[{i}] has fields {sorted(entry)}, expected {sorted(FIELDS)}")
        table.append(Site(**{**entry, "hosts": tuple(entry["hosts"]), "examples": tuple(entry["examples"])}))
    return tuple(table)


TABLE: tuple[Site, ...] = _load()
BY_ID: dict[str, Site] = {s.id: s for s in TABLE}
SITES: tuple[str, ...] = tuple(s.id for s in TABLE)
LABELS: dict[str, str] = {s.id: s.label for s in TABLE}
CHARACTER_LIMITS: dict[str, int] = {s.id: s.character_limit for s in TABLE if s.character_limit}


def character_limit(site: str, context: str | None = None) -> int | None:
    """How long a draft may be on ``site`` in ``context`` (a LinkedIn comment is shorter than a post), or None."""
    entry = BY_ID.get(site)
    if entry is None:
        return None
    return entry.context_limits.get(context or "post", entry.character_limit)


MENTION_SITES: frozenset[str] = frozenset(s.id for s in TABLE if s.mention_handles)
ADAPTER_SITES: tuple[str, ...] = tuple(s.id for s in TABLE if s.adapter)
