"""Start-up: from starting ``onrecord run --no-window`` to its first answer to /v1/health, median of five;
and how long ``onrecord --self-test`` takes, start to finish.

    .venv/bin/python bench/startup.py [--runs 5] [--build] [--json FILE]

Measured twice: the helper from the project's virtual environment, and the packaged one-folder binary
(dist/onrecord/onrecord). When dist/ holds no build, the binary is left out with a message saying so;
``--build`` builds it first with PyInstaller (packaging/onrecord.spec). Each start has its own port and
the same throw-away ONRECORD_HOME; one start before the timed ones warms the disk cache, so the figures
are for a warm start (the common case at login is a cold one, which is slower by however long the disk
takes to read the program).
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: bench/ on sys.path would hide the standard library's http
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))

import argparse
import os
import shutil
import subprocess
import sys
import time

from bench.common import (PACKAGED, ROOT, Helper, figure, make_home, median, print_figures,
                          reexec_in_keyring_session, source_command, write_result)


def time_starts(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Seconds to the first /v1/health answer, and the CPU seconds the helper had used by then."""
    home = make_home()
    try:
        Helper(command, home).start().stop()  # warms the disk cache and makes the keys
        times, cpu = [], []
        for _ in range(runs):
            helper = Helper(command, home)
            try:
                times.append(helper.start().started_in)
                cpu.append(helper.cpu_at_start)
            finally:
                helper.stop()
        return times, cpu
    finally:
        shutil.rmtree(home, ignore_errors=True)


def time_self_tests(command: list[str], runs: int) -> list[float]:
    """Seconds for ``onrecord --self-test`` to finish, with the user's data in a throw-away folder."""
    home = make_home()
    try:
        env = dict(os.environ, ONRECORD_HOME=str(home))
        subprocess.run([*command, "--self-test"], env=env, capture_output=True, timeout=300)  # warms the cache
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run([*command, "--self-test"], env=env, capture_output=True, text=True, timeout=300)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"the self-test failed: {done.stdout[-300:]}")
        return times
    finally:
        shutil.rmtree(home, ignore_errors=True)


def build() -> None:
    print("building dist/onrecord with PyInstaller (a few minutes)...", flush=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "packaging/onrecord.spec", "--noconfirm",
                    "--distpath", "dist", "--workpath", "build/pyinstaller"], cwd=ROOT, check=True)


def measure(runs: int = 5, packaged: bool = True) -> dict:
    figures, details = [], {"runs": runs}
    source, source_cpu = time_starts(source_command(), runs)
    details["source_s"] = [round(t, 3) for t in source]
    details["source_cpu_s"] = [round(t, 3) for t in source_cpu]
    figures.append(figure("startup.source_s", "start to /v1/health, from source", round(median(source), 3), "s"))
    self_tests = time_self_tests(source_command(), runs)
    details["self_test_s"] = [round(t, 3) for t in self_tests]
    figures.append(figure("startup.self_test_s", "onrecord --self-test, from source", round(median(self_tests), 3),
                          "s", "< 5"))
    if not packaged:
        why = "left out on request (--no-packaged)"
    elif not PACKAGED.exists():
        why = f"no packaged build at {PACKAGED.relative_to(ROOT)}: build it with --build"
    else:
        why = None
    binary = binary_cpu = None
    if not why:
        try:
            binary, binary_cpu = time_starts([str(PACKAGED)], runs)
        except (RuntimeError, OSError) as exc:  # reported as not measured, with why; the source figure stands
            why = f"the packaged binary did not start: {exc}"
    if why:
        print(f"packaged binary: {why}", file=sys.stderr)
        figures.append(figure("startup.packaged_s", "start to /v1/health, packaged", None, "s", "< 1",
                              missing=why))
    else:
        details["packaged_s"] = [round(t, 3) for t in binary]
        details["packaged_cpu_s"] = [round(t, 3) for t in binary_cpu]
        figures.append(figure("startup.packaged_s", "start to /v1/health, packaged", round(median(binary), 3),
                              "s", "< 1"))
    return {"figures": figures, "details": details}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed starts of each (default 5): the median is kept")
    parser.add_argument("--build", action="store_true", help="build dist/onrecord with PyInstaller first")
    parser.add_argument("--no-packaged", action="store_true", help="time only the helper from source")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    reexec_in_keyring_session()
    if args.build:
        build()
    result = measure(args.runs, packaged=not args.no_packaged)
    write_result(args.json, "startup", result["figures"], result["details"])
    print_figures(result["figures"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
