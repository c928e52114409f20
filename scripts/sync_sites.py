"""Write the site table (helper/onrecord/sites.json) into every file that needs its own copy.

    python scripts/sync_sites.py           # rewrite the copies
    python scripts/sync_sites.py --check   # exit 1 and name the files that are out of step

The copies: the table itself in the extension's registry (content scripts cannot read the helper's
package), the site ids of the profile schema, and the sites of the managed-settings schema, from which
scripts/generate_managed.py (run here after it) makes the extension's managed-storage schema and the
administrators' templates. tests/test_sites.py runs the check, so a table edited without running this
fails the tests.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "helper"))

from onrecord import sites  # noqa: E402

REGISTRY = ROOT / "extension" / "content" / "core" / "registry.js"
PROFILE_SCHEMA = ROOT / "helper" / "onrecord" / "schemas" / "profile.schema.json"
MANAGED_SCHEMA = ROOT / "helper" / "onrecord" / "schemas" / "managed.schema.json"
# The one managed-settings schema; scripts/generate_managed.py makes the extension's copy and templates from it.
MANAGED_SOURCE = ROOT / "helper" / "onrecord" / "schemas" / "managed.schema.json"

BEGIN = "  // <site-table> generated from helper/onrecord/sites.json by scripts/sync_sites.py: edit the table, not these lines.\n"
END = "  // </site-table>\n"
_SITE_ENUM = re.compile(r'("site": \{"enum": )\[[^\]]*\]')


def registry_block() -> str:
    rows = "".join(f"    {json.dumps(s.to_json(), ensure_ascii=False)},\n" for s in sites.TABLE)
    return f"{BEGIN}  const TABLE = deepFreeze([\n{rows}  ]);\n{END}"


def with_registry_table(text: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{REGISTRY.relative_to(ROOT)}: the <site-table> markers are missing")
    return text[:start] + registry_block() + text[end + len(END):]


def with_profile_sites(text: str) -> str:
    new, n = _SITE_ENUM.subn(lambda m: m.group(1) + json.dumps(list(sites.SITES)), text)
    if n != 1:
        raise SystemExit(f"{PROFILE_SCHEMA.relative_to(ROOT)}: expected one accounts site enum, found {n}")
    return new


def managed_sites_properties() -> dict:
    """The managed ``sites`` key's properties: one on/off switch per site with an adapter."""
    return {s.id: {"type": "boolean", "title": s.label} for s in sites.TABLE if s.adapter}


def with_managed_sites(text: str) -> str:
    schema = json.loads(text)
    schema["properties"]["sites"]["properties"] = managed_sites_properties()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


COPIES = ((REGISTRY, with_registry_table), (PROFILE_SCHEMA, with_profile_sites), (MANAGED_SOURCE, with_managed_sites),
          (MANAGED_SCHEMA, with_managed_sites))


def out_of_step() -> list[Path]:
    """The files whose copy of the table differs from the table."""
    return [path for path, update in COPIES if update(path.read_text("utf-8")) != path.read_text("utf-8")]


def main(argv: list[str]) -> int:
    if argv[1:] == ["--check"]:
        stale = out_of_step()
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of step with helper/onrecord/sites.json: "
                  "run python scripts/sync_sites.py", file=sys.stderr)
        return 1 if stale else 0
    if argv[1:]:
        print("usage: python scripts/sync_sites.py [--check]", file=sys.stderr)
        return 2
    for path, update in COPIES:
        old = path.read_text("utf-8")
        new = update(old)
        if new != old:
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(new, "utf-8")
            os.replace(tmp, path)
            print(f"wrote {path.relative_to(ROOT)}")
    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_managed
    return generate_managed.main([])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
