"""``bench/run.py --merge``: measuring one part again keeps the others' figures in results.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.run import merged  # noqa: E402


def _part(name: str, value: float) -> dict:
    return {"figures": [{"id": f"{name}.x", "label": name, "value": value, "unit": "", "aim": None, "meets": None}]}


def test_a_part_run_again_replaces_its_own_figures_and_keeps_the_rest(tmp_path):
    path = tmp_path / "results.json"
    old_machine = {"date": "2026-12-01 10:00:00 UTC"}
    old = {"machine": old_machine, "quick": False,
           "parts": {"engine": _part("engine", 1.0), "http": _part("http", 2.0), "idle": _part("idle", 3.0)}}
    old["figures"] = [f for p in old["parts"].values() for f in p["figures"]]
    path.write_text(json.dumps(old))
    new_machine = {"date": "2026-12-03 19:04:13 UTC"}
    new = {"machine": new_machine, "quick": False, "parts": {"idle": _part("idle", 9.0)}, "figures": []}

    result = merged(path, new)

    assert list(result["parts"]) == ["engine", "http", "idle"]
    assert [f["value"] for f in result["figures"]] == [1.0, 2.0, 9.0]
    assert result["machine"] == old_machine  # the file's own line is kept; the part says when it ran
    assert result["parts"]["idle"]["machine"] == new_machine


def test_with_no_file_yet_the_run_is_written_as_it_is(tmp_path):
    new = {"machine": {}, "parts": {"idle": _part("idle", 9.0)}, "figures": []}
    assert merged(tmp_path / "missing.json", new) is new
