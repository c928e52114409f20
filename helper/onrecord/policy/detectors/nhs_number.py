"""NHS numbers: ten digits whose last is a modulus 11 check digit.

A number written the way NHS numbers are (3 3 4, with spaces or dashes) and valid is reported on its
own; ten digits run together are reported only when a context word (NHS, patient, referral...) is near,
since order, ticket and account references are ten digits too. Numbers outside the issued ranges,
and ones like 0000000000 or 4444444444, are never NHS numbers.
"""

from __future__ import annotations

import operator
import re

from onrecord.policy.detectors import DIGIT, gated, memoised, options, with_spans

KEYS = ("nhs_number",)

# Three digits not straight after a digit, dash, slash or point, then 3 and 4 more, split by a space of
# any kind (a no-break space too) or a dash, in any mix ("943 476-5919"), or not at all. The
# look-behind comes after the first digit so that ``re`` can skip ahead to the digits of a draft rather
# than test every position. The pack's RE2 set (``policy.gate``) tries the looser ``_LOOSE`` form first.
_SEP = "[ \\-\u00a0\u2007\u2009\u202f]"
_CANDIDATE = re.compile(r"(\d(?<![\d\-/.]\d)\d\d)(" + _SEP + r"?)(\d{3})(" + _SEP + r"?)(\d{4})(?![\d\-/]|\.\d)")
_LOOSE = re.compile(r"\d{3}" + _SEP + r"?\d{3}" + _SEP + r"?\d{4}")
_WEIGHTS = range(10, 1, -1)
# Issued blocks (first three digits): Scotland's CHI 010-311, Northern Ireland 320-399,
# England, Wales and the Isle of Man 400-499 and 600-799, and the 9xx block used for synthetic and
# training records, which staff paste when testing and which must still be treated as real.
_ISSUED = ((10, 311), (320, 399), (400, 499), (600, 799), (900, 998))
DEFAULT_CONTEXT = ("nhs", "patient", "patients", "referral", "referred", "hospital", "gp", "chi",
                   "medical", "records", "record", "clinic", "discharge", "admitted", "ward", "mrn",
                   "health and care number")


def is_valid(digits: str) -> bool:
    """True for ten digits with a correct modulus 11 check digit in an issued range."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    prefix = int(digits[:3])
    for lo, hi in _ISSUED:
        if lo <= prefix <= hi:
            break
    else:
        return False
    total = sum(map(operator.mul, map(int, digits[:9]), _WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find(text: str, context_rx: re.Pattern, window: int) -> list[tuple[str, bool]]:
    """``[(digits, confident)]`` for each valid NHS number in ``text``."""
    return list(_numbers(text, context_rx, window))


def _numbers(text: str, context_rx: re.Pattern, window: int, spans: bool = False):
    for m in _CANDIDATE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(5)
        if not is_valid(digits):
            continue
        # Written 3 3 4 it is confident on its own; run together (or split once), only with a context
        # word nearby.
        confident = bool(m.group(2) and m.group(4)) or \
            context_rx.search(text[max(0, m.start() - window):m.end() + window]) is not None
        yield (m.span() if spans else digits), confident


def compile(key, value, ctx):
    opts = options(value, {"context": list(DEFAULT_CONTEXT), "window": 60, "formatted_alone": True})
    words = sorted((w.lower() for w in opts["context"]), key=len, reverse=True)
    context_rx = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    window = int(opts["window"])
    alone = bool(opts["formatted_alone"])

    @memoised  # the check and the evidence: one search
    def spans(scan):
        text = scan.text
        found = list(_numbers(text, context_rx, window, spans=True))
        if not found:
            return []
        if not alone:
            return [span for span, _ in found] if context_rx.search(text) else []
        return [span for span, confident in found if confident]

    def check(scan) -> bool:
        return scan.has_digit and bool(spans(scan))

    return with_spans(gated(ctx, _LOOSE, check, [DIGIT]), spans)
