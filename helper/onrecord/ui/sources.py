"""The one place the settings pages reach the helper's state and the policy packs.

The state is the app's own, as ``create_app`` made it (the service, the settings, the activity log with
its retention): the pages never make a store of their own. Each function calls one and shapes what it
returns into plain JSON-ready values for the pages.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from typing import Callable

from flask import current_app

from onrecord import __version__, paths
from onrecord.errors import BadInput, OnRecordError
from onrecord.pack_source import is_url
from onrecord.profile import Profile

HELP = ("Questions about the policy itself go to your organisation's digital communications team. "
        "For OnRecord: run onrecord --help in a terminal, read the settings reference (docs/settings.md) and "
        "the IT guide (docs/it-guide.md), or send your IT desk the log folder shown above: it never holds "
        "the text of a post.")


def part(name: str):
    """One of the helper's parts (``service``, ``settings``, ``audit``, ``window``), made by ``create_app``."""
    return current_app.extensions[f"onrecord_{name}"]


# The profile -------------------------------------------------------------------------------------

def saved_profile() -> tuple[Profile | None, str | None]:
    """The saved profile and nothing to say, or None and why when it could not be read (kept aside)."""
    service = part("service")
    try:
        return service.profile(), None
    except OnRecordError:
        return None, service.profile_problem()


def settings_problem() -> str | None:
    """What went wrong reading the saved settings (a corrupt file kept aside), or None."""
    settings = part("settings")
    settings.view()
    return settings.problem


def save_profile(profile: Profile) -> None:
    part("service").save_profile(profile)


def change_profile(change: Callable[[Profile], Profile]) -> Profile:
    return part("service").change_profile(change)


# Policy packs ------------------------------------------------------------------------------------

def _packs_module():
    from onrecord.policy import packs
    return packs


def list_packs() -> list[dict]:
    """The built-in packs: id, title and the organisation they are for."""
    return [{"id": p["id"], "name": p["title"]} for p in part("service").library.list_builtin()]


def _load_pack(ref: str):
    from onrecord.ui.forms import FormError
    try:
        return part("service").library.load(ref)  # the helper's own compiled packs (create_app)
    except OnRecordError as exc:
        raise FormError("policy_pack", exc.message) from None


def check_pack_ref(ref: str) -> str:
    """``ref`` as it should be saved (a pack file's full path), or a field error when it does not load."""
    packs = _packs_module()
    if is_url(ref):
        return check_pack_url(ref)
    if ref and not packs.is_builtin_id(ref):
        ref = str(Path(ref).expanduser().resolve())
    _load_pack(ref)
    return ref


EXAMPLE_URL = "https://policy.example.org/onrecord/pack.yaml"
NO_KEYS = ("A pack from a web address is used only when it is signed by your organisation, and the keys that "
           "check that signature are set by your organisation's IT team (packSigningKeys, in managed settings). "
           "None are set on this computer, so OnRecord cannot use a pack from a web address here. Choose a "
           "built-in pack or a pack file, or ask your IT team for OnRecord's managed settings.")


def signing_keys_set() -> bool:
    """Whether the organisation has set the keys a fetched pack's signature must verify against."""
    service = part("service")
    return bool(service.managed().get("packSigningKeys"))


def check_pack_url(text: str) -> str:
    """A pack's web address as it should be saved, or a field error (``pack_url``) naming what is wrong with
    it: only ``https://`` with a server name, no user name or password, and only when the organisation has
    set the keys that check a pack's signature (a user cannot vouch for a pack by typing an address)."""
    from onrecord.ui.forms import FormError
    url = text.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "http":
        raise FormError("pack_url", f"{url} starts with http://: use https://. OnRecord fetches policy packs only "
                                    "over HTTPS, so that no one on the network can change them on the way.")
    if scheme != "https":
        raise FormError("pack_url", f"{url} is not a web address starting with https:// (for example {EXAMPLE_URL}).")
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise FormError("pack_url", f"{url} has a port that is not a number from 1 to 65535.") from None
    if not host:
        raise FormError("pack_url", f"{url} has no server name: give the whole address, for example {EXAMPLE_URL}.")
    if parts.username or parts.password:
        raise FormError("pack_url", f"{url} holds a user name or password: give the address without them.")
    if any(c.isspace() for c in url):
        raise FormError("pack_url", f"{url!r} has spaces in it: give the address as your IT team wrote it.")
    if not signing_keys_set():
        raise FormError("pack_url", NO_KEYS)
    return urlunsplit(parts._replace(scheme=scheme))


def pack_status() -> dict:
    """Which pack from a web address is in force (managed ``policyPack``, else the profile's): its id, version,
    signature state and when it was last confirmed, as ``onrecord policy show`` says; ``url`` None when the
    pack is not named by a web address."""
    service = part("service")
    url = service.pack_url()
    status = service.packs.status(url) if (url and service.packs is not None) else {"url": None}
    from onrecord.service import PROVISIONAL_PACK
    managed = service.managed().get("policyPack")
    status["managed"] = isinstance(managed, str) and bool(managed.strip())
    status["fallback"] = PROVISIONAL_PACK
    return status


def refresh_pack() -> dict:
    """Fetch the pack from its web address now; what happened, and the status after."""
    outcome = part("service").refresh_pack()
    return {"outcome": None if outcome is None else {"accepted": outcome.accepted, "message": outcome.message,
                                                      "version": outcome.version},
            "status": pack_status()}


# What the pack's disclaimer wordings are for, in the user's words.
WORDING_USES = {
    "disclaimer": "On a personal post that touches work",
    "short": "Where space is short",
    "full": "In full, for example in your bio",
    "blog": "On a personal blog",
    "media": "When replying to the media",
    "reference": "On a personal reference or recommendation",
}


def pack_detail(ref: str) -> dict:
    if is_url(ref):
        from onrecord.ui.forms import FormError
        packs = part("service").packs
        pack = packs.pack(ref) if packs is not None else None
        if pack is None:
            raise FormError("policy_pack", f"No pack from {ref} has been accepted yet.")
    else:
        pack = _load_pack(ref)
    # The wordings as this user will be offered them: their organisation (the managed one wins), by today's name.
    from onrecord.policy.pack import current_name, fill
    profile, _ = saved_profile()
    managed = part("service").managed().get("organisation")
    organisation = current_name(managed or (profile.organisation if profile else ""), pack.data.get("renamed") or {}) \
        or pack.data.get("organisation") or ""
    disclaimers = []
    for kind, wordings in pack.disclaimer.items():
        use = WORDING_USES.get(kind, kind.replace("_", " ").capitalize())
        for text in [wordings] if isinstance(wordings, str) else list(wordings or ()):
            if isinstance(text, str) and text.strip():
                disclaimers.append({"id": kind, "use": use, "text": fill(text, organisation)})
    return {"id": pack.id, "name": pack.title, "rules": pack.rules_summary(organisation), "disclaimers": disclaimers}


def categories() -> list[str]:
    from onrecord.policy.model import CATEGORIES
    return list(CATEGORIES)


# Settings ----------------------------------------------------------------------------------------

def load_settings() -> dict:
    return part("settings").load()


def save_settings(values: dict) -> dict:
    return part("settings").update(values)


def chosen_settings() -> frozenset:
    """The settings the user chose themselves (the rest follow a recommended value or the default)."""
    return part("settings").saved_names()


def forget_setting(name: str) -> dict:
    return part("settings").forget([name])


# Browsers ----------------------------------------------------------------------------------------

def pairing_code(new: bool) -> dict:
    clients = part("clients")
    code = clients.new_pairing_code() if new else clients.current_pairing_code()
    if code is None:
        return {"code": None, "seconds_left": 0}
    return {"code": code.code, "seconds_left": code.seconds_left}


def list_browsers() -> list[dict]:
    clients = part("clients")
    return [c.to_json() | {"browser": _browser_of(c.origin)} for c in clients.list_clients()]


def list_native_browsers() -> list[dict]:
    """Browsers that connected by native messaging (no pairing): which, and when they last did."""
    return [b.to_json() for b in part("clients").list_native()]


def _browser_of(origin: str) -> str:
    if origin.startswith("moz-extension://"):
        return "Firefox"
    if origin.startswith("chrome-extension://"):
        return "Chrome or Edge"
    return "Browser"


def revoke_browser(client_id: str) -> None:
    clients = part("clients")
    try:
        ident = int(client_id)
    except ValueError:
        raise BadInput(f"{client_id!r} is not a paired browser's id") from None
    clients.revoke(ident)


# Activity ----------------------------------------------------------------------------------------

def _audit():
    return part("audit")  # the helper's own, with the retention the user chose


def _filters(kw: dict) -> dict:
    return {"since": kw.get("from"), "until": kw.get("to"), "site": kw.get("site"), "category": kw.get("category")}


def activity(**kw) -> list[dict]:
    return [e.to_json() for e in _audit().query(limit=1000, **_filters(kw))]


def activity_csv(**kw) -> str:
    buf = io.StringIO()
    _audit().export_csv(buf, **_filters(kw))
    return buf.getvalue()


# About -------------------------------------------------------------------------------------------

_STARTED = time.time()


def about() -> dict:
    from onrecord.store import instance, secrets
    clients = part("clients")
    try:
        secrets.require_secure_backend()
        keyring = {"backend": secrets.backend_name(), "secure": True, "message": None}
    except OnRecordError as exc:
        keyring = {"backend": secrets.backend_name(), "secure": False, "message": exc.message}
    home = paths.home()
    runtime = instance.read_runtime()
    try:
        paired = sum(1 for c in clients.list_clients() if not c.revoked)
    except OnRecordError:
        paired = None
    return {
        "version": __version__,
        "data_folder": str(home),
        "log_folder": str(home / "logs"),
        "keyring": keyring,
        "helper": {"running": True, "pid": os.getpid(), "url": runtime.url if runtime else None,
                   "uptime_seconds": int(time.time() - _STARTED), "paired_browsers": paired,
                   "python": sys.version.split()[0]},
        "help": HELP,
    }

