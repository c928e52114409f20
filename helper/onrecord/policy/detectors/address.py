"""Street addresses: a house number then a street name (``14 Elm Road``, ``3a Church St``).

Well-known public addresses (``10 Downing Street``) are listed in the pack as ``public_addresses``
and do not count: they are workplaces, not someone's home; nor does an address the draft gives as an
office's, a surgery's or a venue's ("our constituency office is at 1 Market Street").
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import DIGIT, gated, memoised, options, with_spans

KEYS = ("street_address",)

_STREET_TYPES = (
    "Road", "Rd", "Street", "St", "Lane", "Ln", "Avenue", "Ave", "Close", "Drive", "Dr", "Way",
    "Crescent", "Cres", "Gardens", "Gdns", "Place", "Pl", "Terrace", "Grove", "Court", "Ct", "Hill",
    "Row", "Square", "Sq", "Mews", "Walk", "Rise", "View", "Parade", "Green", "Park", "Vale", "Wharf",
)
_ADDRESS = re.compile(
    r"\b(?:[Ff]lat \d+[A-Za-z]?,? )?\d{1,4}[A-Za-z]?,?\s+((?:[A-Z][a-z'\u2019]+\s+){1,3}(?:"
    + "|".join(_STREET_TYPES) + r"))\b\.?"
)


# An address the draft introduces as an office's, not a home: "My constituency office is at 1 Market Street".
_OFFICE = re.compile(r"\b(?:office|offices|surgery|hq|headquarters|centre|center|clinic|hospital|practice|"
                     r"library|town\s+hall|council|reception|depot|station|school|church|venue|hall|studio|shop|"
                     r"store|caf[e\u00e9]|restaurant|pub|museum|gallery|theatre)s?\b[^.!?\n\d]{0,20}$", re.IGNORECASE)


def _public(text: str, m, public) -> bool:
    return m.group(1).lower() in public or _OFFICE.search(text[max(0, m.start() - 60):m.start()]) is not None


def find(text: str, public=()) -> list[str]:
    return [m.group(0) for m in _ADDRESS.finditer(text) if not _public(text, m, public)]


def compile(key, value, ctx):
    options(value, {})
    public = frozenset(a.lower() for a in ctx.pack_value("public_addresses", ()))

    @memoised  # the check and the evidence: one search
    def spans(scan):
        return [m.span() for m in _ADDRESS.finditer(scan.text) if not _public(scan.text, m, public)]

    return with_spans(gated(ctx, _ADDRESS, lambda scan: scan.has_digit and bool(spans(scan)), [DIGIT]), spans)
