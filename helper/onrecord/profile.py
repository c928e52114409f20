"""The user's profile: who they are, their roles and the accounts they post from (CONTRACT section 2).

Pure: loading and validating only. Saving lives in ``onrecord.store.profile_store``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from onrecord.errors import ProfileError
from onrecord.sites import SITES  # noqa: F401  (the site ids come from the one site table)

CHANNELS = ("personal", "official", "corporate")
ROLES = ("civil_servant", "minister", "special_adviser", "nhs_staff", "contractor")


@dataclass(frozen=True)
class Account:
    site: str
    handle: str
    channel: str
    bio_has_disclaimer: bool = False
    # The body this account's disclaimers name, when it is not the profile's (or the managed) organisation:
    # staff of an agency or arm's-length body posting from an account of their own body.
    organisation: str | None = None

    @property
    def key(self) -> str:
        return normalise_handle(self.site, self.handle)

    def to_dict(self) -> dict:
        d = {"site": self.site, "handle": self.handle, "channel": self.channel}
        if self.bio_has_disclaimer:
            d["bio_has_disclaimer"] = True
        if self.organisation:
            d["organisation"] = self.organisation
        return d


@dataclass(frozen=True)
class Profile:
    name: str
    organisation: str
    policy_pack: str
    roles: tuple[str, ...] = ()
    job_title: str | None = None
    expertise: tuple[str, ...] = ()
    line_manager: str | None = None
    accounts: tuple[Account, ...] = field(default=())
    # Folder of the file the profile came from, so a relative pack path resolves against it.
    base_dir: str | None = field(default=None, compare=False)

    def find_account(self, site: str, handle: str) -> Account | None:
        """The declared account for this site and handle, matched after normalisation."""
        wanted = normalise_handle(site, handle)
        if not wanted:
            return None
        same_site = [a for a in self.accounts if a.site == site]
        for acc in same_site:
            if acc.key == wanted:
                return acc
        if site == "mastodon" and "@" not in wanted:
            # The page may show only the local part (@user) of @user@instance.
            matches = [a for a in same_site if a.key.split("@", 1)[0] == wanted]
            if len(matches) == 1:
                return matches[0]
        if site == "bluesky" and "." not in wanted:
            for acc in same_site:
                if acc.key == f"{wanted}.bsky.social":
                    return acc
        return None

    def to_dict(self) -> dict:
        d: dict[str, Any] = {
            "name": self.name,
            "organisation": self.organisation,
            "policy_pack": self.policy_pack,
            "roles": list(self.roles),
        }
        if self.job_title:
            d["job_title"] = self.job_title
        d["expertise"] = list(self.expertise)
        if self.line_manager:
            d["line_manager"] = self.line_manager
        d["accounts"] = [a.to_dict() for a in self.accounts]
        return d

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def with_account(self, account: Account) -> "Profile":
        """A copy with ``account`` added, replacing any declared account with the same site and handle."""
        kept = tuple(a for a in self.accounts if not (a.site == account.site and a.key == account.key))
        return Profile(**{**self._fields(), "accounts": kept + (account,)})

    def _fields(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "accounts"} | {"accounts": self.accounts}


_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.|mobile\.|m\.)?", re.I)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=2048)  # asked on every check, of the same few accounts
def normalise_handle(site: str, handle: str) -> str:
    """One spelling per account: case folded, no leading ``@``, no profile URL around it.

    X, Threads: ``@AmyatDH`` and ``x.com/amyatdh`` are ``amyatdh``. Mastodon: ``@user@instance``
    becomes ``user@instance``. Bluesky: ``@name.bsky.social`` and domain handles lose the ``@``.
    LinkedIn: ``linkedin.com/in/amy-clarke/`` is ``amy-clarke``. Blogs: the host, without scheme or
    ``www.``. Facebook and comment boxes use display names: spaces collapsed, case folded.
    """
    h = _SPACES.sub(" ", (handle or "").strip()).casefold()
    if site in ("facebook", "comments", "other"):
        return h
    h = _URL_PREFIX.sub("", h).rstrip("/")
    if site in ("x", "threads"):
        h = re.sub(r"^(?:x\.com|twitter\.com|threads\.net|threads\.com)/", "", h)
        return h.lstrip("@").split("/", 1)[0]
    if site == "linkedin":
        h = re.sub(r"^(?:[a-z]{2}\.)?linkedin\.com/(?:in|company)/", "", h)
        return h.split("/", 1)[0].lstrip("@")
    if site == "mastodon":
        m = re.match(r"^([^/]+)/@([^/@]+)$", h)  # instance URL form: mastodon.social/@amyc
        if m:
            return f"{m.group(2)}@{m.group(1)}"
        return h.lstrip("@")
    if site == "bluesky":
        h = re.sub(r"^bsky\.app/profile/", "", h)
        return h.lstrip("@").split("/", 1)[0]
    if site == "blog":
        return h.split("/", 1)[0]
    return h


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(resources.files("onrecord").joinpath("schemas/profile.schema.json").read_text("utf-8"))


def _where(error: jsonschema.ValidationError) -> str:
    parts = []
    for p in error.absolute_path:
        parts.append(f"[{p}]" if isinstance(p, int) else (f".{p}" if parts else str(p)))
    return "".join(parts) or "(top level)"


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return f"unknown key {', '.join(repr(k) for k in extra)} (allowed: {', '.join(allowed)})"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return error.message


def account_from_dict(a: dict) -> Account:
    """An account of a validated profile (or form): handle and organisation trimmed, a blank organisation
    left out."""
    organisation = " ".join((a.get("organisation") or "").split()) or None
    return Account(a["site"], a["handle"].strip(), a["channel"], bool(a.get("bio_has_disclaimer", False)),
                   organisation)


def profile_from_dict(data: Any, source: str = "profile", base_dir: str | None = None) -> Profile:
    """Validate ``data`` against the profile schema; the error names the source and the key."""
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: expected a mapping of profile keys, got {type(data).__name__}")
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        # Every problem, so one edit fixes them all (one line: the command line prints one line).
        raise ProfileError(f"{source}: " + "; ".join(f"{_where(e)}: {_describe(e)}" for e in errors))
    accounts = tuple(account_from_dict(a) for a in data.get("accounts", []))
    seen: dict[tuple[str, str], int] = {}
    for i, acc in enumerate(accounts):
        k = (acc.site, acc.key)
        if k in seen:
            raise ProfileError(f"{source}: accounts[{i}]: {acc.site} account {acc.handle!r} is declared twice "
                               f"(also accounts[{seen[k]}])")
        seen[k] = i
    return Profile(
        name=data["name"].strip(),
        organisation=data["organisation"].strip(),
        policy_pack=data["policy_pack"].strip(),
        roles=tuple(data.get("roles", [])),
        job_title=(data.get("job_title") or None),
        expertise=tuple(s.strip() for s in data.get("expertise", [])),
        line_manager=(data.get("line_manager") or None),
        accounts=accounts,
        base_dir=base_dir,
    )


def parse_profile_text(text: str, source: str = "profile", base_dir: str | None = None) -> Profile:
    """Parse YAML (JSON is a subset of YAML) and validate."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProfileError(f"{source}: not valid YAML or JSON{where}: {problem}") from None
    if data is None:
        raise ProfileError(f"{source}: the file is empty")
    return profile_from_dict(data, source, base_dir)


def load_profile(path: str | Path) -> Profile:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{p}: no such profile file") from None
    except IsADirectoryError:
        raise ProfileError(f"{p}: is a folder, not a profile file") from None
    except OSError as exc:
        raise ProfileError(f"{p}: cannot read the profile: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(f"{p}: the profile is not UTF-8 text") from None
    return parse_profile_text(text, str(p), str(p.resolve().parent))
