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
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from onrecord.errors import Conflict, DiskFull, PackError, ProfileError
from onrecord.managed import ManagedReader, ManagedSettings, default_reader
from onrecord.managed.effective import apply_links, apply_to_profile
from onrecord.pack_source import PackSource, is_url
from onrecord.policy import engine
from onrecord.policy.packs import Pack, PackLibrary
from onrecord.policy.model import CheckResult, Draft, dumps
from onrecord.profile import CHANNELS, Account, Profile, normalise_handle
from onrecord.store import profile_store, settings_store
from onrecord.store.clients import ClientStore
from onrecord.store.audit import AuditEvent, AuditLog, AuditUnavailable
from onrecord.store.database import iso_time

log = logging.getLogger(__name__)

# Decision ids whose JSON audit line this process wrote while the activity log could not say whether it had
# them (busy, broken, disk full): a decision sent again then is not written twice. The last ones only.
JSON_AUDIT_IDS_KEPT = 1000

SHOWN_AGAIN_AFTER = 600  # seconds: a prompt that comes back after this long away is audited as shown again

# What checks use until a profile is saved: no accounts declared, the general civil service pack.
PROVISIONAL_PACK = "civil-service"
PROVISIONAL_PROFILE = Profile(name="", organisation="", policy_pack=PROVISIONAL_PACK)


class NoProfile(Conflict):
    code = "no_profile"


@lru_cache(maxsize=256)  # the same few accounts, check after check
def _account_key(site: str, handle: str) -> str:
    """How the activity log keys an account's reminders (``normalise_handle``)."""
    return normalise_handle(site, handle)


# What the routes (and the native messaging host) hand the service, parsed and checked already ----------

@dataclass(frozen=True)
class CheckRequest:
    site: str
    account: str
    text: str
    context: str = "post"
    reply_to: str | None = None
    reply_to_bio: str | None = None  # what the page shows of the account replied to (its bio or title)


@dataclass(frozen=True)
class DecisionRequest:
    """What the user did with a draft's prompts; ``channel`` is what the page claimed (the profile wins)."""

    site: str
    account: str
    decision: str
    rule_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    reason: str | None = None
    channel: str | None = None
    extension_version: str | None = None
    decided_at: float | None = None  # when the user decided, for a decision sent late; else now
    decision_id: str | None = None  # the extension's id for it: sent again, it is recorded once


class HelperService:
    """The helper's domain operations, over the saved profile, settings, activity log and clients."""

    def __init__(self, audit: AuditLog, load_settings: Callable[[], Mapping] | None = None,
                 today: Callable[[], str] | None = None, profile_path: Path | None = None,
                 clients: ClientStore | None = None, managed: ManagedReader | None = None, packs: PackSource | None = None,
                 json_audit=None, saved_settings: Callable[[], frozenset] = lambda: frozenset(),
                 library: PackLibrary | None = None):
        self.audit = audit
        # The compiled policy packs this service checks with: its own, or the app's (``create_app``).
        self.library = library if library is not None else (packs.library if packs is not None else PackLibrary())
        # Managed settings (re-read when the organisation changes them), the signed pack fetched from the
        # organisation's URL (onrecord.pack_source.PackSource) and the JSON audit for its SIEM.
        self.managed_reader = managed or default_reader()
        self.packs = packs
        self.json_audit = json_audit
        self.saved_settings = saved_settings
        self._managed_seen: ManagedSettings | None = None
        self._shown: dict[tuple[str, str, str], float] = {}
        self._effective_cache: tuple | None = None
        self._said_no_fetched_pack: str | None = None
        self.clients = clients or ClientStore()
        load_settings = load_settings or settings_store.SettingsStore().view
        # Found once, as the activity log's path is: finding it creates the data folder each time, and
        # the profile is looked at on every check.
        self.profile_path = Path(profile_path) if profile_path else profile_store.saved_path()
        self._profile_where = str(self.profile_path)  # os.stat of a str skips Path's conversion on each check
        self.load_settings = load_settings
        self.today = today
        self._profile_lock = threading.Lock()
        self._declare_lock = threading.Lock()
        self._profile_cache: tuple[tuple, Profile] | None = None
        self._said_provisional = False
        # Why the saved profile could not be used (it was kept aside), until a profile is saved again:
        # the window and the card say so, rather than quietly starting over as a first run.
        self._profile_problem: str | None = None
        self._check_pack: tuple | None = None  # (the compiled pack, what check answers say of it)
        self._answer_extra: tuple | None = None  # (profile problem, pack report, their JSON text)
        self._json_decision_ids: dict[str, None] = {}  # see JSON_AUDIT_IDS_KEPT (a dict keeps their order)
        self._looked_aside = False
        self._day: tuple[str, float, float] | None = None  # (local date, its first second, the next day's)

    # The profile ---------------------------------------------------------------------------------

    def profile(self) -> Profile:
        """The saved profile (re-read only when the file changed); ``NoProfile`` when there is none."""
        try:
            st = os.stat(self._profile_where)
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
                self._profile_problem = (f"{exc.message}. Until you enter your details again in OnRecord's "
                                         "settings window, every account counts as undeclared.")
                self._looked_aside = True
                raise NoProfile(self._profile_problem) from None
            if profile is None:
                if not self._looked_aside:  # a profile kept aside by an earlier run still needs saying
                    self._looked_aside = True
                    aside = profile_store.kept_aside(self.profile_path)
                    if aside is not None and self._profile_problem is None:
                        self._profile_problem = (
                            f"the saved profile could not be read and was kept aside as {aside}. Until you "
                            "enter your details again in OnRecord's settings window, every account counts as "
                            "undeclared.")
                raise NoProfile(self._profile_problem or "no profile yet: open OnRecord's settings window to say "
                                "who you are and which accounts you post from")
            self._profile_problem = None
            if stamp is not None:
                self._profile_cache = (stamp, profile)
            return profile

    def profile_problem(self) -> str | None:
        """Why the saved profile is not in use (it could not be read and was kept aside), or None."""
        return self._profile_problem

    def answer_extra(self, pack: dict | None) -> str:
        """What a check's answer says besides the account and the prompts, ``profile_problem`` (when there
        is one) and ``pack`` (``check_with_pack``'s report), as the JSON text of those members (sorted,
        without the braces), or "" when there is neither. Encoded again only when one of them changes:
        the report is the same dict while the pack and its state are."""
        problem = self._profile_problem
        cached = self._answer_extra
        if cached is not None and cached[0] == problem and cached[1] is pack:
            return cached[2]
        members = {**({"profile_problem": problem} if problem else {}), **({"pack": pack} if pack else {})}
        text = dumps(members)[1:-1] if members else ""
        self._answer_extra = (problem, pack, text)
        return text

    def _profile_for_checks(self) -> Profile:
        """The saved profile; until there is one, a provisional one with no accounts.

        Before the user has said who they are, every account is undeclared (so the extension asks which
        kind it is) and the general civil service pack still catches classified material, patient data
        and the like: a missing profile never turns the reminders off.
        """
        return self.effective(self._saved_for_checks() or PROVISIONAL_PROFILE)

    def _saved_for_checks(self) -> Profile | None:
        """The saved profile as it is now (one look at its file), or None until there is one."""
        try:
            profile = self.profile()
        except NoProfile:
            if not self._said_provisional:  # once, not on every keystroke's check
                log.warning("no saved profile: checking with the provisional one until there is")
                self._said_provisional = True
            return None
        self._said_provisional = False
        return profile

    # Managed settings ----------------------------------------------------------------------------

    def managed(self) -> ManagedSettings:
        m = self.managed_reader.current()
        if m is not self._managed_seen:
            first = self._managed_seen is None
            self._managed_seen = m
            if m.values or not first:
                self.audit_event("policy_applied", {"outcome": "success", "managed_keys": sorted(m.values),
                                                    "message": "; ".join(m.problems) or None})
        return m

    def effective(self, profile: Profile, m: ManagedSettings | None = None) -> Profile:
        """The profile with the organisation's name, pack and official accounts applied (never saved).
        ``m``: the managed settings the caller has read already."""
        m = m if m is not None else self.managed()
        if not m.values:
            return profile
        # The same profile object while nothing changed: the engine keeps per-profile work (phrases,
        # accounts) by identity, and checks come on every pause in typing.
        ref = self.packs.ref(m.get("policyPack")) if self.packs and str(m.get("policyPack", "")).startswith("https://") else None
        key = (id(profile), id(m), ref)
        cached = self._effective_cache
        if cached is not None and cached[0] == key and cached[1] is profile:
            return cached[2]
        result = apply_to_profile(profile, m, lambda url: ref)
        self._effective_cache = (key, profile, result)
        return result

    def audit_event(self, kind: str, fields: dict) -> None:
        if self.json_audit is None:
            return
        try:
            self.json_audit.write(kind, fields)
        except Exception as exc:  # the SIEM's copy never stops a check or a decision
            log.warning("JSON audit: %s not written (%s)", kind, type(exc).__name__)

    def pack_fields(self, profile: Profile) -> dict:
        """Which pack a check used, for the JSON audit: id, and version and hash when it was fetched."""
        ref = profile.policy_pack
        if self.packs is not None:
            info = self.packs.status().get("in_force")
            if info and ref and Path(ref).name.startswith("pack-") and info.get("sha256", "")[:16] in ref:
                return {"pack_id": info.get("id"), "pack_version": info.get("version"), "pack_sha256": info.get("sha256")}
        return {"pack_id": ref}

    # Checks --------------------------------------------------------------------------------------

    def check(self, request: CheckRequest) -> CheckResult:
        """Check a draft (its text goes to the engine and nowhere else)."""
        return self.check_with_pack(request)[0]

    def check_with_pack(self, request: CheckRequest) -> tuple[CheckResult, dict | None]:
        """``check``, and which pack checked the draft (``check_pack``) for the extension's answer.

        Checks come on every pause in typing, so each reads what it depends on once: the managed
        settings (looked at again at most once a second), the saved profile (one look at its file, read
        again only when it changed), the pack (compiled once; a pack file is looked at for changes), and
        the settings only for a permanence reminder. What follows from them (the profile with the
        organisation's settings applied, what the answer says of the pack) is kept while they stay the
        same objects, so a change made by another process still counts on the next check.
        """
        m = self.managed()
        saved = self._saved_for_checks()
        profile = self.effective(saved or PROVISIONAL_PROFILE, m)
        pack = self._fetched_pack(profile)
        if pack is None:
            pack = self.library.load(profile.policy_pack, base_dir=profile.base_dir)
        draft = Draft(request.text, request.site, request.account, request.context or "post",
                      (request.reply_to or "").strip() or None, (request.reply_to_bio or "").strip() or None)
        result = engine.check(draft, profile, pack)
        result = self._apply_reminder_frequency(result, m)
        result = apply_links(result, m.get("policyLinks"))
        if self.json_audit is not None and self.json_audit.folder() is not None:
            self._audit_shown(profile, result)
        url = self.packs.wanted(saved.policy_pack if saved is not None else None) if self.packs is not None else None
        return result, (self.packs.summary(url) if url else self._pack_info(pack))

    def _audit_shown(self, profile: Profile, result: CheckResult) -> None:
        """prompt_shown for a prompt the account's checks have not had for ``SHOWN_AGAIN_AFTER`` seconds: checks
        come on every pause in typing, and a prompt comes and goes as the draft changes."""
        account = _account_key(result.account.site, result.account.handle)
        now = time.monotonic()
        new = []
        for p in result.prompts:
            key = (result.account.site, account, p.id)
            last = self._shown.get(key)
            if last is None or now - last > SHOWN_AGAIN_AFTER:
                new.append(p)
            self._shown[key] = now
        if len(self._shown) > 10000:
            self._shown.clear()
        if not new:
            return
        pack = self.pack_fields(profile)
        for p in new:
            self.audit_event("prompt_shown", {"outcome": "success", "severity": p.severity, "rule_id": p.id,
                                              "category": p.category, "site": result.account.site,
                                              "channel": result.account.channel, "account": result.account.handle,
                                              **pack})

    # The signed pack from the organisation's web server -------------------------------------------

    def pack_url(self) -> str | None:
        """The URL of the signed pack in effect (managed ``policyPack``, else the saved profile's), or None.
        Cheap: asked on every check's answer."""
        if self.packs is None:
            return None
        try:
            own = self.profile().policy_pack
        except NoProfile:
            own = None
        return self.packs.wanted(own)

    def _fetched_pack(self, profile: Profile) -> Pack | None:
        """For a profile whose own ``policy_pack`` is a URL: the last good signed pack from there; until there is
        one (or once it has expired), the provisional built-in pack, so reminders never stop. (A managed
        ``policyPack`` URL is applied by ``effective``: the kept pack's file, else the user's own pack.)"""
        url = profile.policy_pack
        if self.packs is None:
            return None
        if not is_url(url):
            return self.packs.compiled(url)  # the kept pack effective() put in: no need to look up its file
        pack = self.packs.pack(url)
        if pack is not None:
            self._said_no_fetched_pack = None
            return pack
        if self._said_no_fetched_pack != url:  # once, not on every keystroke's check
            log.warning("no good policy pack from %s yet: checking with the built-in %s pack", url, PROVISIONAL_PACK)
            self._said_no_fetched_pack = url
        return self.library.load(PROVISIONAL_PACK)

    def refresh_pack(self):
        """Fetch the signed pack in effect again (at start and periodically); None when none is named."""
        url = self.pack_url()
        return self.packs.refresh(url) if url else None

    def pack_report(self) -> dict | None:
        """Which signed pack is in force (id, version, signature state, last confirmed), or None when the
        pack is not named by URL. For the check answer, ``onrecord status`` and ``policy show``."""
        url = self.pack_url()
        return self.packs.summary(url) if url else None

    def check_pack(self, profile: Profile | None = None) -> dict | None:
        """Which pack the checks use, for every check's answer (the card's footer says it): the signed pack's
        report when the pack is named by URL (``pack_report``), else ``{"id", "title", "source"}`` with
        ``source`` ``built-in`` or ``file`` (and ``version`` when a pack file states one). None when the
        profile's pack cannot be loaded (the check itself says why). ``profile``: the one checks use, when
        the caller has it already."""
        report = self.pack_report()
        if report is not None:
            return report
        profile = profile or self._profile_for_checks()
        try:
            pack = self.library.load(profile.policy_pack, base_dir=profile.base_dir)
        except PackError:
            return None
        return self._pack_info(pack)

    def _pack_info(self, pack: Pack) -> dict:
        """``{"id", "title", "source"}`` (and ``version``) for a pack not named by URL: made once per
        compiled pack, and the same dict while the pack is the same."""
        cached = self._check_pack
        if cached is not None and cached[0] is pack:
            return cached[1]
        info = {"id": pack.id, "title": pack.title, "source": "built-in" if pack.origin == "built-in" else "file"}
        version = pack.data.get("version") if isinstance(pack.data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool):
            info["version"] = version
        self._check_pack = (pack, info)
        return info

    def _apply_reminder_frequency(self, result: CheckResult, m: ManagedSettings | None = None) -> CheckResult:
        """Personal accounts: keep the permanence reminder as often as ``reminder_frequency`` says."""
        if result.account.channel != "personal":
            return result
        for p in result.prompts:
            if p.category == "permanence":
                break
        else:
            return result
        frequency = self._setting("reminder_frequency", m)
        if frequency == "every_post":
            return result
        if frequency == "first_post_of_day":
            key = _account_key(result.account.site, result.account.handle)
            try:
                if not self.audit.reminded_today(result.account.site, key, self._today()):
                    return result
            except AuditUnavailable as exc:
                log.warning("reminder state unavailable, reminding anyway: %s", exc.code)
                return result
        kept = tuple(p for p in result.prompts if p.category != "permanence")
        return CheckResult(result.account, kept)

    def _setting(self, name: str, m: ManagedSettings | None = None) -> Any:
        """A user setting, unless the organisation enforces it (or recommends it and the user never chose).
        ``m``: the managed settings the caller has read already."""
        m = m if m is not None else self.managed()
        if m.values or m.recommended:
            locked, value = m.locked_setting(name)
            if locked:
                return value
            recommended, value = m.recommended_setting(name)
            if recommended and name not in self.saved_settings():
                return value
        return self.load_settings()[name]

    def _today(self, now: float | None = None) -> str:
        """Today's local date as ``YYYY-MM-DD`` (the ``today`` function given, else the clock's, or the day
        of ``now``), for the reminder state. Worked out again only when the clock leaves the day it was
        worked out for: ``date.today()`` asks for the local time zone's rules, on every personal check
        otherwise."""
        if self.today:
            return self.today()
        now = time.time() if now is None else now
        day = self._day
        if day is None or not day[1] <= now < day[2]:
            d = date.fromtimestamp(now)
            start = datetime.combine(d, dt_time.min).timestamp()
            end = datetime.combine(d + timedelta(days=1), dt_time.min).timestamp()
            day = self._day = (d.isoformat(), start, end)
        return day[0]

    # Accounts ------------------------------------------------------------------------------------

    def account(self, site: str, handle: str) -> dict:
        """What the extension shows on the channel badge for this account."""
        try:
            profile = self.effective(self.profile())
        except NoProfile:
            found = self.effective(PROVISIONAL_PROFILE).find_account(site, handle)
            answer = {"account": {"site": site, "handle": found.handle if found else handle,
                                  "channel": found.channel if found else "unknown"},
                      "bio_has_disclaimer": False, "profile": False}
            if self._profile_problem:
                answer["profile_problem"] = self._profile_problem
            return answer
        found = profile.find_account(site, handle)
        if found is None:
            return {"account": {"site": site, "handle": handle, "channel": "unknown"},
                    "bio_has_disclaimer": False, "profile": True}
        return {"account": {"site": site, "handle": found.handle, "channel": found.channel},
                "bio_has_disclaimer": found.bio_has_disclaimer, "profile": True}

    def declared_accounts(self, site: str) -> list[dict]:
        """The accounts the saved profile declares for ``site``; none until there is a profile.

        For a page that names no account: the extension uses the site's one declared account, and asks
        when there are none or several.
        """
        try:
            profile = self.effective(self.profile())
        except NoProfile:
            profile = self.effective(PROVISIONAL_PROFILE)
        return [{"site": a.site, "handle": a.handle, "channel": a.channel, "bio_has_disclaimer": a.bio_has_disclaimer}
                for a in profile.accounts if a.site == site]

    def declare_account(self, account: Account) -> dict:
        """Declare (or re-declare) an account in the saved profile. The browser does not know an account's own
        organisation: one the user gave it in the settings window is kept."""
        kept = [account]

        def change(profile: Profile) -> Profile:
            before = next((a for a in profile.accounts if a.site == account.site and a.key == account.key), None)
            if before is not None and before.organisation and account.organisation is None:
                kept[0] = replace(account, organisation=before.organisation)
            return profile.with_account(kept[0])
        self.change_profile(change)
        return {"account": kept[0].to_dict()}

    def change_profile(self, change: Callable[[Profile], Profile]) -> Profile:
        """Save ``change(saved profile)``: read, change and write under one lock, so two changes at once (from
        the extension and the settings window) do not lose one of them. ``NoProfile`` when there is none."""
        with self._declare_lock:
            with self._profile_lock:
                self._profile_cache = None
            updated = change(self.profile())
            profile_store.save(updated, self.profile_path)
            self._profile_problem = None
            return updated

    def save_profile(self, profile: Profile) -> Profile:
        """Replace the saved profile (the settings window's profile page)."""
        with self._declare_lock:
            with self._profile_lock:
                self._profile_cache = None
            profile_store.save(profile, self.profile_path)
            self._profile_problem = None
            return profile

    # Decisions -----------------------------------------------------------------------------------

    def record_decision(self, request: DecisionRequest) -> dict:
        """Record what the user did with the prompts of a draft (never the draft itself).

        A busy or broken activity log answers ``recorded: false`` (the post goes on); a full disk is said
        as ``disk_full``, so the user learns that overrides are not being kept. A decision whose
        ``decision_id`` is recorded already (sent again after its answer was lost) adds nothing, to the
        activity log or the JSON audit, and answers ``recorded: true`` with ``already_recorded: true``, so
        the extension lets it go.
        """
        site, handle, decision = request.site, request.account, request.decision
        channel = self._channel(site, handle, request.channel)
        event = AuditEvent(site, handle, channel, decision, request.rule_ids, request.categories, request.reason,
                           **({"time": request.decided_at} if request.decided_at is not None else {}))
        recorded, repeat = True, False
        try:
            repeat = not self.audit.record(event, request.decision_id)
            if not repeat and channel == "personal" and decision in ("posted", "acknowledged"):
                self.audit.mark_reminded(site, normalise_handle(site, handle), self._today())
        except DiskFull:
            self._json_decision(request, channel, known=False)
            raise
        except AuditUnavailable as exc:
            log.warning("decision not recorded: %s", exc.code)
            recorded = False
        if not repeat:
            self._json_decision(request, channel, known=recorded)
        return {"ok": True, "recorded": recorded, **({"already_recorded": True} if repeat else {})}

    def _json_decision(self, request: DecisionRequest, channel: str, known: bool) -> None:
        """The decision's line in the JSON audit, once per decision id: ``known`` when the activity log has
        just taken it as new; otherwise (the log could not say) this process's memory of ids decides."""
        if self.json_audit is None:
            return
        ids, key = self._json_decision_ids, request.decision_id
        if key is not None:
            if key in ids:
                return
            if not known:
                ids[key] = None
                while len(ids) > JSON_AUDIT_IDS_KEPT:
                    del ids[next(iter(ids))]
        rule_ids, categories = request.rule_ids, request.categories
        self.audit_event(request.decision, {
            "outcome": "success", "rule_id": rule_ids[0] if rule_ids else None, "rule_ids": rule_ids,
            "category": categories[0] if categories else None, "categories": categories, "site": request.site,
            "channel": channel, "account": request.account, "reason": request.reason,
            "extension_version": request.extension_version, "decided_at": iso_time(request.decided_at),
            "decision_id": request.decision_id, **self.pack_fields(self._profile_for_checks())})

    def _channel(self, site: str, handle: str, claimed: Any) -> str:
        """The profile's word on the channel wins over what the page said."""
        try:
            found = self.effective(self.profile()).find_account(site, handle)
        except NoProfile:
            found = self.effective(PROVISIONAL_PROFILE).find_account(site, handle)
        if found is not None:
            return found.channel
        return claimed if claimed in CHANNELS else "unknown"

    # Settings and pairing ------------------------------------------------------------------------

    def extension_settings(self) -> dict:
        out = {"reminder_frequency": self._setting("reminder_frequency")}
        m = self.managed()
        if "holdWhenUnchecked" in m:
            out["hold_when_unchecked"] = m.get("holdWhenUnchecked")
        if self.packs is not None and m.get("policyPack", "").startswith("https://"):
            out["pack"] = self.packs.status().get("in_force")
        return out

    def pair(self, code: str, origin: str) -> dict:
        client, token = self.clients.redeem_pairing_code(code, origin)
        log.info("paired client %s (%s)", client.id, origin)
        return {"token": token, "client_id": client.id, "proof_key": self.clients.proof_key(client.id)}

    def prove(self, client_id: int, nonce: str, port: int) -> dict:
        """Prove to a paired browser that this is its helper, on its nonce and this helper's port."""
        return {"proof": self.clients.prove(client_id, nonce, port), "port": port}
