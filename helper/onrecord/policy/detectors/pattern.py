"""Regular expressions, on the draft as written (case-insensitive unless ``case: sensitive``)."""

import re

from onrecord.policy.detectors import options

KEYS = ("regex",)


def compile(key, value, ctx):
    if isinstance(value, str):
        value = {"pattern": value}
    opts = options(value, {"pattern": None, "case": "insensitive"})
    if not isinstance(opts["pattern"], str) or not opts["pattern"]:
        raise ValueError("regex: needs a pattern")
    if opts["case"] not in ("sensitive", "insensitive"):
        raise ValueError("regex: `case` is sensitive or insensitive")
    flags = re.IGNORECASE if opts["case"] == "insensitive" else 0
    try:
        rx = re.compile(opts["pattern"], flags)
    except re.error as exc:
        raise ValueError(f"regex: not a valid regular expression: {exc}") from None
    search = rx.search
    return lambda scan: search(scan.text) is not None
