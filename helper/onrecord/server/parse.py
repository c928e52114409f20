"""Request bodies turned into the typed arguments ``HelperService`` takes, or ``BadInput`` naming the field.

The routes call these; so may any other front end that answers the same requests (native messaging).
Unknown and missing fields are refused by name.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

from onrecord.errors import BadInput
from onrecord.policy.model import CATEGORIES
from onrecord.profile import CHANNELS, SITES, Account
from onrecord.service import CheckRequest, DecisionRequest
from onrecord.store.audit import DECISIONS

MAX_HANDLE = 300
MAX_REASON = 1000
MAX_IDS = 100
MAX_CONTEXT = 20
MAX_CLOCK_SKEW = 300  # seconds a decision's own time may be ahead of the helper's clock
# A decision's id, made by the extension when the user decided (crypto.randomUUID()): letters, digits and
# "-", "_", ".", ":", 8 to 64 of them, so an id cannot carry anything but an id.
DECISION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
MAX_REPLY_TO_BIO = 500  # a bio on X is at most 160 characters; a LinkedIn headline 220


def fields(body: dict, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """The body's fields, refusing unknown or missing ones by name."""
    # A few names in tuples: looked through in place, as every check's body is (no sets made each time).
    unknown = sorted(k for k in body if k not in required and k not in optional)
    if unknown:
        known = ", ".join(required + optional) or "none"
        raise BadInput(f"unknown field {', '.join(map(repr, unknown))} (fields: {known})")
    missing = [k for k in required if body.get(k) is None]
    if missing:
        raise BadInput(f"missing field {', '.join(map(repr, missing))}")
    return body


def text_field(body: dict, name: str, limit: int, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise BadInput(f"{name}: expected text, got {type(value).__name__}")
    if required and not value.strip():
        raise BadInput(f"{name}: is empty")
    if len(value) > limit:
        raise BadInput(f"{name}: longer than {limit} characters")
    return value


def choice_field(body: dict, name: str, choices: tuple[str, ...]) -> str:
    value = body.get(name)
    if value not in choices:
        raise BadInput(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return value


def list_field(body: dict, name: str, choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
    value = body.get(name, [])
    if not isinstance(value, list) or len(value) > MAX_IDS or not all(isinstance(v, str) and 0 < len(v) <= 200
                                                                       for v in value):
        raise BadInput(f"{name}: expected a list of at most {MAX_IDS} short texts")
    if choices is not None:
        bad = [v for v in value if v not in choices]
        if bad:
            raise BadInput(f"{name}: unknown {', '.join(map(repr, bad))}")
    return tuple(value)


def no_fields(body: dict) -> None:
    fields(body, ())


def check_request(body: dict) -> CheckRequest:
    """``{"site", "account", "text", "context"?, "reply_to"?, "reply_to_bio"?}``."""
    fields(body, ("site", "account", "text"), ("context", "reply_to", "reply_to_bio"))
    site = choice_field(body, "site", SITES)
    account = text_field(body, "account", MAX_HANDLE)
    text = body.get("text")
    if not isinstance(text, str):
        raise BadInput(f"text: expected text, got {type(text).__name__}")
    context = text_field(body, "context", MAX_CONTEXT, required=False) or "post"
    reply_to = text_field(body, "reply_to", MAX_HANDLE, required=False)
    reply_to_bio = text_field(body, "reply_to_bio", MAX_REPLY_TO_BIO, required=False)
    return CheckRequest(site, account, text, context, reply_to, reply_to_bio)


def account_ref(body: dict) -> tuple[str, str]:
    """``{"site", "handle"}``: which account the page shows."""
    fields(body, ("site", "handle"))
    return choice_field(body, "site", SITES), text_field(body, "handle", MAX_HANDLE)


def site_only(body: dict) -> str:
    fields(body, ("site",))
    return choice_field(body, "site", SITES)


def account_declaration(body: dict) -> Account:
    """``{"site", "handle", "channel", "bio_has_disclaimer"?}``."""
    fields(body, ("site", "handle", "channel"), ("bio_has_disclaimer",))
    site = choice_field(body, "site", SITES)
    handle = text_field(body, "handle", MAX_HANDLE).strip()
    channel = choice_field(body, "channel", CHANNELS)
    bio = body.get("bio_has_disclaimer", False)
    if not isinstance(bio, bool):
        raise BadInput("bio_has_disclaimer: expected true or false")
    return Account(site, handle, channel, bio)


def decided_at_field(body: dict) -> float | None:
    """``decided_at``: when the user decided, for a decision sent late (kept by the extension while the helper
    could not be reached): ISO 8601 with its offset (``Z`` for UTC), not in the future."""
    value = body.get("decided_at")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise BadInput("decided_at: expected an ISO 8601 time such as 2026-12-03T16:04:05Z")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"decided_at: not an ISO 8601 time: {value!r}") from None
    if when.tzinfo is None:
        raise BadInput("decided_at: the time needs its offset from UTC (Z for UTC)")
    stamp = when.timestamp()
    if stamp > time.time() + MAX_CLOCK_SKEW:
        raise BadInput("decided_at: the time is in the future")
    return stamp


def decision_id_field(body: dict) -> str | None:
    """``decision_id``: the decision's own id, so that one sent again (its answer was lost) is recorded once.
    Optional: extensions from before it send none."""
    value = body.get("decision_id")
    if value is None:
        return None
    if not isinstance(value, str) or not DECISION_ID.fullmatch(value):
        raise BadInput("decision_id: expected an id such as crypto.randomUUID() makes "
                       "(8 to 64 letters, digits, '-', '_', '.' or ':')")
    return value


def decision_request(body: dict) -> DecisionRequest:
    """``{"site", "account", "decision", "channel"?, "rule_ids"?, "categories"?, "reason"?, "decided_at"?,
    "decision_id"?}``."""
    fields(body, ("site", "account", "decision"),
           ("channel", "rule_ids", "categories", "reason", "extension_version", "decided_at", "decision_id"))
    site = choice_field(body, "site", SITES)
    handle = text_field(body, "account", MAX_HANDLE)
    decision = choice_field(body, "decision", DECISIONS)
    rule_ids = list_field(body, "rule_ids")
    categories = list_field(body, "categories", CATEGORIES)
    reason = text_field(body, "reason", MAX_REASON, required=decision == "overridden")
    channel = body.get("channel")
    extension_version = text_field(body, "extension_version", 40, required=False)
    return DecisionRequest(site, handle, decision, rule_ids, categories, reason,
                           channel if isinstance(channel, str) else None, extension_version, decided_at_field(body),
                           decision_id_field(body))


def pairing_code(body: dict) -> str:
    """``{"code"}``: the 6 digits (a number loses its leading zeros, so it is padded back)."""
    fields(body, ("code",))
    code = body["code"]
    if isinstance(code, int) and not isinstance(code, bool):
        code = f"{code:06d}"
    if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) != 6:
        raise BadInput("code: expected the 6 digits that `onrecord pair` printed")
    return code.strip()


def proof_request(body: dict) -> tuple[int, str]:
    """``{"client_id", "nonce"}``: which paired browser asks, and its fresh nonce (hex)."""
    fields(body, ("client_id", "nonce"))
    client_id, nonce = body["client_id"], body["nonce"]
    if isinstance(client_id, bool) or not isinstance(client_id, int) or not 0 < client_id < 2**53:
        raise BadInput("client_id: expected the number pairing answered")
    if not isinstance(nonce, str) or not 32 <= len(nonce) <= 128 or not all(c in "0123456789abcdef" for c in nonce):
        raise BadInput("nonce: expected 32 to 128 lower-case hex digits")
    return client_id, nonce
