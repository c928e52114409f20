"""What the helper does for the extension, as plain methods: the HTTP routes only parse, call and shape.

``HelperService`` checks drafts with the policy engine, applies the ``reminder_frequency`` setting to the
permanence reminder, declares accounts in the saved profile, records what the user did with a prompt in
the activity log, and pairs browsers. It never keeps the text of a draft: the text goes to the engine and
nowhere else.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Callable, Mapping

from onrecord.errors import BadInput, OnRecordError, ProfileError
from onrecord.policy import engine
from onrecord.policy.model import CATEGORIES, CheckResult
from onrecord.profile import CHANNELS, SITES, Account, Profile, normalise_handle
from onrecord.store import clients, profile_store, settings_store
from onrecord.store.audit import DECISIONS, AuditEvent, AuditLog, AuditUnavailable

log = logging.getLogger(__name__)

MAX_HANDLE = 300
MAX_REASON = 1000
MAX_IDS = 100


# What checks use until a profile is saved: no accounts declared, the general civil service pack.
PROVISIONAL_PROFILE = Profile(name="", organisation="", policy_pack="civil-service")


class NoProfile(OnRecordError):
    code = "no_profile"
    status = 409


def fields(body: dict, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """The body's fields, refusing unknown or missing ones by name."""
    unknown = sorted(set(body) - set(required) - set(optional))
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


class HelperService:
    """The helper's domain operations, over the saved profile, settings, activity log and clients."""

    def __init__(self, audit: AuditLog, load_settings: Callable[[], Mapping] = settings_store.view,
                 today: Callable[[], str] | None = None, profile_path: Path | None = None):
        self.audit = audit
        # Found once, as the activity log's path is: finding it creates the data folder each time, and
        # the profile is looked at on every check.
        self.profile_path = Path(profile_path) if profile_path else profile_store.saved_path()
        self.load_settings = load_settings
        self.today = today
        self._profile_lock = threading.Lock()
        self._declare_lock = threading.Lock()
        self._profile_cache: tuple[tuple, Profile] | None = None
        self._said_provisional = False

    # The profile ---------------------------------------------------------------------------------

    def profile(self) -> Profile:
        """The saved profile (re-read only when the file changed); ``NoProfile`` when there is none."""
        try:
            st = os.stat(self.profile_path)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        with self._profile_lock:
            if stamp is not None and self._profile_cache and self._profile_cache[0] == stamp:
                return self._profile_cache[1]
            try:
                profile = profile_store.load_saved(self.profile_path)
            except ProfileError as exc:
                # The file was kept aside (never deleted); say where, so the user can recover it.
                log.error("%s", exc.message)
                raise NoProfile(exc.message) from None
            if profile is None:
                raise NoProfile("no profile yet: open OnRecord's settings window to say who you are and which "
                                "accounts you post from")
            if stamp is not None:
                self._profile_cache = (stamp, profile)
            return profile

    def _profile_for_checks(self) -> Profile:
        """The saved profile; until there is one, a provisional one with no accounts.

        Before the user has said who they are, every account is undeclared (so the extension asks which
        kind it is) and the general civil service pack still catches classified material, patient data
        and the like: a missing profile never turns the reminders off.
        """
        try:
            profile = self.profile()
        except NoProfile:
            if not self._said_provisional:  # once, not on every keystroke's check
                log.warning("no saved profile: checking with the provisional one until there is")
                self._said_provisional = True
            return PROVISIONAL_PROFILE
        self._said_provisional = False
        return profile

    # Checks --------------------------------------------------------------------------------------

    def check(self, body: dict) -> CheckResult:
        """Check a draft: ``{"site", "account", "text", "context"?, "reply_to"?}``."""
        fields(body, ("site", "account", "text"), ("context", "reply_to"))
        site = choice_field(body, "site", SITES)
        account = text_field(body, "account", MAX_HANDLE)
        text = body.get("text")
        if not isinstance(text, str):
            raise BadInput(f"text: expected text, got {type(text).__name__}")
        context = text_field(body, "context", 20, required=False) or "post"
        reply_to = text_field(body, "reply_to", MAX_HANDLE, required=False)
        result = engine.check_text(self._profile_for_checks(), site, account, text, context, reply_to)
        return self._apply_reminder_frequency(result)

    def _apply_reminder_frequency(self, result: CheckResult) -> CheckResult:
        """Personal accounts: keep the permanence reminder as often as ``reminder_frequency`` says."""
        if result.account.channel != "personal" or not any(p.category == "permanence" for p in result.prompts):
            return result
        frequency = self._setting("reminder_frequency")
        if frequency == "every_post":
            return result
        if frequency == "first_post_of_day":
            key = normalise_handle(result.account.site, result.account.handle)
            try:
                if not self.audit.reminded_today(result.account.site, key, self._today()):
                    return result
            except AuditUnavailable as exc:
                log.warning("reminder state unavailable, reminding anyway: %s", exc.code)
                return result
        kept = tuple(p for p in result.prompts if p.category != "permanence")
        return CheckResult(result.account, kept)

    def _setting(self, name: str) -> Any:
        return self.load_settings()[name]

    def _today(self) -> str | None:
        return self.today() if self.today else None

    # Accounts ------------------------------------------------------------------------------------

    def account(self, site: str | None, handle: str | None) -> dict:
        """What the extension shows on the channel badge for this account."""
        site = choice_field({"site": site}, "site", SITES)
        handle = text_field({"handle": handle}, "handle", MAX_HANDLE)
        try:
            profile = self.profile()
        except NoProfile:
            return {"account": {"site": site, "handle": handle, "channel": "unknown"},
                    "bio_has_disclaimer": False, "profile": False}
        found = profile.find_account(site, handle)
        if found is None:
            return {"account": {"site": site, "handle": handle, "channel": "unknown"},
                    "bio_has_disclaimer": False, "profile": True}
        return {"account": {"site": site, "handle": found.handle, "channel": found.channel},
                "bio_has_disclaimer": found.bio_has_disclaimer, "profile": True}

    def declared_accounts(self, site: str | None) -> list[dict]:
        """The accounts the saved profile declares for ``site``; none until there is a profile.

        For a page that names no account: the extension uses the site's one declared account, and asks
        when there are none or several.
        """
        site = choice_field({"site": site}, "site", SITES)
        try:
            profile = self.profile()
        except NoProfile:
            return []
        return [{"site": a.site, "handle": a.handle, "channel": a.channel, "bio_has_disclaimer": a.bio_has_disclaimer}
                for a in profile.accounts if a.site == site]

    def declare_account(self, body: dict) -> dict:
        """Declare (or re-declare) an account in the saved profile: ``{"site", "handle", "channel", ...}``."""
        fields(body, ("site", "handle", "channel"), ("bio_has_disclaimer",))
        site = choice_field(body, "site", SITES)
        handle = text_field(body, "handle", MAX_HANDLE).strip()
        channel = choice_field(body, "channel", CHANNELS)
        bio = body.get("bio_has_disclaimer", False)
        if not isinstance(bio, bool):
            raise BadInput("bio_has_disclaimer: expected true or false")
        account = Account(site, handle, channel, bio)
        # Read-change-write under one lock, so two declarations at once do not lose one of them.
        with self._declare_lock:
            with self._profile_lock:
                self._profile_cache = None
            profile_store.save(self.profile().with_account(account), self.profile_path)
        return {"account": account.to_dict()}

    # Decisions -----------------------------------------------------------------------------------

    def record_decision(self, body: dict) -> dict:
        """Record what the user did with the prompts of a draft (never the draft itself)."""
        fields(body, ("site", "account", "decision"), ("channel", "rule_ids", "categories", "reason"))
        site = choice_field(body, "site", SITES)
        handle = text_field(body, "account", MAX_HANDLE)
        decision = choice_field(body, "decision", DECISIONS)
        rule_ids = list_field(body, "rule_ids")
        categories = list_field(body, "categories", CATEGORIES)
        reason = text_field(body, "reason", MAX_REASON, required=decision == "overridden")
        channel = self._channel(site, handle, body.get("channel"))
        event = AuditEvent(site, handle, channel, decision, rule_ids, categories, reason)
        recorded = True
        try:
            self.audit.record(event)
            if channel == "personal" and decision in ("posted", "acknowledged"):
                self.audit.mark_reminded(site, normalise_handle(site, handle), self._today())
        except AuditUnavailable as exc:
            log.warning("decision not recorded: %s", exc.code)
            recorded = False
        return {"ok": True, "recorded": recorded}

    def _channel(self, site: str, handle: str, claimed: Any) -> str:
        """The profile's word on the channel wins over what the page said."""
        try:
            found = self.profile().find_account(site, handle)
        except NoProfile:
            found = None
        if found is not None:
            return found.channel
        return claimed if claimed in CHANNELS else "unknown"

    # Settings and pairing ------------------------------------------------------------------------

    def extension_settings(self) -> dict:
        return {"reminder_frequency": self._setting("reminder_frequency")}

    def pair(self, body: dict, origin: str) -> dict:
        fields(body, ("code",))
        code = body["code"]
        if isinstance(code, int) and not isinstance(code, bool):
            code = f"{code:06d}"
        if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) != 6:
            raise BadInput("code: expected the 6 digits that `onrecord pair` printed")
        client, token = clients.redeem_pairing_code(code.strip(), origin)
        log.info("paired client %s (%s)", client.id, origin)
        return {"token": token, "client_id": client.id, "proof_key": clients.proof_key(client.id)}

    def prove(self, body: dict, port: int) -> dict:
        """Prove to a paired browser that this is its helper: ``{"client_id", "nonce"}`` -> ``{"proof"}``."""
        fields(body, ("client_id", "nonce"))
        client_id, nonce = body["client_id"], body["nonce"]
        if isinstance(client_id, bool) or not isinstance(client_id, int) or not 0 < client_id < 2**53:
            raise BadInput("client_id: expected the number pairing answered")
        if not isinstance(nonce, str) or not 32 <= len(nonce) <= 128 or not all(c in "0123456789abcdef" for c in nonce):
            raise BadInput("nonce: expected 32 to 128 lower-case hex digits")
        return {"proof": clients.prove(client_id, nonce, port), "port": port}
