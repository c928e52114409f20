"""What one check knows about its draft: computed once, read by every detector."""

from __future__ import annotations

from dataclasses import dataclass, field

import re

from onrecord.policy.detectors.lexicon import fold, tokenize

_DIGIT = re.compile(r"\d")


@dataclass
class ProfileFacts:
    """What the detectors need from the profile, worked out once per profile and pack."""

    org_domains: frozenset = frozenset()
    expertise_topics: frozenset = frozenset()
    declared_expertise: bool = False
    has_line_manager: bool = True
    roles: frozenset = frozenset()
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
                 "account", "facts", "pack", "memo", "present")

    def __init__(self, text, site, context, reply_to, channel, account, facts, pack, index):
        self.text = text
        self.folded = fold(text)
        self.tokens = tokenize(self.folded)
        self.hits = index.scan(self.tokens)
        self.has_digit = _DIGIT.search(text) is not None
        self.site = site
        self.context = context
        self.reply_to = reply_to
        self.channel = channel
        self.account = account
        self.facts = facts
        self.pack = pack
        self.memo = {}
        self.present = pack.present(self.folded, text, self.hits, self.has_digit)

    def positions(self, lexicon: str) -> list[tuple[int, int]]:
        return self.hits.get(lexicon, ())
