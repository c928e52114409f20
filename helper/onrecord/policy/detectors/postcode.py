"""Full UK postcodes (``LS6 2AB``, and written in lower case, ``ls6 2ab``). A district alone
(``LS6``) names an area, not a home, so it does not count; nor does a postcode the pack lists among
``public_postcodes`` (an organisation's offices)."""

from __future__ import annotations

import re

from onrecord.policy.detectors import DIGIT, gated, memoised, options, with_spans

KEYS = ("postcode",)

_POSTCODE = re.compile(r"\b(?:GIR[ \u00a0]?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2})\b",
                       re.IGNORECASE)


def _shape(m) -> bool:
    """Mixed case ("Ls6 2aB") is a word, not a postcode: all capitals or all lower case."""
    s = m.group(0)
    return s.isupper() or s.islower()


def find(text: str) -> list[str]:
    return [m.group(0) for m in _POSTCODE.finditer(text) if _shape(m)]


def compile(key, value, ctx):
    options(value, {})
    public = frozenset(p.upper().replace(" ", "") for p in ctx.pack_value("public_postcodes", ()) or ())

    @memoised  # the check and the evidence: one search
    def spans(scan):
        return [m.span() for m in _POSTCODE.finditer(scan.text)
                if _shape(m) and m.group(0).upper().replace(" ", "").replace("\u00a0", "") not in public]

    return with_spans(gated(ctx, _POSTCODE, lambda scan: scan.has_digit and bool(spans(scan)), [DIGIT]), spans)
