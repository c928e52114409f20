"""Regular expressions, on the draft as written (case-insensitive unless ``case: sensitive``).

Most drafts match none of a pack's expressions, so each one is compiled with a cheap prefilter: the
literal text that every way of matching must contain (worked out from the parsed expression), or a
digit. The expression runs only when the draft contains one of them.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _sre_c, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse

from onrecord.policy.detectors import DIGIT, folded_literal, need_of, needing, options, text_literal, with_spans
from onrecord.policy.detectors.lexicon import fold
from onrecord.policy.gate import fast_finder

KEYS = ("regex", "pattern")


def named(name, ctx) -> dict:
    """The pack's pattern ``name`` (from ``patterns:``) as ``{pattern, case}``: defined once, named where used."""
    patterns = ctx.pack_value("patterns", {}) or {}
    if not isinstance(name, str) or name not in patterns:
        raise ValueError(f"pattern: no pattern named {name!r} in the pack's `patterns:`")
    value = patterns[name]
    return {"pattern": value} if isinstance(value, str) else dict(value)
_SKIP = {_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT}
_MIN_LITERAL = 3

# A "need" is (literals, digit): a match must contain one of the literals, or a digit when ``digit``.
# None means there is no cheap test for that part of the expression.


def _pick(a, b, score):
    """Of two needs (either may be None: no test), the one ``score`` ranks higher; ``a`` on a tie."""
    if a is None:
        return b
    if b is None:
        return a
    return a if score(a) >= score(b) else b


def _selectivity(need):
    lits, digit = need
    return (0 if digit else 1, min((len(x) for x in lits), default=0), -len(lits))


def _better(a, b):
    """The more selective of two needs (longer shortest literal; literals before digits)."""
    return _pick(a, b, _selectivity)


def _union(needs):
    if any(n is None for n in needs) or not needs:
        return None
    lits = frozenset().union(*(n[0] for n in needs))
    return lits, any(n[1] for n in needs)


def _sequence_need(items, ignore_case: bool):
    best, run = None, ""

    def flush(run, best):
        if len(run) >= _MIN_LITERAL:
            best = _better(best, (frozenset([fold(run) if ignore_case else run]), False))
        return best

    for op, arg in items:
        if op is _sre_c.LITERAL:
            run += chr(arg)
            continue
        best, run = flush(run, best), ""
        if op in _SKIP:
            continue
        if op is _sre_c.SUBPATTERN:
            best = _better(best, _sequence_need(list(arg[-1]), ignore_case))
        elif op is _sre_c.BRANCH:
            best = _better(best, _union([_sequence_need(list(b), ignore_case) for b in arg[1]]))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and arg[0] >= 1:
            best = _better(best, _sequence_need(list(arg[2]), ignore_case))
        elif op is _sre_c.IN and (_sre_c.CATEGORY, _sre_c.CATEGORY_DIGIT) in arg and len(arg) == 1:
            best = _better(best, (frozenset(), True))
    return flush(run, best)


def prefilter(pattern: str, flags: int):
    """``(literals, needs_digit)`` such that a match needs one of them, or None when no cheap test exists."""
    need = _sequence_need(list(_sre_parse.parse(pattern, flags)), bool(flags & re.IGNORECASE))
    if need is None or (not need[0] and not need[1]):
        return None
    return tuple(sorted(need[0])), need[1]


def _in_need(arg):
    """A character set as a need: one of its characters (plain ASCII only) or a digit; None otherwise."""
    chars, digit = set(), False
    for op, a in arg:
        if op is _sre_c.LITERAL and chr(a).isascii():
            if chr(a).isdigit():
                digit = True
            else:
                chars.add(chr(a).lower())
        elif op is _sre_c.RANGE and 48 <= a[0] <= a[1] <= 57:
            digit = True
        elif op is _sre_c.CATEGORY and a is _sre_c.CATEGORY_DIGIT:
            digit = True
        else:
            return None
    return frozenset(chars), digit


_RARE = set("*#@!|[](){}%$\u00a3&+=<>~^")


def _rarer(a, b):
    """The need less likely to be in any draft: long literals, then rare symbols, then a digit,
    then single letters and common punctuation (in almost every draft)."""
    return _pick(a, b, _rarity)


def _rarity(need):
    lits, digit = need
    scores = [len(x) if len(x) > 1 else (2.5 if x in _RARE else 0.5) for x in lits]
    if digit:
        scores.append(1.5)
    return min(scores, default=0)


def _guard_sequence(items):
    """Like ``_sequence_need`` but for the folded draft whatever the case flag, with literals of any
    length and character sets (``[Uu]se``, ``[1-9]``, ``[*#@]``) counted: only says whether the
    expression can match at all, so it need not be selective enough to window a long draft."""
    best, run = None, ""

    def flush(run, best):
        return _rarer(best, (frozenset([run]), False)) if run else best

    for op, arg in items:
        if op is _sre_c.LITERAL and chr(arg).isascii():
            run += chr(arg).lower()
            continue
        if op is _sre_c.IN:
            need = _in_need(arg)
            if need is not None and len(need[0]) == 1 and not need[1] and next(iter(need[0])).isalpha():
                run += next(iter(need[0]))  # a letter in either case: [Uu]
                continue
            best, run = flush(run, best), ""
            if need is not None and (need[0] or need[1]):
                best = _rarer(best, need)
            continue
        best, run = flush(run, best), ""
        if op is _sre_c.SUBPATTERN:
            best = _rarer(best, _guard_sequence(list(arg[-1])))
        elif op is _sre_c.BRANCH:
            best = _rarer(best, _union([_guard_sequence(list(b)) for b in arg[1]]))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and arg[0] >= 1:
            best = _rarer(best, _guard_sequence(list(arg[2])))
    return flush(run, best)


def guard_need(pattern: str, flags: int):
    """Atoms a draft must contain for ``pattern`` to match it (folded literals, a digit), or None."""
    try:
        need = _guard_sequence(list(_sre_parse.parse(pattern, flags)))
    except Exception:  # an unusual construct: no test
        return None
    if need is None or (not need[0] and not need[1]):
        return None
    return [folded_literal(lit) for lit in need[0]] + ([DIGIT] if need[1] else [])


# Above this many characters a draft is searched only near the literals a match needs.
LONG_DRAFT = 2000
_RADIUS = 300  # no expression in the packs matches more than this many characters either side


_MAX_WINDOWS = 64  # beyond this many occurrences, one search of the whole draft is cheaper


def _windows(hay: str, literals, digit: bool, radius: int = _RADIUS):
    """Merged ``(start, end)`` stretches of the draft around each occurrence of a needed literal, or
    None when the whole draft should be searched (digits or literals are everywhere in it)."""
    if digit:
        return None
    spans = []
    for lit in literals:
        i = hay.find(lit)
        while i != -1:
            spans.append((max(0, i - radius), i + len(lit) + radius))
            if len(spans) > _MAX_WINDOWS:
                return None
            i = hay.find(lit, i + 1)
    spans.sort()
    merged = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def finder(pattern: str, flags: int, gate=None):
    """A function ``scan -> [(start, end)]``: every match of the expression in the draft, in order. It
    skips drafts the prefilter rules out, and searches long drafts only around the literals a match
    needs.

    With the pack's ``gate`` (a ``policy.gate.GateBuilder``), the expression joins the pack's RE2 set
    and runs only on drafts the set says it may match; its need is then that one atom.

    Packs use some expressions in several rules ("send us your address" for personal details and for
    children), and a rule that fires needs its matches again as evidence: the result is kept in the
    scan's memo, so each runs once per draft."""
    run = _finder(pattern, flags)
    key = ("regex", pattern, flags)
    atom = gate.atom_for(pattern, flags) if gate is not None else None

    def find(scan):
        if atom is not None and atom not in scan.present:
            return ()
        memo = scan.memo
        if key in memo:
            return memo[key]
        found = memo[key] = run(scan)
        return found

    find.whole = run.whole
    return needing(find, [atom] if atom is not None else need_of(run))


def _finder(pattern: str, flags: int):
    rx = re.compile(pattern, flags)
    # RE2 finds the same matches as ``re`` in ASCII drafts, several times sooner (``policy.gate``).
    fast = fast_finder(pattern, flags)

    def whole(scan) -> list:
        if fast is not None:
            found = fast(scan.text, scan.encoded, None if scan.encoded is not None else scan.utf8())
            if found is not None:
                return found
        return [m.span() for m in rx.finditer(scan.text)]

    try:
        pre = prefilter(pattern, flags)
    except Exception:  # an unusual construct: no prefilter, the expression alone decides
        pre = None
    if pre is None:
        whole_ = needing(lambda scan: whole(scan), guard_need(pattern, flags))
        whole_.whole = whole
        return whole_
    literals, digit = pre
    folded_side = bool(flags & re.IGNORECASE)
    need = [(folded_literal if folded_side else text_literal)(lit) for lit in literals] + ([DIGIT] if digit else [])

    def needed(hay: str) -> bool:
        for lit in literals:
            if lit in hay:
                return True
        return False

    def search(scan):
        hay = scan.folded if folded_side else scan.text
        if not (needed(hay) or (digit and scan.has_digit)):
            return []
        text = scan.text
        spans = _windows(hay, literals, digit) if len(text) > LONG_DRAFT and len(hay) == len(text) else None
        if spans is None:
            return whole(scan)
        found = set()
        for a, b in spans:
            for m in rx.finditer(text, a, b):
                found.add(m.span())
        return sorted(found)

    search.whole = whole  # every match in the whole draft, as the expression alone finds them
    return needing(search, need)


def compile(key, value, ctx):
    if key == "pattern":
        value = named(value, ctx)
    if isinstance(value, str):
        value = {"pattern": value}
    opts = options(value, {"pattern": None, "case": "insensitive"})
    if not isinstance(opts["pattern"], str) or not opts["pattern"]:
        raise ValueError("regex: needs a pattern")
    if opts["case"] not in ("sensitive", "insensitive"):
        raise ValueError("regex: `case` is sensitive or insensitive")
    flags = re.IGNORECASE if opts["case"] == "insensitive" else 0
    try:
        # Every match, found once per draft: whether the expression matches, and the evidence when its
        # rule fires, come from the same search (shared with a proximity side of the same expression).
        matches = finder(opts["pattern"], flags, gate=ctx.gate)
    except re.error as exc:
        raise ValueError(f"regex: not a valid regular expression: {exc}") from None

    def spans(scan):
        text = scan.text
        # A long draft is searched only near the literals a match needs: the evidence then comes from
        # one search of the whole draft, as the expression alone finds it.
        return trimmed(text, matches.whole(scan) if len(text) > LONG_DRAFT else matches(scan))
    return with_spans(needing(lambda scan: bool(matches(scan)), matches.need), spans)


def trimmed(text: str, spans) -> list:
    """``spans`` trimmed of the spaces and punctuation an expression takes in around the
    words (a leading newline, a closing bracket), leaving out those with nothing left."""
    out = []
    for a, b in spans:
        while a < b and not text[a].isalnum() and text[a] not in "#@£$":
            a += 1
        while b > a and not text[b - 1].isalnum() and text[b - 1] not in "%)":
            b -= 1
        if a < b:
            out.append((a, b))
    return out
