"""``onrecord profile import FILE`` and ``onrecord profile show``."""

from __future__ import annotations

import json

from onrecord.errors import ProfileError
from onrecord.store import profile_store


def register(sub) -> None:
    p = sub.add_parser("profile", help="import or show the saved profile")
    psub = p.add_subparsers(dest="profile_command", metavar="ACTION", parser_class=type(p))
    imp = psub.add_parser("import", help="validate a profile (YAML or JSON) and make it the saved one")
    imp.add_argument("file")
    imp.add_argument("--merge", action="store_true",
                     help="keep what the user declared: add the file's accounts and fill in only what is empty")
    imp.set_defaults(func=_import)
    show = psub.add_parser("show", help="print the saved profile")
    show.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    show.set_defaults(func=_show)
    p.set_defaults(func=lambda a: p.error("choose an action: import or show"))


def _import(args) -> int:
    profile, where = profile_store.import_file(args.file, merge=args.merge)
    print(f"Saved the profile of {profile.name} ({len(profile.accounts)} accounts) to {where}"
          + (" (merged with what was saved)" if args.merge else ""))
    return 0


def _show(args) -> int:
    profile = profile_store.load_saved()
    if profile is None:
        raise ProfileError(f"no saved profile yet in {profile_store.saved_path().parent}: "
                           "run `onrecord profile import FILE` or open the settings window")
    print(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) if args.json else profile.to_yaml(), end="" if not args.json else "\n")
    return 0
