"""Security classification markings, told apart from the same words used ordinarily.

OFFICIAL-SENSITIVE (hyphenated, any case) and TOP SECRET in capitals are markings wherever they are.
SECRET, CONFIDENTIAL, RESTRICTED, PROTECT and OFFICIAL are markings when written in capitals the way a
marking is (at the head of a line, before a colon or dash, in brackets, before "document", "briefing"...)
or when the draft says something was marked, classified or stamped with them. "The secret to good
sourdough", "it's official", "confidential helpline" and a draft shouted all in capitals are not.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import folded_literal, needing, options, with_spans

KEYS = ("marking",)

_LEVELS = r"(?:OFFICIAL|SECRET|TOP SECRET|CONFIDENTIAL|RESTRICTED|PROTECT)"
_DOC = (r"(?:document|doc|docs|documents|briefing|briefings|brief|report|reports|paper|papers|file|files|"
        r"memo|minutes|annex|email|material|information|intelligence|slides|submission|note|cable|version|"
        r"copy|copies|attachment|assessment|summary|extract)")

_ALWAYS = re.compile(
    r"\bofficial[\s\u2011\-]*-[\s\-]*sensitive\b|\bofficial-sensitive\b|\bOFFICIAL[ _]SENSITIVE\b|"
    r"\bOfficial Sensitive\b|\bTOP[ \-]SECRET\b|\bUK (?:SECRET|TOP SECRET|OFFICIAL)\b|"
    r"\bSECRET UK EYES ONLY\b|\bOFFICIAL[- ]SENSITIVE\b",
)
_SAID_MARKED = re.compile(
    r"\b(?:top[ -]secret|secret|confidential|restricted|official[ -]sensitive|protect)[- ]marked\b|"
    r"\b(?:TOP[ -]SECRET|SECRET|CONFIDENTIAL|RESTRICTED|OFFICIAL[ -]SENSITIVE)\s+(?:stamp|stamps|stamped|marking|label|"
    r"sticker|watermark|header|cover\s+sheet)\b|"
    r"\b(?:marked|classified|stamped|labelled|labeled|graded|protectively marked|classification(?: of)?|"
    r"marking(?: of)?|security marking)\s+(?:(?:this|it|them|that|these|those|the\s+\w+)\s+)?(?:as\s+|at\s+)?[\"'\u2018\u201c(]?"
    r"(?:official[\s\-]sensitive|top secret|secret|confidential|restricted|protect)\b",
    re.IGNORECASE,
)
_CAPS = re.compile(
    r"(?:^|[\n\[(|])\s*" + _LEVELS + r"\b"  # at the head of a line or in brackets
    r"|\b" + _LEVELS + r"\s*(?::|\s-\s|\]|\)|--|\u2013|\u2014)"  # SECRET: ... / (SECRET)
    r"|\b" + _LEVELS + r"\s+(?i:" + _DOC + r")\b"  # SECRET briefing
)


# Every marking contains one of these (in the folded draft); most drafts contain none.
_KEYWORDS = ("official", "secret", "confidential", "restricted", "protect", "marked", "classif", "stamped",
             "labelled", "labeled", "graded", "marking")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
# Words that belong to a marking ("PROTECT - PERSONAL", "SECRET UK EYES ONLY") rather than to the text.
_MARKING_WORDS = {"OFFICIAL", "SENSITIVE", "SECRET", "TOP", "CONFIDENTIAL", "RESTRICTED", "PROTECT", "PERSONAL",
                  "COMMERCIAL", "UK", "EYES", "ONLY", "DRAFT", "MANAGEMENT", "POLICY"}


def _shouted(text: str, start: int, end: int) -> bool:
    """Whether the words around a capitalised level are capitals too (shouting, not a marking)."""
    words = [w for w in _WORD.findall(text[max(0, start - 40):start]) [-3:] + _WORD.findall(text[end:end + 40])[:3]
             if w.upper() not in _MARKING_WORDS and len(w) > 1]
    return bool(words) and sum(w.isupper() for w in words) * 2 > len(words)


def find(text: str) -> bool:
    """Whether ``text`` carries a security marking."""
    if _ALWAYS.search(text) or _SAID_MARKED.search(text):
        return True
    return any(not _shouted(text, m.start(), m.end()) for m in _CAPS.finditer(text))


def spans(scan) -> list[tuple[int, int]]:
    """Where the markings are (the evidence of a rule that fired)."""
    text = scan.text
    out = [m.span() for rx in (_ALWAYS, _SAID_MARKED) for m in rx.finditer(text)]
    out += [_trim(text, m) for m in _CAPS.finditer(text) if not _shouted(text, m.start(), m.end())]
    return out


def _trim(text: str, m) -> tuple[int, int]:
    a, b = m.span()
    while a < b and not text[a].isalpha():
        a += 1
    while b > a and not text[b - 1].isalpha():
        b -= 1
    return a, b


def present(folded: str, text: str) -> bool:
    """``find`` after a cheap look for the words every marking contains."""
    return any(k in folded for k in _KEYWORDS) and find(text)


def compile(key, value, ctx):
    options(value, {})
    gate = getattr(ctx, "gate", None)
    atoms = [gate.atom_for(rx.pattern, rx.flags) for rx in (_ALWAYS, _SAID_MARKED, _CAPS)] if gate else [None]
    if None in atoms:
        return with_spans(needing(lambda scan: present(scan.folded, scan.text), map(folded_literal, _KEYWORDS)), spans)
    always, said, caps = atoms

    # The pack's RE2 set (``policy.gate``) says which of the three expressions may match: only those
    # run, which spares a long draft that only mentions "official" the whole-text searches.
    def check(scan) -> bool:
        there, text = scan.present, scan.text
        if always in there and _ALWAYS.search(text):
            return True
        if said in there and _SAID_MARKED.search(text):
            return True
        return caps in there and any(not _shouted(text, m.start(), m.end()) for m in _CAPS.finditer(text))

    return with_spans(needing(check, atoms), spans)
