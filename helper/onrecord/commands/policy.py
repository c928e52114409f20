"""``onrecord policy show [--json]`` and ``onrecord policy refresh``: what is in force and where it came from.

Every setting is listed with its source: ``managed`` (enforced by the organisation), ``user`` (saved by the
user, or in their profile), ``recommended`` (the organisation's default the user may change) or ``default``.
"""

from __future__ import annotations

import json

from onrecord import managed
from onrecord.managed.effective import managed_only, user_settings
from onrecord.pack_source import PackSource
from onrecord.store import profile_store, settings_store
from onrecord.store.database import data_folder


def register(sub) -> None:
    p = sub.add_parser("policy", help="show the settings in force and where each came from")
    psub = p.add_subparsers(dest="policy_command", metavar="ACTION", parser_class=type(p))
    show = psub.add_parser("show", help="every effective setting and where it came from (managed, user, default)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=_show)
    refresh = psub.add_parser("refresh", help="fetch the managed policy pack now and say whether it was accepted")
    refresh.set_defaults(func=_refresh)
    p.set_defaults(func=lambda a: p.error("choose an action: show or refresh"))


def pack_source() -> PackSource:
    return PackSource(data_folder() / "packs", managed.current)


def report() -> dict:
    m = managed.current()
    try:
        profile = profile_store.load_saved()
    except Exception:  # a corrupt profile is reported by `profile show`; here it is simply not there
        profile = None
    settings_file = settings_store.settings_file()
    rows = user_settings(settings_store.load(settings_file), settings_store.saved_names(settings_file), m)
    rows += managed_only(m, profile)
    return {"settings": [r.to_json() for r in rows], "managed_from": managed.default_reader().describe(),
            "problems": list(m.problems), "pack": pack_source().status()}


def _show(args) -> int:
    data = report()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r["name"]) for r in data["settings"])
    for row in data["settings"]:
        where = f"  ({row['where']})" if row.get("where") else ""
        value = json.dumps(row["value"], ensure_ascii=False) if row["value"] is not None else "-"
        print(f"{row['name'].ljust(width)}  {row['source']:<11}  {value}{where}")
    pack = data["pack"]
    if pack["url"]:
        info = pack["in_force"]
        if info:
            print(f"\nPolicy pack in force: {info['id']} version {info['version']} from {pack['url']}, signature "
                  f"{info['signature']} (key {info['signed_by']}), last confirmed {info['last_confirmed']}")
        elif pack.get("kept"):
            kept = pack["kept"]
            print(f"\nVersion {kept['version']} of {kept['id']} from {pack['url']} is kept but not used (signature "
                  f"state: {pack['signature']}); the profile's own pack is in use.")
        else:
            print(f"\nNo pack from {pack['url']} has been accepted yet; the profile's own pack is in use.")
        if pack.get("last_error"):
            print(f"Last problem: {pack['last_error']}")
    print(f"\nManaged settings are read from {data['managed_from']}.")
    for problem in data["problems"]:
        print(f"Ignored: {problem}")
    return 0


def _refresh(args) -> int:
    source = pack_source()
    try:
        profile = profile_store.load_saved()
    except Exception:  # as in report(): a corrupt profile is reported elsewhere
        profile = None
    outcome = source.refresh(source.wanted(profile.policy_pack if profile else None))
    if outcome is None:
        print("No policy pack is named by URL (managed policyPack or the profile's policy_pack): nothing to fetch.")
        return 0
    print(outcome.message)
    return 0 if outcome.accepted else 1
