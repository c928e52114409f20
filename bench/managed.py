"""What managed settings cost a check: HelperService.check in process, with no managed settings and with
an organisation's (locked reminder frequency, official accounts, organisation name, JSON audit on).

    .venv/bin/python bench/managed.py [--checks 20000] [--json FILE]

A benchmark, not a test: it prints figures and never fails on them. CPU time of this one process
(``time.process_time``), on the tweet-sized drafts of bench/common.py.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: put the checkout, not bench/, on sys.path
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))
    sys.path.insert(0, str(pathlib.Path(_here).parent / "helper"))

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.common import TWEETS, figure, print_figures, write_result

PROFILE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "profiles" / "dh-amy.yaml"


def service(folder: Path, managed: dict | None):
    os.environ["ONRECORD_HOME"] = str(folder / "home")
    from onrecord.app import create_app
    from onrecord.managed import ManagedReader
    from onrecord.store import profile_store
    profile_store.import_file(PROFILE, folder / "home" / "profile.yaml")
    mdir = folder / "managed"
    mdir.mkdir(exist_ok=True)
    if managed:
        (mdir / "managed.json").write_text(json.dumps(managed))
    app = create_app({"MANAGED": ManagedReader(mdir), "AUDIT_DB": str(folder / "audit.sqlite3"),
                      "ONRECORD_WINDOW_KEY_FILE": False})
    return app.extensions["onrecord_service"]


def per_check_us(svc, checks: int) -> float:
    from onrecord.service import CheckRequest
    requests = [CheckRequest("x", account, text) for account, text in TWEETS]
    for r in requests:
        svc.check(r)  # warm: pack compiled, profile read
    t0 = time.process_time()
    for i in range(checks):
        svc.check(requests[i % len(requests)])
    return (time.process_time() - t0) / checks * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=20000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        plain = per_check_us(service(Path(a), None), args.checks)
        managed = per_check_us(service(Path(b), {
            "organisation": "Department of Health and Social Care", "reminderFrequency": "every_post",
            "officialAccounts": [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"}],
            "auditJsonDirectory": str(Path(b) / "audit")}), args.checks)
    figures = [figure("managed.check.none", "check, no managed settings", round(plain, 1), "µs"),
               figure("managed.check.managed", "check, with managed settings and the JSON audit", round(managed, 1), "µs"),
               figure("managed.check.overhead", "what managed settings add to a check", round(managed - plain, 1), "µs")]
    print_figures(figures)
    write_result(args.json, "managed", figures, {"checks": args.checks})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
