"""What a check takes and what it gives back (the JSON of CONTRACT section 3)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

CATEGORIES = (
    "permanence", "disclaimer", "identity", "patient_data", "classified", "confidential",
    "personal_details", "political", "commercial", "conduct", "media", "reference", "expertise",
    "clearance", "unknown_account", "safeguarding", "edit", "whistleblowing",
)
SEVERITIES = ("info", "confirm", "warn")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
CONTEXTS = ("post", "reply", "comment", "reference", "blog", "edit")
MAX_DRAFT_BYTES = 100 * 1024


@dataclass(frozen=True)
class Draft:
    text: str
    site: str
    account: str
    context: str = "post"
    reply_to: str | None = None
    # What the page shows of the account replied to (its bio or title), when the extension can read it.
    reply_to_bio: str | None = None


@dataclass(frozen=True)
class Fix:
    type: str  # "append" (more types may be added)
    text: str

    def to_json(self) -> dict:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True)
class Prompt:
    id: str
    category: str
    severity: str
    message: str
    source: str
    fix: Fix | None = None
    # The spans of the draft that set the prompt off, in code points, end exclusive (CONTRACT section 3);
    # empty for a prompt that comes from the situation rather than the words.
    matches: tuple = ()
    link: str | None = None

    def to_json(self) -> dict:
        d = {"id": self.id, "category": self.category, "severity": self.severity,
             "message": self.message, "source": self.source}
        if self.fix is not None:
            d["fix"] = self.fix.to_json()
        if self.matches:
            d["matches"] = [{"start": a, "end": b} for a, b in self.matches]
        if self.link:
            d["link"] = self.link
        return d

    @cached_property
    def json_text(self) -> str:
        """``to_json()`` as compact JSON with sorted keys, made once: the engine reuses each rule's prompts."""
        return dumps(self.to_json())

    def with_evidence(self, message: str, matches: tuple) -> "Prompt":
        """This prompt with the draft's words quoted and their spans, and its JSON text put together
        from the parts of this one's that do not change (made for each check, so made quickly)."""
        # A copy of this prompt's fields with two changed (as dataclasses.replace, without re-running
        # the checks of __init__ on every check), leaving behind what this one keeps made.
        prompt = object.__new__(Prompt)
        fields = {k: v for k, v in self.__dict__.items() if k not in ("json_text", "_json_parts")}
        fields["message"], fields["matches"] = message, matches
        prompt.__dict__.update(fields)
        parts = self._json_parts
        if parts is not None and matches:
            head, tail = parts
            prompt.__dict__["json_text"] = (
                head + '"matches":[' + ",".join(['{"end":%d,"start":%d}' % (b, a) for a, b in matches])
                + '],"message":' + encode_basestring_ascii(message) + tail)
        return prompt

    @cached_property
    def _json_parts(self) -> tuple[str, str] | None:
        """``json_text`` before where ``matches`` goes and after ``message`` (keys sorted), or None when
        another key would come between them."""
        fields = {k: v for k, v in self.to_json().items() if k not in ("matches", "message")}
        if any("matches" < k < "message" for k in fields):
            return None
        before = dumps({k: v for k, v in fields.items() if k < "matches"})[:-1]
        after = dumps({k: v for k, v in fields.items() if k > "message"})[1:]
        return before + ("," if len(before) > 1 else ""), ("," + after if len(after) > 1 else after)


@dataclass(frozen=True)
class AccountInfo:
    site: str
    handle: str
    channel: str  # personal | official | corporate | unknown

    def to_json(self) -> dict:
        return {"site": self.site, "handle": self.handle, "channel": self.channel}


@dataclass(frozen=True)
class CheckResult:
    account: AccountInfo
    prompts: tuple[Prompt, ...] = field(default=())

    def to_json(self) -> dict:
        return {"account": self.account.to_json(), "prompts": [p.to_json() for p in self.prompts]}

    def to_json_text(self) -> str:
        """``dumps(self.to_json())``, put together from the text each prompt keeps."""
        account = self.account
        return ('{"account":' + _account_json(account.site, account.handle, account.channel) + ',"prompts":['
                + ",".join(p.json_text for p in self.prompts) + "]}")


@lru_cache(maxsize=256)  # the same few accounts, check after check
def _account_json(site: str, handle: str, channel: str) -> str:
    return dumps(AccountInfo(site, handle, channel).to_json())


def dumps(value) -> str:
    """Compact JSON with sorted keys and only ASCII, as the helper answers."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
