"""Labelled corpora (CONTRACT section 6): how many expected prompts a pack finds, and how many
forbidden ones it shows, per category, pack and site.

Each case names its profile by file name, read from the corpus's ``profiles/`` folder (or folders
given). Nothing here keeps or prints a draft's text: only ids, counts and rates.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import BadInput
from onrecord.policy.engine import check_text
from onrecord.policy.packs import PackLibrary
from onrecord.profile import load_profile

FIELDS = ("id", "profile", "site", "account", "context", "reply_to", "text", "expect", "forbid")


@dataclass
class Tally:
    expected: int = 0
    found: int = 0
    forbidden: int = 0
    shown: int = 0

    def add(self, other: "Tally") -> None:
        self.expected += other.expected
        self.found += other.found
        self.forbidden += other.forbidden
        self.shown += other.shown

    @property
    def found_rate(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def shown_rate(self) -> float | None:
        return self.shown / self.forbidden if self.forbidden else None

    def to_json(self) -> dict:
        return {"expected": self.expected, "found": self.found, "found_rate": self.found_rate,
                "forbidden": self.forbidden, "shown": self.shown, "shown_rate": self.shown_rate}


@dataclass
class Report:
    cases: int = 0
    total: Tally = field(default_factory=Tally)
    by_category: dict = field(default_factory=lambda: defaultdict(Tally))
    by_pack: dict = field(default_factory=lambda: defaultdict(Tally))
    by_site: dict = field(default_factory=lambda: defaultdict(Tally))
    misses: list = field(default_factory=list)  # (case id, category, "missed" | "shown")

    def to_json(self) -> dict:
        return {"cases": self.cases, "total": self.total.to_json(),
                **{name: {k: v.to_json() for k, v in sorted(getattr(self, name).items())}
                   for name in ("by_category", "by_pack", "by_site")},
                "misses": [{"id": i, "category": c, "kind": k} for i, c, k in self.misses]}


def read_cases(path: Path, first: str | None = None) -> list[dict]:
    """The corpus's cases (from the case with id ``first`` on, when given); bad lines name their number."""
    cases = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such corpus file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: the corpus is not UTF-8 text") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        missing = [k for k in FIELDS if not isinstance(case, dict) or k not in case]
        if missing:
            raise BadInput(f"{path}:{n}: missing {', '.join(missing)}")
        cases.append(case)
    if first is not None:
        ids = [c["id"] for c in cases]
        if first not in ids:
            raise BadInput(f"{path}: no case with id {first!r}")
        cases = cases[ids.index(first):]
    return cases


def evaluate(cases: list[dict], profile_dirs: list[Path], library: PackLibrary | None = None) -> Report:
    library = library if library is not None else PackLibrary()
    profiles: dict = {}
    report = Report()
    for case in cases:
        name = case["profile"]
        if name not in profiles:
            where = next((d / name for d in profile_dirs if (d / name).is_file()), None)
            if where is None:
                raise BadInput(f"case {case['id']}: no profile {name!r} in {', '.join(map(str, profile_dirs))}")
            profiles[name] = load_profile(where)
        profile = profiles[name]
        result = check_text(profile, case["site"], case["account"], case["text"], case["context"], case["reply_to"],
                            case.get("reply_to_bio"), library=library)
        shown = {p.category for p in result.prompts}
        report.cases += 1
        for category in case["expect"]:
            t = Tally(expected=1, found=int(category in shown))
            _count(report, t, category, profile.policy_pack, case["site"])
            if not t.found:
                report.misses.append((case["id"], category, "missed"))
        for category in case["forbid"]:
            t = Tally(forbidden=1, shown=int(category in shown))
            _count(report, t, category, profile.policy_pack, case["site"])
            if t.shown:
                report.misses.append((case["id"], category, "shown"))
    return report


def _count(report: Report, t: Tally, category: str, pack: str, site: str) -> None:
    report.total.add(t)
    report.by_category[category].add(t)
    report.by_pack[pack].add(t)
    report.by_site[site].add(t)


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}%"


def format_report(report: Report, title: str) -> str:
    out = [f"{title}: {report.cases} drafts, found {_pct(report.total.found_rate).strip()} of "
           f"{report.total.expected} expected prompts, wrongly shown {_pct(report.total.shown_rate).strip()} of "
           f"{report.total.forbidden} forbidden"]
    for heading, table in (("category", report.by_category), ("pack", report.by_pack), ("site", report.by_site)):
        out.append("")
        out.append(f"{heading:<18} {'found':>7} {'of':>5}  {'shown':>7} {'of':>5}")
        for key, t in sorted(table.items()):
            out.append(f"{key:<18} {_pct(t.found_rate):>7} {t.expected:>5}  {_pct(t.shown_rate):>7} {t.forbidden:>5}")
    return "\n".join(out)
