"""The saved profile (``profile.yaml`` in the data folder), written atomically."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from onrecord import paths
from onrecord.errors import ProfileError
from onrecord.profile import Profile, load_profile, parse_profile_text
from onrecord.store.atomic import keep_aside, write_atomic

_lock = threading.Lock()


class CorruptProfile(ProfileError):
    code = "corrupt_profile"


def saved_path() -> Path:
    return paths.profile_path()


def load_saved(path: Path | None = None) -> Profile | None:
    """The saved profile, or None when there is none yet.

    A file that no longer parses is moved aside (never deleted) and reported with where it went.
    """
    p = Path(path) if path else saved_path()
    if not p.exists():
        return None
    try:
        return load_profile(p)
    except ProfileError as exc:
        aside = keep_aside(p)
        raise CorruptProfile(f"the saved profile could not be read and was kept aside as {aside}: {exc.message}") from None


def kept_aside(path: Path | None = None) -> Path | None:
    """The newest copy of the saved profile that was kept aside as corrupt, or None."""
    p = Path(path) if path else saved_path()
    found = sorted(p.parent.glob(f"{p.name}.corrupt-*"), key=lambda f: f.stat().st_mtime_ns)
    return found[-1] if found else None


def save(profile: Profile, path: Path | None = None) -> Path:
    p = Path(path) if path else saved_path()
    text = profile.to_yaml()
    # Re-parse before writing: a profile that would not load back is never saved.
    parse_profile_text(text, "profile to save")
    with _lock:
        write_atomic(p, text, what="the profile")
    return p


def merge(saved: Profile, incoming: Profile) -> Profile:
    """``incoming`` under what the user declared: the user's non-empty fields and accounts win; the file's
    accounts that the user has not declared are added, and its values fill the user's empty fields."""
    fields = saved._fields()
    for name in ("name", "organisation", "policy_pack", "job_title", "line_manager"):
        if not fields.get(name):
            fields[name] = getattr(incoming, name)
    for name in ("roles", "expertise"):
        fields[name] = tuple(dict.fromkeys(tuple(getattr(saved, name)) + tuple(getattr(incoming, name))))
    # An account the user declared keeps their answers; the file's organisation for it fills one left empty.
    named = {(a.site, a.key): a.organisation for a in incoming.accounts if a.organisation}
    kept = tuple(replace(a, organisation=named[(a.site, a.key)]) if not a.organisation and (a.site, a.key) in named
                 else a for a in saved.accounts)
    mine = {(a.site, a.key) for a in saved.accounts}
    fields["accounts"] = kept + tuple(a for a in incoming.accounts if (a.site, a.key) not in mine)
    fields["base_dir"] = incoming.base_dir if fields.get("policy_pack") == incoming.policy_pack else saved.base_dir
    return Profile(**fields)


def import_file(source: str | Path, path: Path | None = None, merge: bool = False) -> tuple[Profile, Path]:
    """Validate a profile file and save it; with ``merge``, keep what the user already declared."""
    profile = load_profile(source)
    if merge:
        saved = load_saved(path)
        if saved is not None:
            profile = globals()["merge"](saved, profile)
    if profile.policy_pack and not _is_builtin_id(profile.policy_pack) and "://" not in profile.policy_pack \
            and profile.base_dir:
        # A pack path relative to the imported file keeps pointing at the same file once saved (a web
        # address is kept as it is: the helper fetches it, signed).
        pack = Path(profile.policy_pack)
        if not pack.is_absolute():
            profile = Profile(**{**profile._fields(), "policy_pack": str((Path(profile.base_dir) / pack).resolve())})
    return profile, save(profile, path)


def _is_builtin_id(value: str) -> bool:
    return "/" not in value and "\\" not in value and not value.endswith((".yaml", ".yml", ".json"))
