"""``onrecord audit``: show, export (CSV) and purge the activity log (never the drafts' text)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from onrecord.errors import BadInput
from onrecord.policy.model import CATEGORIES
from onrecord.profile import SITES
from onrecord.store import settings_store
from onrecord.store.audit import DECISIONS, AuditLog


def _filters(p) -> None:
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (inclusive, local time)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="to this day (inclusive, local time)")
    p.add_argument("--site", choices=SITES)
    p.add_argument("--category", choices=CATEGORIES)
    p.add_argument("--decision", choices=DECISIONS)


def register(sub) -> None:
    p = sub.add_parser("audit", help="show, export or purge the activity log")
    psub = p.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=type(p))
    ex = psub.add_parser("export", help="write the activity log to a CSV file")
    ex.add_argument("--csv", required=True, metavar="FILE", help="the CSV file to write")
    _filters(ex)
    ex.set_defaults(func=export)
    sh = psub.add_parser("show", help="print recent events")
    _filters(sh)
    sh.add_argument("--limit", type=int, default=50)
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=show)
    pu = psub.add_parser("purge", help="delete events older than the retention period now")
    pu.set_defaults(func=purge)
    p.set_defaults(func=lambda a: p.error("choose an action: export, show or purge"))


def _log() -> AuditLog:
    return AuditLog(retention_days=_retention(), timeout=5.0)


def _retention() -> int:
    return settings_store.load()["audit_retention_days"]


def _chosen(args) -> dict:
    return {k: getattr(args, k) for k in ("since", "until", "site", "category", "decision")}


def _csv_target(name: str) -> Path:
    """Where ``--csv`` may write: a file (new or replaced) in a folder that exists; else ``BadInput``."""
    if name == "-":
        raise BadInput("--csv: give a file name")
    path = Path(name).expanduser()
    if path.is_dir():
        raise BadInput(f"--csv: {name} is a folder; give the name of a file to write, such as {path / 'activity.csv'}")
    folder = path.parent
    if not folder.exists():
        raise BadInput(f"--csv: the folder {folder} does not exist; make it first or choose another")
    if not folder.is_dir():
        raise BadInput(f"--csv: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"--csv: cannot write in {folder} (permission denied)")
    return path


def export(args) -> int:
    path = _csv_target(args.csv)
    try:
        n = _log().export_csv(path, **_chosen(args))
    except OSError as exc:  # what the checks above cannot foresee: a read-only file system, ...
        raise BadInput(f"--csv: cannot write {args.csv}: {exc.strerror or type(exc).__name__}") from None
    print(f"Wrote {n} event{'s' if n != 1 else ''} to {args.csv}")
    return 0


def show(args) -> int:
    events = _log().query(limit=args.limit, **_chosen(args))
    if args.json:
        print(json.dumps([e.to_json() for e in events], indent=2))
        return 0
    if not events:
        filtered = any(getattr(args, k) for k in ("since", "until", "site", "category", "decision"))
        print(f"No events {'match these filters' if filtered else 'recorded'} in the last {_retention()} days "
              "(the activity log keeps what you did with each prompt: acknowledged, overridden, ...).")
        return 0
    for e in events:
        line = e.to_json()
        reason = f" reason={line['reason']!r}" if line["reason"] else ""
        print(f"{line['time']} {e.site} {e.account} ({e.channel}) {e.decision} "
              f"{' '.join(e.categories) or '-'}{reason}")
    return 0


def purge(args) -> int:
    n = _log().purge()
    print(f"Deleted {n} event{'s' if n != 1 else ''} older than {_retention()} days")
    return 0
