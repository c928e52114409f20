"""Proximity: a phrase of one lexicon within N words of a phrase of another.

Each side is a lexicon name, a list of them, or ``{regex: ...}`` for things words cannot list (an age
written "84", a bed number); regular-expression matches are turned into word positions.
"""

from __future__ import annotations

import bisect
import re

from onrecord.policy.detectors import as_list, memoised, need_of, needing, options, union_need, with_spans
from onrecord.policy.detectors.pattern import finder, named

KEYS = ("near",)


def _token_starts(scan) -> list[int]:
    starts = scan.memo.get("token_starts")
    if starts is None:
        starts = scan.memo["token_starts"] = [a for a, _ in scan.folded_token_spans()]
    return starts


def _side(value, ctx):
    """A function scan -> [(start, end)] word spans for one side of the proximity."""
    if isinstance(value, dict) and set(value) == {"pattern"}:
        spec = named(value["pattern"], ctx)
        value = {"regex": spec["pattern"], **({"case": spec["case"]} if "case" in spec else {})}
    if isinstance(value, dict):
        if set(value) - {"regex", "case"} or not isinstance(value.get("regex"), str):
            raise ValueError("near: a side is a lexicon name, a list of them, {pattern: NAME}, or {regex: ..., case: sensitive}")
        flags = 0 if value.get("case") == "sensitive" else re.IGNORECASE
        try:
            matches = finder(value["regex"], flags, ctx.gate)
        except re.error as exc:
            raise ValueError(f"near: not a valid regular expression: {exc}") from None

        def spans(scan):
            found = []
            for start, end in matches(scan):
                starts = _token_starts(scan)
                a = bisect.bisect_left(starts, start)
                b = max(a + 1, bisect.bisect_left(starts, end))
                found.append((a, b))
            return found
        return needing(memoised(spans), need_of(matches))
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        parts = [_side(v, ctx) for v in value]
        return needing(lambda scan: [h for part in parts for h in part(scan)], union_need(parts))
    names = [ctx.lexicon_ref(n) for n in as_list(value)]
    if len(names) == 1:
        name = names[0]
        return needing(lambda scan: scan.hits.get(name, ()), names)
    return needing(lambda scan: [h for n in names for h in scan.hits.get(n, ())], names)


def compile(key, value, ctx):
    opts = options(value, {"a": None, "b": None, "within": 6})
    if not opts["a"] or not opts["b"]:
        raise ValueError("near: needs `a` and `b` (lexicon names, lists of names, or {regex: ...})")
    within = opts["within"]
    if not isinstance(within, int) or isinstance(within, bool) or within < 0:
        raise ValueError("near: `within` must be a whole number of words")
    side_a, side_b = _side(opts["a"], ctx), _side(opts["b"], ctx)
    # Look up a side made only of lexicons first: it costs a dictionary look-up, and when it is
    # empty the regular expressions of the other side need not run at all.
    if _has_regex(opts["a"]) and not _has_regex(opts["b"]):
        side_a, side_b = side_b, side_a

    def check(scan) -> bool:
        pa = side_a(scan)
        if not pa:
            return False
        pb = side_b(scan)
        return bool(pb) and any_within(pa, pb, within)

    def spans(scan):
        pa = side_a(scan)  # no pairs when the cheaper side is empty: the other need not run
        return scan.char_spans(pairs_within(pa, side_b(scan), within)) if pa else []

    # Both sides must have a match: what either needs is needed; the lexicon side is the cheaper test.
    return with_spans(needing(check, need_of(side_a) if need_of(side_a) is not None else need_of(side_b)), spans)


def _has_regex(value) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value))


def pairs_within(pa, pb, within: int) -> list:
    """The spans of ``pa`` and of ``pb`` that are within ``within`` words of each other (the evidence)."""
    if not pa or not pb:
        return []
    pb = sorted(pb)
    starts = [s for s, _ in pb]
    longest = max(e - s for s, e in pb)
    found = set()
    for sa, ea in pa:
        lo = bisect.bisect_left(starts, sa - within - longest)
        hi = bisect.bisect_right(starts, ea + within)
        for sb, eb in pb[lo:hi]:
            if (sb, eb) != (sa, ea) and max(sb - ea, sa - eb, 0) <= within:
                found.add((sa, ea))
                found.add((sb, eb))
    return sorted(found)


def any_within(pa, pb, within: int) -> bool:
    """Whether a span of ``pa`` is within ``within`` words of a (different) span of ``pb``.

    The distance is the number of words between them (0 when they touch or overlap). Sorted starts and
    bisection keep this O(n log n), so a long blog post with many hits on both sides stays fast.
    """
    pb = sorted(pb)
    starts = [s for s, _ in pb]
    longest = max(e - s for s, e in pb)
    for sa, ea in pa:
        lo = bisect.bisect_left(starts, sa - within - longest)
        hi = bisect.bisect_right(starts, ea + within)
        for sb, eb in pb[lo:hi]:
            if (sb, eb) != (sa, ea) and max(sb - ea, sa - eb, 0) <= within:
                return True
    return False
