"""Detectors: code shared by every pack, one per file; packs only name them.

A trigger in a pack file is a mapping whose one key names a detector, e.g. ``{nhs_number: {}}`` or
``{near: {a: person, b: condition, within: 8}}``. Each module lists the keys it answers in ``KEYS``
and has ``compile(key, value, ctx) -> check``, where ``check(scan) -> bool`` runs on every draft and
``ctx`` (the pack compiler) gives access to lexicons, named triggers and pack data. Compiling is done
once when a pack loads; a bad value raises ``ValueError`` with a message for the pack's author.

A check may say what a draft must contain for it to hold (``needing``): lexicons that must have a hit,
literal text, a digit. The engine finds which of these a draft contains once, and skips the checks
whose needs are all missing, so most rules cost a set look-up rather than their detectors.
"""

from __future__ import annotations

import importlib

MODULES = (
    "address",
    "disclaimer",
    "email",
    "expertise",
    "lexicon",
    "logic",
    "marking",
    "media",
    "near",
    "nhs_number",
    "pattern",
    "phone",
    "postcode",
    "situation",
    "work_related",
)


def registry() -> dict:
    """``{trigger key: detector module}`` for every registered detector."""
    table = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for key in module.KEYS:
            table[key] = module
    return table


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def options(value, allowed: dict) -> dict:
    """A detector's options: ``true``/``{}`` for the defaults, or a mapping of known keys."""
    if value is True or value is None:
        return dict(allowed)
    if not isinstance(value, dict):
        raise ValueError(f"expected true or a mapping of options ({', '.join(allowed) or 'none'})")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(f"unknown option {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed) or 'none'})")
    return {**allowed, **value}


# What a check can need ("atoms"): a lexicon with a hit (its name), literal text in the folded draft
# or in the draft as written, or a digit. The prefixes keep literals apart from lexicon names.
DIGIT = "\x03digit"


def folded_literal(text: str) -> str:
    return "\x01" + text


def text_literal(text: str) -> str:
    return "\x02" + text


def needing(check, need):
    """Mark ``check`` as holding only for drafts with one of the atoms in ``need`` (None: no such test)."""
    check.need = None if need is None else frozenset(need)
    return check


def gated(ctx, rx, check, need):
    """``check`` (which looks for ``rx`` in the draft) run only on drafts where the pack's RE2 set says
    ``rx`` may match (see ``policy.gate``); ``need`` stands when ``rx`` has no RE2 form."""
    atom = ctx.gate.atom_for(rx.pattern, rx.flags) if getattr(ctx, "gate", None) is not None else None
    if atom is None:
        return needing(check, need)
    return needing(lambda scan: atom in scan.present and check(scan), [atom])


def with_spans(check, spans):
    """Give ``check`` the function that finds its evidence: ``spans(scan) -> [(start, end)]`` in code
    points of the draft. It runs only for a rule that has fired, so it may cost more than the check."""
    check.spans = spans
    return check


def spans_of(check, scan) -> list:
    """The evidence of a check that holds: the draft's spans that set it off ([] for a situation)."""
    fn = getattr(check, "spans", None)
    return list(fn(scan)) if fn is not None else []


def need_of(check):
    return getattr(check, "need", None)


def union_need(checks):
    """The need of a check that holds when any of ``checks`` does: None when one has no test."""
    needs = [need_of(c) for c in checks]
    if not needs or any(n is None for n in needs):
        return None
    return frozenset().union(*needs)


def guarded(checks) -> tuple:
    """``((need, check), ...)`` for evaluating only the checks a draft can satisfy."""
    return tuple((need_of(c), c) for c in checks)


def any_guarded(parts):
    """A check that holds when any of ``parts`` does, skipping those whose needs the draft lacks.

    The check stops at the first part that holds and notes which it was in the scan's memo, so the
    evidence (every part that holds, for a rule that fired) starts there: the parts before it are
    known not to hold and the first is not tried again."""
    pairs = guarded(parts)
    first_key = ("any", id(pairs))

    def check(scan) -> bool:
        present = scan.present
        i = 0
        for need, part in pairs:
            if (need is None or not need.isdisjoint(present)) and part(scan):
                scan.memo[first_key] = i
                return True
            i += 1
        return False

    def spans(scan) -> list:
        present = scan.present
        first = scan.memo.get(first_key)
        if first is None:  # the check has not run on this draft: try every part
            found, rest = [], pairs
        else:
            found, rest = spans_of(pairs[first][1], scan), pairs[first + 1:]
        for need, part in rest:
            if (need is None or not need.isdisjoint(present)) and part(scan):
                found += spans_of(part, scan)
        return found
    return with_spans(needing(check, union_need(parts)), spans)


def memoised(fn):
    """``fn(scan)`` worked out once per draft: a detector whose check and evidence need the same
    matches finds them once (the scan's memo lives as long as the check, never longer)."""
    key = ("memo", id(fn))

    def once(scan):
        memo = scan.memo
        if key in memo:
            return memo[key]
        found = memo[key] = fn(scan)
        return found
    once.key = key
    return once
