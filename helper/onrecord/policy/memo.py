"""The answers to drafts checked a moment ago, kept a short while in memory by the compiled pack.

The extension checks the same draft more than once: after each pause in typing, again when the user
presses Post (to decide whether the post is held), and again when the compose box gains focus. Those
repeats get the answer already worked out, if it was worked out less than ``SECONDS`` ago.

What is kept, and for how long (docs/security.md):

- at most ``SIZE`` answers, the oldest dropped first, each for ``SECONDS`` at most: an answer older than
  that is never given again, and is dropped at the next check (or when the pack is replaced);
- each is found by a keyed BLAKE2b digest of everything the answer depends on: the draft's text, site,
  account, context, the account replied to and what the page shows of it, and the profile (all of its
  fields). The key is random, made when the pack compiles and never written anywhere, so the digest
  holds nothing of the draft and cannot be tested against a guessed draft from outside the process;
- the pack is the memo's owner: another pack, or the same pack file changed and compiled again, starts
  with an empty memo;
- nothing is written anywhere: not to disk, a log or the audit record. The answers are what the check
  returned, which quote a few of the draft's words (``matches``, and the message's quote).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict

SIZE = 256  # answers kept at most
SECONDS = 60.0  # how long one is given again

# The Draft fields the key covers, in order: an answer depends on every one of them.
DRAFT_FIELDS = ("text", "site", "account", "context", "reply_to", "reply_to_bio")


class AnswerMemo:
    """``key(profile, draft)``, then ``get(key)`` before a check and ``put(key, result)`` after one."""

    def __init__(self, size: int = SIZE, seconds: float = SECONDS, clock=time.monotonic):
        self.size = size
        self.seconds = seconds
        self._clock = clock
        self._secret = os.urandom(32)
        self._answers: OrderedDict = OrderedDict()  # digest -> (given until, result), oldest first
        self._profiles: dict = {}  # id(profile) -> (profile, its digest): the same object, check after check
        self._lock = threading.Lock()

    def key(self, profile, draft) -> bytes | None:
        """The keyed digest of the draft and profile (None when the memo keeps nothing)."""
        if self.size <= 0:
            return None
        known = self._profiles.get(id(profile))
        if known is not None and known[0] is profile:
            of_profile = known[1]
        else:
            # A profile is immutable (a frozen dataclass of tuples): its repr names every field and account.
            of_profile = hashlib.blake2b(repr(profile).encode("utf-8", "surrogatepass"), key=self._secret,
                                         digest_size=16).digest()
            if len(self._profiles) > 16:
                self._profiles.clear()
            self._profiles[id(profile)] = (profile, of_profile)
        # repr of the tuple keeps the fields apart (quoted, escaped, None unlike "None").
        fields = repr((draft.text, draft.site, draft.account, draft.context, draft.reply_to, draft.reply_to_bio))
        return hashlib.blake2b(of_profile + fields.encode("utf-8", "surrogatepass"), key=self._secret,
                               digest_size=16).digest()

    def get(self, key: bytes):
        """The answer kept under ``key`` if it is still fresh, else None."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            found = self._answers.get(key)
        return found[1] if found is not None else None

    def put(self, key: bytes, result) -> None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            self._answers.pop(key, None)
            self._answers[key] = (now + self.seconds, result)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)

    def _expire(self, now: float) -> None:
        answers = self._answers
        while answers:
            first = next(iter(answers.values()))
            if first[0] > now:
                break
            answers.popitem(last=False)
