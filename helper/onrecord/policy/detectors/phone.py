"""UK phone numbers: mobiles (07...) and landlines (01..., 02...), written with 0, +44 or 0044.

Freephone, non-geographic and premium numbers (08, 03, 09) belong to organisations, not people,
so they are left alone. With ``personal_only``, so are the pack's ``public_numbers`` (switchboards,
press offices) and a number the draft introduces as an organisation's ("switchboard", "press office",
"reception on"). Digits may be split by spaces of any kind (a no-break space too), dots or dashes.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import DIGIT, gated, memoised, options, with_spans

KEYS = ("phone",)

_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[\s.\-]?(?:\(0\)[\s.\-]?)?|\(?0)"
    r"([127](?:[\s.\-\)]{0,2}\d){8,9})(?![\d])"
)
# Words that say a number is an organisation's published one, looked for just before it.
_PUBLIC_CUE = re.compile(
    r"\b(?:switchboard|press\s+office|press\s+desk|media\s+(?:team|desk|enquiries|line)|news\s*desk|helpline|"
    r"help\s+line|reception|enquiries|enquiry\s+line|customer\s+services|main\s+(?:line|number)|"
    r"office\s+number|general\s+enquiries|out\s+of\s+hours|duty\s+desk|contact\s+centre|call\s+centre|"
    r"(?:the|our)\s+(?:surgery|practice|council|hospital|trust|department|office|team|ward|clinic|school)|"
    r"(?:office|team|desk|unit|service|centre|line|surgery|practice)\s+(?:is\s+)?(?:on|at))\b"
    r"[^.!?\n\d]{0,30}$",
    re.IGNORECASE,
)


def _national(m) -> str | None:
    digits = re.sub(r"\D", "", m.group(1))
    if len(digits) == 10 or (len(digits) == 9 and digits[0] == "1"):
        return digits
    return None


def find(text: str) -> list[str]:
    """The national numbers (without 0, +44 or 0044) of the UK phone numbers in ``text``."""
    return [n for n in map(_national, _PHONE.finditer(text)) if n]


def find_spans(text: str, public=frozenset(), personal_only: bool = False) -> list[tuple[int, int]]:
    out = []
    for m in _PHONE.finditer(text):
        national = _national(m)
        if not national:
            continue
        if personal_only and (national in public or _PUBLIC_CUE.search(text[max(0, m.start() - 60):m.start()])):
            continue
        out.append(m.span())
    return out


def compile(key, value, ctx):
    opts = options(value, {"personal_only": False})
    personal_only = bool(opts["personal_only"])
    public = frozenset(re.sub(r"\D", "", n).lstrip("0").removeprefix("44").lstrip("0")
                       for n in ctx.pack_value("public_numbers", ()) or ())

    @memoised  # the check and the evidence: one search
    def spans(scan):
        return find_spans(scan.text, public, personal_only)

    def check(scan) -> bool:
        return scan.has_digit and ("0" in scan.text or "+44" in scan.text) and bool(spans(scan))

    return with_spans(gated(ctx, _PHONE, check, [DIGIT]), spans)
