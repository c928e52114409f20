"""Whether the draft already carries a "views are my own" disclaimer.

Recognises the pack's own wordings (punctuation and case aside) and the common variants people write:
"views my own", "opinions are mine", "personal views", "not those of my employer", "speaking for myself",
"in a personal capacity", #ViewsMyOwn.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import as_list, folded_literal, needing, options

KEYS = ("disclaimer_present",)

_VARIANTS = re.compile(
    r"\b(?:views?|opinions?|thoughts?|tweets?|posts?|postings?|words?|comments?|toots?|skeets?)"
    r"\s+(?:(?:are|r|expressed|here|on\s+this\s+(?:account|site|page|blog)|shared\s+here)\s+){0,3}"
    r"(?:all\s+|entirely\s+|strictly\s+|solely\s+|purely\s+|very\s+much\s+)?(?:my\s+own|mine|personal|own)\b"
    r"|\b(?:my|own)\s+(?:own\s+)?(?:personal\s+)?(?:views?|opinions?)\b[^.!?\n]{0,40}?\bnot\s+(?:necessarily\s+)?"
    r"(?:those|the\s+views?|the\s+opinions?|the\s+positions?|representative|my\s+employer)"
    r"|\bnot\s+(?:necessarily\s+)?(?:the\s+views?|those|the\s+opinions?|the\s+positions?)\s+of\s+my\s+employer"
    r"|\bspeaking\s+(?:for\s+myself|personally|in\s+a\s+personal\s+capacity)\b"
    r"|\bin\s+(?:a|my)\s+personal\s+capacity\b"
    r"|#views?myown\b|#opinionsmyown\b|\bviews\s+mine\b|\bpersonal\s+account\b"
    r"|\bmy\s+own\s+views?\b|\bpersonal\s+(?:views?|opinions?)(?:\s+only)?\b",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Every variant contains one of these, so a draft without any of them cannot match one.
_KEYWORDS = ("own", "mine", "personal", "myself", "employer", "views", "opinion")


def normalise(text: str) -> str:
    return " " + _NON_WORD.sub(" ", text.lower().replace("\u2019", "'").replace("'", "")).strip() + " "


def compile(key, value, ctx):
    if isinstance(value, str) or isinstance(value, list):
        value = {"wordings": as_list(value)}
    opts = options(value, {"wordings": "all"})
    wordings = ctx.pack_value("disclaimer_wordings", {})
    chosen = wordings.values() if opts["wordings"] == "all" else [wordings[k] for k in as_list(opts["wordings"])
                                                                  if k in wordings]
    if opts["wordings"] != "all":
        missing = [k for k in as_list(opts["wordings"]) if k not in wordings]
        if missing:
            raise ValueError(f"disclaimer_present: the pack has no wording {', '.join(map(repr, missing))}")
    texts = tuple({normalise(w) for ws in chosen for w in as_list(ws)})
    # The longest word of each wording: a draft without any of them cannot contain a wording.
    cues = tuple({max(t.split(), key=len) for t in texts if t.strip()})

    def check(scan) -> bool:
        memo = scan.memo
        key_ = ("disclaimer", texts)
        if key_ not in memo:
            folded = scan.folded
            found = any(k in folded for k in _KEYWORDS) and _VARIANTS.search(scan.text) is not None
            if not found and texts and any(c in folded for c in cues):
                flat = normalise(scan.text)
                found = any(t in flat for t in texts)
            memo[key_] = found
        return memo[key_]

    return needing(check, map(folded_literal, _KEYWORDS + (cues if texts else ())))
