"""``onrecord corpus report FILE``: found and wrongly-shown rates of a labelled corpus (CONTRACT section 6)."""

from __future__ import annotations

import json
from pathlib import Path

from onrecord.errors import BadInput
from onrecord.policy.corpus import evaluate, format_report, read_cases


def register(sub) -> None:
    p = sub.add_parser("corpus", help="measure the policy against a labelled corpus")
    psub = p.add_subparsers(dest="corpus_command", metavar="ACTION", parser_class=type(p))
    rep = psub.add_parser("report", help="found and wrongly-shown rates per category, pack and site",
                          description="Check every draft of a corpus (one JSON case a line) and print how many "
                                      "expected prompts were found and how many forbidden ones were shown.")
    rep.add_argument("file", metavar="FILE", help="the corpus (.jsonl)")
    rep.add_argument("--profiles", metavar="DIR", action="append",
                     help="where the cases' profiles are (default: FILE's folder's profiles/); may be repeated")
    rep.add_argument("--from", dest="first", metavar="ID", help="only the cases from this id on (a newer part)")
    rep.add_argument("--misses", action="store_true", help="also list the ids and categories that went wrong")
    rep.add_argument("--json", action="store_true", help="print one JSON object")
    rep.set_defaults(func=_report)
    p.set_defaults(func=lambda a: p.error("choose an action: report"))


def _report(args) -> int:
    path = Path(args.file)
    dirs = [Path(d) for d in args.profiles] if args.profiles else [path.parent / "profiles"]
    for d in dirs:
        if not d.is_dir():
            raise BadInput(f"{d}: no such profiles folder")
    report = evaluate(read_cases(path, args.first), dirs)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    title = str(path) + (f" from {args.first}" if args.first else "")
    print(format_report(report, title))
    if args.misses:
        print()
        for case_id, category, kind in report.misses:
            print(f"{case_id}: {category} {kind}")
    return 0
