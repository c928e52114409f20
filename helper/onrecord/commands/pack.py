"""``onrecord pack list | show ID | validate FILE``: the policy packs and their rules."""

from __future__ import annotations

import json
import sys

from onrecord.policy import examples
from onrecord.policy.loader import Problem
from onrecord.policy.packs import PackInvalid, list_builtin, load_pack, validate_file


def register(sub) -> None:
    p = sub.add_parser("pack", help="list, show or validate policy packs")
    psub = p.add_subparsers(dest="pack_command", metavar="ACTION", parser_class=type(p))
    ls = psub.add_parser("list", help="the built-in packs")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    show = psub.add_parser("show", help="a pack's rules with their sources")
    show.add_argument("pack", metavar="ID|FILE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_show)
    val = psub.add_parser("validate", help="check a pack file; every problem is reported with its line")
    val.add_argument("file", metavar="FILE")
    val.set_defaults(func=_validate)
    p.set_defaults(func=lambda a: p.error("choose an action: list, show or validate"))


def _list(args) -> int:
    packs = list_builtin()
    if args.json:
        print(json.dumps(packs, ensure_ascii=False, indent=2))
    else:
        for pack in packs:
            print(f"{pack['id']}: {pack['title']}")
    return 0


def _show(args) -> int:
    pack = load_pack(args.pack)
    if args.json:
        print(json.dumps({"id": pack.id, "title": pack.title, "disclaimer": pack.disclaimer,
                          "rules": pack.rules_summary()}, ensure_ascii=False, indent=2))
        return 0
    print(f"{pack.id}: {pack.title} ({len(pack.rules)} rules)")
    for rule in pack.rules:
        print(f"- {rule.id} ({rule.category}, {rule.severity})")
        print(f"    {rule.message}")
        print(f"    Source: {rule.source}")
    return 0


def _validate(args) -> int:
    problems = validate_file(args.file)
    if not problems:
        try:
            pack = load_pack(args.file)
        except PackInvalid as exc:
            problems = exc.problems
        else:
            failures = examples.run(pack)
            problems = [Problem(ex.line, msg) for ex, msg in failures]
            if not problems:
                count = len(examples.examples_of(pack))
                print(f"{args.file}: valid ({len(pack.rules)} rules, {count} examples behave)")
                return 0
    for problem in problems:
        where = f"{args.file}:{problem.line}" if problem.line else args.file
        print(f"{where}: {problem.message}", file=sys.stderr)
    return 2
