"""The benchmarks still run and still report every figure: ``bench/run.py --quick`` end to end.

This is not a timed test. The quick run's figures mean little (tiny counts on a shared machine) and no
figure is held to its aim here; what is held is that every benchmark ran to the end against the real
helper, the real extension in Chromium and the packaged binary when there is one, and wrote well-formed
JSON with every figure present, as a number, and its aim judged consistently.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "dist" / "onrecord" / "onrecord"

sys.path.insert(0, str(ROOT))
from bench.run import EXPECTED as FIGURES  # noqa: E402  (every figure, by part)

# Figures that may be zero or negative: growths, and the typing-only shares (differences of two counts).
MAY_BE_SMALL = {"http.rss_growth_mb", "engine.draft_growth_slope", "engine.lexicon_growth_slope",
                "browser.typing_only_ms_per_char_with", "browser.typing_only_ms_per_char_without",
                "browser.typing_only_ratio", "idle.added_p50_ms", "idle.added_p99_ms", "idle.added_worst_ms"}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run([sys.executable, "bench/run.py", "--quick", "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert out.exists(), f"bench/run.py wrote no JSON (status {done.returncode}):\n{done.stderr[-3000:]}"
    return done, json.loads(out.read_text(encoding="utf-8"))


def test_the_run_succeeds_and_prints_every_figure(quick_run):
    done, results = quick_run
    assert done.returncode == 0, f"bench/run.py failed:\n{done.stderr[-3000:]}"
    assert results["quick"] is True
    assert results["machine"]["cores"] >= 1 and results["machine"]["date"]
    for fig in results["figures"]:
        assert fig["label"] in done.stdout, f"the printed table lacks {fig['label']!r}:\n{done.stdout}"


@pytest.mark.parametrize("part", sorted(FIGURES))
def test_each_part_reports_each_figure(quick_run, part):
    _, results = quick_run
    result = results["parts"].get(part)
    assert result is not None, f"{part} did not run"
    assert "error" not in result, f"{part} failed: {result['error']}\n{result.get('output', '')}"
    figures = {f["id"]: f for f in result["figures"]}
    for fid in FIGURES[part]:
        assert fid in figures, f"{part} does not report {fid}"
        fig = figures[fid]
        assert isinstance(fig["label"], str) and fig["label"] and isinstance(fig["unit"], str)
        if fid == "startup.packaged_s" and not PACKAGED.exists():
            # Without a build the binary cannot be timed; the figure must say so and how to get one.
            assert fig["value"] is None and "--build" in fig["missing"]
            continue
        value = fig["value"]
        assert isinstance(value, (int, float)) and math.isfinite(value), f"{fid} is {value!r}"
        if fid not in MAY_BE_SMALL:
            assert value > 0, f"{fid} is {value}"
        if fig["aim"] is None:
            assert fig["meets"] is None
        else:
            op, limit = fig["aim"].split()
            expected = {"<=": value <= float(limit), "<": value < float(limit),
                        ">=": value >= float(limit), ">": value > float(limit)}[op]
            assert fig["meets"] is expected, f"{fid}: {value} against {fig['aim']} judged {fig['meets']}"


def test_every_figure_is_explained_in_the_docs():
    docs = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    missing = [fid for ids in FIGURES.values() for fid in ids if f"`{fid}`" not in docs]
    assert not missing, f"docs/performance.md does not explain {missing}"


def test_the_browser_part_saw_the_extensions_prompts(quick_run):
    """The prompt latency is timed on the card the extension drew from the helper's answer."""
    _, results = quick_run
    details = results["parts"]["browser"].get("details", {})
    assert "disclaimer" in details.get("categories_shown", []), details
