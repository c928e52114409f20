"""Combining triggers: ``all`` of them, ``any`` of them, ``not`` one, ``use`` a named trigger set, or
``unnegated``: a trigger whose words are not negated in their sentence."""

import re

from onrecord.policy.detectors import any_guarded, memoised, need_of, needing, spans_of, with_spans

KEYS = ("all", "any", "not", "use", "unnegated")


def compile(key, value, ctx):
    if key == "unnegated":
        return _unnegated(value, ctx)
    if key == "use":
        if not isinstance(value, str):
            raise ValueError("use: expected the name of a trigger set from the pack's `triggers:`")
        return ctx.named(value)
    if key == "not":
        inner = ctx.compile(value)
        return lambda scan: not inner(scan)
    if not isinstance(value, list) or not value:
        raise ValueError(f"{key}: expected a non-empty list of triggers")
    parts = tuple(ctx.compile(v) for v in value)
    if key == "all":
        def every(scan) -> bool:
            for part in parts:
                if not part(scan):
                    return False
            return True
        # Every part must hold, so what one part needs is needed: the most selective (fewest atoms).
        needs = [n for n in map(need_of, parts) if n is not None]
        return with_spans(needing(every, min(needs, key=len) if needs else None),
                          lambda scan: [s for part in parts for s in spans_of(part, scan)])
    return any_guarded(parts)


# Negation: "please don't share your address", "never post your number", "no need to send us your
# details". Looked for just before the words that set a trigger off, within their sentence.
_NEGATION = re.compile(
    r"\b(?:don'?t|do\s+not|dont|never|no\s+need\s+to|won'?t|will\s+not|shouldn'?t|should\s+not|mustn'?t|"
    r"must\s+not|avoid|stop|refrain\s+from|not\s+to|without|nobody|no\s+one|no-one|can'?t|cannot|"
    r"wouldn'?t|didn'?t|did\s+not|isn'?t|aren'?t|not\s+(?:going|asking|allowed)\s+to)\b[^.!?;\n]*$",
    re.IGNORECASE,
)
_NEGATION_REACH = 40  # characters before the words


def negated(text: str, start: int) -> bool:
    """Whether the words at ``start`` are negated within their sentence ("don't send me...")."""
    before = text[max(0, start - _NEGATION_REACH):start].replace("\u2019", "'")
    return _NEGATION.search(before) is not None


def _unnegated(value, ctx):
    inner = ctx.compile(value)

    @memoised  # the check and the evidence: one look
    def spans(scan):
        text = scan.text
        return [s for s in spans_of(inner, scan) if not negated(text, s[0])]

    def check(scan) -> bool:
        return inner(scan) and (getattr(inner, "spans", None) is None or bool(spans(scan)))
    return with_spans(needing(check, need_of(inner)), spans)
