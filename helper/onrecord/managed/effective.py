"""What is in force once managed settings are applied: each setting's value and where it came from.

Order, strongest first: ``managed`` (enforced), ``user`` (saved by the user), ``recommended`` (the
organisation's default the user may change), ``default``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

from onrecord.managed.reader import ManagedSettings
from onrecord.managed.schema import keys, locking
from onrecord.policy.model import CheckResult
from onrecord.profile import Account, Profile
from onrecord.settings import SETTINGS

LOCKED_MESSAGE = "Set by your organisation"


@dataclass(frozen=True)
class Effective:
    name: str
    value: Any
    source: str  # managed | user | recommended | default
    where: str | None = None
    managed_key: str | None = None

    def to_json(self) -> dict:
        out = {"name": self.name, "value": self.value, "source": self.source}
        if self.where:
            out["where"] = self.where
        if self.managed_key and self.managed_key != self.name:
            out["managed_key"] = self.managed_key
        return out


def setting_value(name: str, user: Mapping[str, Any], saved: Iterable[str], managed: ManagedSettings) -> Effective:
    """One user setting (``onrecord.settings``) with managed values applied."""
    key = locking(name)
    if key is not None and key in managed.values:
        return Effective(name, managed.values[key], "managed", managed.origins.get(key), key)
    if name in saved:
        return Effective(name, user[name], "user", None, key)
    if key is not None and key in managed.recommended:
        return Effective(name, managed.recommended[key], "recommended", managed.origins.get(key), key)
    return Effective(name, user[name], "default", None, key)


def user_settings(user: Mapping[str, Any], saved: Iterable[str], managed: ManagedSettings) -> list[Effective]:
    saved = set(saved)
    return [setting_value(s.name, user, saved, managed) for s in SETTINGS]


def managed_only(managed: ManagedSettings, profile: Profile | None) -> list[Effective]:
    """The managed keys that are not user settings: organisation, pack, keys, accounts, audit, ..."""
    out = []
    for key, spec in keys().items():
        if spec.get("x-onrecord", {}).get("setting"):
            continue  # shown under its user setting's name
        if key in managed.values:
            out.append(Effective(key, managed.values[key], "managed", managed.origins.get(key), key))
        elif key == "organisation" and profile is not None:
            out.append(Effective(key, profile.organisation, "user", "profile", key))
        elif key == "policyPack" and profile is not None:
            out.append(Effective(key, profile.policy_pack, "user", "profile", key))
        else:
            out.append(Effective(key, spec.get("default"), "default", None, key))
    return out


def apply_to_profile(profile: Profile, managed: ManagedSettings,
                     pack_ref: Callable[[str], str | None] | None = None) -> Profile:
    """The profile checks use: the organisation's name, pack and official accounts win over the user's.
    Staff of an agency or arm's-length body name their own body on each account of theirs (an account's
    ``organisation``), which the engine puts before this one in that account's prompts.

    ``pack_ref(policyPack)`` turns a pack URL into the path of the last good verified copy (None while there
    is none, when the user's own pack stays in use). The saved profile itself is never changed.
    """
    values = managed.values
    if not values:
        return profile
    fields = profile._fields()
    if values.get("organisation"):
        fields["organisation"] = values["organisation"]
    pack = values.get("policyPack")
    if pack:
        ref = pack_ref(pack) if (pack_ref and pack.startswith("https://")) else (None if pack.startswith("https://") else pack)
        if ref:
            fields["policy_pack"] = ref
    official = values.get("officialAccounts")
    if official:
        declared = [Account(a["site"], a["handle"].strip(), a["channel"]) for a in official]
        wins = {(a.site, a.key) for a in declared}
        fields["accounts"] = tuple(a for a in profile.accounts if (a.site, a.key) not in wins) + tuple(declared)
    return Profile(**fields)


def apply_links(result: CheckResult, links: Mapping[str, str] | None) -> CheckResult:
    """The prompts with their policy links pointed at the organisation's own copies (``policyLinks``): a
    published address (before its #section) maps to the copy's, and the section is kept when the copy's
    address has none of its own."""
    if not links or not any(p.link for p in result.prompts):
        return result
    prompts = []
    for p in result.prompts:
        base, hash_, section = (p.link or "").partition("#")
        copy = links.get(base)
        if copy:
            p = replace(p, link=copy if "#" in copy or not hash_ else f"{copy}#{section}")
        prompts.append(p)
    return replace(result, prompts=tuple(prompts))
