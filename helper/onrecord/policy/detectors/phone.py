"""UK phone numbers: mobiles (07...) and landlines (01..., 02...), written with 0 or +44.

Freephone, non-geographic and premium numbers (08, 03, 09) belong to organisations, not people,
so they are left alone.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import DIGIT, gated, options

KEYS = ("phone",)

_PHONE = re.compile(
    r"(?<![\w+])(?:\+44[\s.\-]?(?:\(0\)[\s.\-]?)?|\(?0)"
    r"([127](?:[\s.\-\)]{0,2}\d){8,9})(?![\d])"
)


def find(text: str) -> list[str]:
    """The national numbers (without 0 or +44) of the UK phone numbers in ``text``."""
    out = []
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) == 10 or (len(digits) == 9 and digits[0] == "1"):
            out.append(digits)
    return out


def compile(key, value, ctx):
    options(value, {})
    return gated(ctx, _PHONE, lambda scan: scan.has_digit and ("0" in scan.text or "+44" in scan.text) and bool(find(scan.text)),
                 [DIGIT])
