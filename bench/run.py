"""Every benchmark in one command: prints a table of the figures against their aims and writes them as JSON.

    .venv/bin/python bench/run.py [--only engine,http,idle,startup,browser] [--json FILE] [--quick] [--build]
                                  [--merge]

The parts (each also runs on its own, with ``--help`` for its options):
  engine   bench/engine.py: checks a second in process, per pack, and how time grows with size
  http     bench/http.py: /v1/check against /v1/health on one helper, throughput, resident memory
  idle     bench/idle.py: the delay 500 idle connections from another program add to a real check
  startup  bench/startup.py: start to the first /v1/health, from source and packaged
  browser  bench/browser.py: the extension's cost while typing on a busy X page, and prompt latency

The figures go to bench/results.json unless ``--json`` says otherwise; docs/performance.md explains them.
``--merge`` keeps the parts of that file that were not run this time and replaces only those that were
(each part keeps its own machine line, since the two runs may be days apart).
``--quick`` runs each part with tiny counts: it shows that everything runs, and its figures mean little.
A part that fails is reported with its error, its figures are marked as not measured, and the exit
status is 1. The figures are never a pass or a fail: a slow machine gives slow figures.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: bench/ on sys.path would hide the standard library's http
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, figure, machine, print_figures, reexec_in_keyring_session

PARTS = ("engine", "http", "idle", "startup", "browser")
NEEDS_KEYRING = {"http", "idle", "startup", "browser"}  # they start the helper, which keeps its secrets there

# The figures each part must give (the smoke test holds every part to this list).
EXPECTED = {
    "engine": ["engine.tweet_checks_per_s", "engine.tweet_checks_per_s.civil-service", "engine.tweet_checks_per_s.dh",
               "engine.tweet_checks_per_s.nhs-england", "engine.new_tweet_checks_per_s",
               "engine.new_tweet_checks_per_s.civil-service", "engine.new_tweet_checks_per_s.dh",
               "engine.new_tweet_checks_per_s.nhs-england", "engine.worked_tweet_checks_per_s",
               "engine.worked_tweet_checks_per_s.civil-service", "engine.worked_tweet_checks_per_s.dh",
               "engine.worked_tweet_checks_per_s.nhs-england", "engine.blog_50kb_ms", "engine.draft_1kb_ms",
               "engine.draft_10kb_ms", "engine.draft_100kb_ms", "engine.document_1kb_ms", "engine.document_10kb_ms",
               "engine.document_100kb_ms", "engine.lexicon_100_checks_per_s",
               "engine.lexicon_1000_checks_per_s", "engine.lexicon_10000_checks_per_s",
               "engine.draft_growth_slope", "engine.lexicon_growth_slope"],
    "http": ["http.check_p50_ms", "http.check_p99_ms", "http.health_p50_ms", "http.health_p99_ms",
             "http.check_health_p50_ratio", "http.check_five_prompts_p50_ms", "http.check_five_prompts_p99_ms",
             "http.check_five_prompts_health_p50_ratio", "http.first_check_ms", "http.throughput_2_clients", "http.rss_idle_mb",
             "http.rss_after_checks_mb", "http.rss_growth_mb"],
    "idle": ["idle.check_p50_ms_quiet", "idle.check_p50_ms_with_idle", "idle.new_connection_check_p50_ms_quiet",
             "idle.new_connection_check_p50_ms_with_idle", "idle.added_p50_ms", "idle.added_p99_ms",
             "idle.added_worst_ms", "idle.connections_held"],
    "startup": ["startup.source_s", "startup.self_test_s", "startup.packaged_s"],
    "browser": ["browser.cpu_ms_per_char_with", "browser.cpu_ms_per_char_without", "browser.typing_ratio",
                "browser.typing_only_ms_per_char_with", "browser.typing_only_ms_per_char_without",
                "browser.typing_only_ratio", "browser.extension_script_ms_per_char", "browser.extension_script_share",
                "browser.prompts_visible_p50_ms", "browser.prompts_visible_max_ms"],
}

QUICK_ARGS = {
    "engine": ["--quick"],
    "http": ["--checks", "300"],
    "idle": ["--checks", "20"],
    "startup": ["--runs", "1"],
    "browser": ["--rounds", "1", "--trials", "1", "--chars", "12"],
}


def part_command(part: str, quick: bool, build: bool) -> list[str]:
    if part == "engine":
        command = [sys.executable, str(ROOT / "bench" / "engine.py")]
    else:
        command = [sys.executable, "-m", f"bench.{part}"]
    if quick:
        command += QUICK_ARGS[part]
    if part == "startup" and build:
        command.append("--build")
    return command


def run_part(part: str, quick: bool, build: bool) -> dict:
    """Runs one part in its own process; its JSON, or an error saying why there is none."""
    if part == "engine" and not (ROOT / "bench" / "engine.py").exists():
        return {"error": "bench/engine.py is not in this tree, so the engine's figures could not be measured"}
    with tempfile.TemporaryDirectory(prefix="onrecord-bench-") as tmp:
        out = Path(tmp) / f"{part}.json"
        command = [*part_command(part, quick, build), "--json", str(out)]
        t0 = time.monotonic()
        load = os.getloadavg()[0]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        took = round(time.monotonic() - t0, 1)
        if done.returncode != 0 or not out.exists():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            return {"error": f"{' '.join(command[1:3])} exited with status {done.returncode}", "output": tail,
                    "seconds": took}
        result = json.loads(out.read_text(encoding="utf-8"))
    if part == "engine":
        result = engine_figures(result)
    result["seconds"] = took
    result["load_average_before"] = round(load, 2)
    return result


def engine_figures(result: dict) -> dict:
    """bench/engine.py's figures, and two read from them: how the time of a check grows with the draft's
    length (1 to 100 KB) and with the size of the lexicon (100 to 10,000 terms), as the slope on a log-log
    scale: 1 is linear, below 1 better than linear. The aim allows a tenth over 1 for timing noise."""
    values = {f["id"]: f["value"] for f in result.get("figures", [])}

    def slope(small: str, large: str, factor: float, per_second: bool = False):
        a, b = values.get(small), values.get(large)
        if not a or not b:
            return None
        grew = a / b if per_second else b / a
        return round(math.log(grew) / math.log(factor), 3)

    result.setdefault("figures", []).extend([
        figure("engine.draft_growth_slope", "growth of check time with draft length (1 = linear)",
               slope("engine.draft_1kb_ms", "engine.draft_100kb_ms", 100), "", "<= 1.1",
               missing="no 1 KB or 100 KB timing to compare"),
        figure("engine.lexicon_growth_slope", "growth of check time with lexicon size (1 = linear)",
               slope("engine.lexicon_100_checks_per_s", "engine.lexicon_10000_checks_per_s", 100, per_second=True),
               "", "<= 1.1", missing="no 100 or 10,000 term timing to compare"),
    ])
    return result


def complete(part: str, result: dict) -> list[dict]:
    """The part's figures, with every expected one present: a missing one says why it is missing."""
    figures = list(result.get("figures", []))
    have = {f["id"] for f in figures}
    why = result.get("error") or "the benchmark did not report it"
    for fid in EXPECTED[part]:
        if fid not in have:
            figures.append(figure(fid, fid, None, "", missing=why))
    return figures


def merged(path: Path, new: dict) -> dict:
    """``new``'s parts put into the results already at ``path`` (their parts not run now are kept), in
    the order of PARTS; each part run now records the machine it ran on."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return new
    parts = dict(old.get("parts", {}))
    for name, result in new["parts"].items():
        parts[name] = {**result, "machine": new["machine"]}
    ordered = {name: parts[name] for name in PARTS if name in parts}
    figures = [f for name in ordered for f in ordered[name].get("figures", [])]
    return {**old, "parts": ordered, "figures": figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"the parts to run, separated by commas (default: {','.join(PARTS)})")
    parser.add_argument("--json", metavar="FILE", default=str(ROOT / "bench" / "results.json"),
                        help="where to write the figures (default: bench/results.json)")
    parser.add_argument("--quick", action="store_true", help="tiny counts: shows everything runs; figures mean little")
    parser.add_argument("--build", action="store_true", help="build the packaged binary before timing its start")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other parts already in the JSON file; replace only the parts run now")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"--only: unknown part {', '.join(unknown)} (the parts are {', '.join(PARTS)})")
    if NEEDS_KEYRING.intersection(parts):
        reexec_in_keyring_session()

    results = {"machine": machine(), "quick": args.quick, "parts": {}, "figures": []}
    status = 0
    for part in parts:
        print(f"running {part}...", file=sys.stderr, flush=True)
        result = run_part(part, args.quick, args.build)
        if "error" in result:
            status = 1
            print(f"{part} failed: {result['error']}\n{result.get('output', '')}", file=sys.stderr)
        result["figures"] = complete(part, result)
        results["parts"][part] = result
        results["figures"].extend(result["figures"])
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    printed, m = results["figures"], results["machine"]
    if args.merge:
        results = merged(Path(args.json), results)

    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nOnRecord benchmarks, {m['date']}: {m['cpu']}, {m['cores']} cores, load average "
          f"{m['load_average'][0]} at the start{' (--quick: tiny counts)' if args.quick else ''}\n")
    print_figures(printed)
    print(f"\nfigures written to {args.json}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
