"""``onrecord status [--json]``: one machine's health for the administrator's scripts.

Version, whether the helper runs and answers, the native messaging host per browser, browsers paired,
whether the profile is valid, the pack in force and its signature state, the managed settings in force
and the JSON audit's last write.
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

from onrecord import __version__, managed
from onrecord.errors import OnRecordError
from onrecord.store import instance, profile_store
from onrecord.store.audit_json import last_write_in


def register(sub) -> None:
    p = sub.add_parser("status", help="this machine's OnRecord health (version, helper, browsers, profile, pack)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_status)


def _helper() -> dict:
    runtime = instance.running()
    if runtime is None:
        return {"running": False}
    out = {"running": True, "pid": runtime.pid, "url": runtime.url}
    try:
        with urllib.request.urlopen(f"{runtime.url}/v1/health", timeout=2) as res:
            out["answers"] = json.load(res).get("app") == "onrecord"
    except (OSError, ValueError):
        out["answers"] = False
    return out


def _native_host() -> dict | None:
    """Each browser's native messaging registration, when this build has the native host."""
    try:
        from onrecord.commands import native_host  # added with native messaging
    except ImportError:
        return None
    report = getattr(native_host, "status_report", None)
    try:
        return report() if report else None
    except Exception as exc:  # a registry or folder that cannot be read: say so, do not fail the status
        return {"error": type(exc).__name__}


def _browsers() -> list[dict]:
    from onrecord.store import clients
    try:
        return [{"id": c.id, "origin": c.origin, "revoked": c.revoked, "last_seen": c.to_json().get("last_seen")}
                for c in clients.list_clients()]
    except OnRecordError as exc:
        return [{"error": exc.message}]


def _profile() -> dict:
    try:
        profile = profile_store.load_saved()
    except OnRecordError as exc:
        return {"valid": False, "problem": exc.message}
    if profile is None:
        return {"valid": False, "problem": "no saved profile"}
    return {"valid": True, "accounts": len(profile.accounts), "policy_pack": profile.policy_pack}


def report() -> dict:
    from onrecord.commands.policy import pack_source
    m = managed.current()
    source = pack_source()
    profile = _profile()
    # The managed policyPack URL, else the profile's own policy_pack when it is a URL.
    pack = source.status(source.wanted(profile.get("policy_pack")))
    folder = m.get("auditJsonDirectory")
    folder = os.path.expandvars(os.path.expanduser(folder)) if folder else None
    return {
        "version": __version__,
        "helper": _helper(),
        "native_host": _native_host(),
        "browsers": _browsers(),
        "profile": profile,
        "pack": {"managed": m.get("policyPack"), **pack},
        "managed": {"keys": sorted(m.values), "recommended": sorted(m.recommended), "problems": list(m.problems),
                    "from": managed.default_reader().describe()},
        "audit_json": {"directory": folder, "last_write": last_write_in(Path(folder) if folder else None)},
    }


def _status(args) -> int:
    data = report()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    helper = data["helper"]
    print(f"OnRecord {data['version']}")
    print(f"Helper: {'running at ' + helper['url'] if helper['running'] else 'not running'}")
    print(f"Profile: {'valid' if data['profile']['valid'] else data['profile'].get('problem')}")
    print(f"Paired browsers: {sum(1 for b in data['browsers'] if not b.get('revoked'))}")
    pack = data["pack"]
    if pack.get("in_force"):
        info = pack["in_force"]
        print(f"Pack: {info['id']} version {info['version']} ({info['signature']}), last confirmed {info['last_confirmed']}")
    print(f"Managed settings: {', '.join(data['managed']['keys']) or 'none'}")
    return 0
