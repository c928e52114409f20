"""What one check knows about its draft: computed once, read by every detector."""

from __future__ import annotations

from dataclasses import dataclass, field

import re

from onrecord.policy.detectors.lexicon import fold, token_spans, tokenize
from onrecord.policy.gate import Utf8

_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = b"0123456789"
# Letters that case-insensitive expressions match to plain ones by Python's own tables (long s, Kelvin
# sign, dotted and dotless i).
_CASE_FREE = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass
class ProfileFacts:
    """What the detectors need from the profile, worked out once per profile and pack."""

    org_domains: frozenset = frozenset()
    expertise_topics: frozenset = frozenset()
    declared_expertise: bool = False
    has_line_manager: bool = True
    roles: frozenset = frozenset()
    organisation: str = ""  # as the user declared it, or by today's name when the pack knows it renamed
    accounts: dict = field(default_factory=dict)

    def find_account(self, profile, site: str, handle: str):
        """``profile.find_account``, remembered: the extension asks about the same few accounts."""
        key = (site, handle)
        if key not in self.accounts:
            if len(self.accounts) > 512:
                self.accounts.clear()
            self.accounts[key] = profile.find_account(site, handle)
        return self.accounts[key]


class Scan:
    """The draft tokenised and looked up in the pack's lexicons (one pass), plus its situation.

    Detectors may keep results in ``memo`` so a detector used by several rules runs once.
    """

    __slots__ = ("text", "folded", "tokens", "hits", "has_digit", "site", "context", "reply_to", "channel",
                 "account", "facts", "pack", "memo", "present", "reply_to_bio", "encoded")

    def __init__(self, text, site, context, reply_to, channel, account, facts, pack, index, reply_to_bio=None):
        self.text = text
        # The draft as bytes for RE2 (``policy.gate``), when it is ASCII and a byte is a code point.
        self.encoded = text.encode("ascii") if text.isascii() else None
        self.folded = fold(text)
        self.tokens = tokenize(self.folded)
        self.hits = index.scan(self.tokens)
        # An ASCII draft's digits are its bytes 0-9 (deleting them is one pass in C); others need \d.
        encoded = self.encoded
        self.has_digit = (len(encoded.translate(None, _ASCII_DIGITS)) != len(encoded) if encoded is not None
                          else _DIGIT.search(text) is not None)
        self.site = site
        self.context = context
        self.reply_to = reply_to
        self.reply_to_bio = reply_to_bio
        self.channel = channel
        self.account = account
        self.facts = facts
        self.pack = pack
        self.memo = {}
        self.present = pack.present(self.folded, text, self.hits, self.has_digit, encoded)

    def utf8(self):
        """The draft as UTF-8 for RE2 with its offsets (``policy.gate.Utf8``), or None where RE2 cannot
        stand in for ``re``: a lone surrogate, or a letter ``re`` folds by its own tables."""
        if "utf8" not in self.memo:
            try:
                self.memo["utf8"] = None if _CASE_FREE.search(self.text) else Utf8(self.text)
            except UnicodeEncodeError:
                self.memo["utf8"] = None
        return self.memo["utf8"]

    def positions(self, lexicon: str) -> list[tuple[int, int]]:
        return self.hits.get(lexicon, ())

    # Evidence: only for rules that fired, so none of this runs on a draft that raises nothing. ------
    def folded_token_spans(self) -> list[tuple[int, int]]:
        """Each token's (start, end) in the folded draft."""
        spans = self.memo.get("folded_token_spans")
        if spans is None:
            spans = self.memo["folded_token_spans"] = token_spans(self.folded, self.tokens)
        return spans

    def token_offsets(self) -> list[tuple[int, int]]:
        """Each token's (start, end) in code points of the draft as written."""
        offsets = self.memo.get("token_offsets")
        if offsets is None:
            spans = self.folded_token_spans()
            if len(self.folded) != len(self.text):  # lower() made some letter longer: map back
                back = _folded_to_text(self.text)
                spans = [(back[a], back[b]) for a, b in spans]
            offsets = self.memo["token_offsets"] = spans
        return offsets

    def char_spans(self, token_spans) -> list[tuple[int, int]]:
        """Token spans ``(first, past_last)`` as spans of the draft's code points."""
        offsets = self.token_offsets()
        out = []
        for a, b in token_spans:
            if 0 <= a < len(offsets) and a < b <= len(offsets):
                out.append((offsets[a][0], offsets[b - 1][1]))
        return out


def _folded_to_text(text: str) -> list[int]:
    """For each index of ``fold(text)`` (and its end), the index of ``text`` it comes from."""
    back = []
    for i, ch in enumerate(text):
        back += [i] * len(fold(ch))
    back.append(len(text))
    return back
