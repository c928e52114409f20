"""Full UK postcodes (``LS6 2AB``), written in capitals as addresses are. A district alone (``LS6``)
names an area, not a home, so it does not count."""

from __future__ import annotations

import re

from onrecord.policy.detectors import DIGIT, gated, options

KEYS = ("postcode",)

_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")


def find(text: str) -> list[str]:
    return _POSTCODE.findall(text)


def compile(key, value, ctx):
    options(value, {})
    return gated(ctx, _POSTCODE, lambda scan: scan.has_digit and _POSTCODE.search(scan.text) is not None, [DIGIT])
