"""``onrecord native-host``: the program browsers start for native messaging, and its registration.

    onrecord native-host [ARGS...]                   # run as the host (the browser passes ARGS)
    onrecord native-host manifest --browser NAME     # print that browser's host manifest (JSON)
    onrecord native-host install [--system]          # register for every browser found
    onrecord native-host uninstall [--system]        # remove every registration
    onrecord native-host status [--json]             # what is registered where

The browser passes its own arguments (an origin, or a manifest path and an add-on id), which are not
actions: anything but the four action names runs the host.
"""

from __future__ import annotations

import argparse
import json
import sys

from onrecord.errors import BadInput

ACTIONS = ("manifest", "install", "uninstall", "status")


def register(sub) -> None:
    p = sub.add_parser("native-host", help="the native messaging host browsers start, and its registration",
                       description="Run by a browser with its own arguments, this is the native messaging host. "
                                   "Actions: manifest --browser NAME, install [--system], uninstall [--system], "
                                   "status [--json].")
    p.add_argument("args", nargs=argparse.REMAINDER, help="an action, or what the browser passes")
    p.set_defaults(func=native_host)


def _actions(prog: str) -> argparse.ArgumentParser:
    from onrecord.cli import _Parser
    from onrecord.nativehost.registration import BROWSERS

    parser = _Parser(prog=prog)
    sub = parser.add_subparsers(dest="action", parser_class=_Parser)
    m = sub.add_parser("manifest", help="print a browser's host manifest")
    m.add_argument("--browser", required=True, choices=BROWSERS)
    for name, what in (("install", "register the host for every browser found"),
                       ("uninstall", "remove the host's registration from every browser")):
        a = sub.add_parser(name, help=what)
        a.add_argument("--system", action="store_true", help="machine-wide (needs administrator rights)")
        a.add_argument("--browser", choices=BROWSERS, help="this browser only")
        if name == "install":
            a.add_argument("--all", action="store_true",
                           help="every browser OnRecord knows, found or not (installers use this, so a "
                                "browser installed later finds the host)")
    s = sub.add_parser("status", help="what is registered where")
    s.add_argument("--json", action="store_true")
    return parser


def native_host(args) -> int:
    argv = list(args.args)
    if not argv or argv[0] not in ACTIONS:
        if argv and argv[0].startswith("-") and not argv[0].startswith("--parent-window"):
            raise BadInput(f"native-host: unknown option {argv[0]} (actions: {', '.join(ACTIONS)})")
        from onrecord.nativehost.host import run
        return run(argv)
    chosen = _actions("onrecord native-host").parse_args(argv)
    return {"manifest": _manifest, "install": _install, "uninstall": _uninstall, "status": _status}[chosen.action](chosen)


def _manifest(a) -> int:
    from onrecord.nativehost.registration import manifest_text
    sys.stdout.write(manifest_text(a.browser))
    return 0


def _install(a) -> int:
    from onrecord.nativehost.registration import Registrar, host_program
    scope = "system" if a.system else "user"
    registrar = Registrar()
    program = host_program()
    if not program.exists():
        print(f"onrecord: warning: {program} does not exist; browsers will not be able to start the host",
              file=sys.stderr)
    browsers = registrar.browsers(scope, everyone=a.all, only=a.browser)
    if not browsers:
        print("No browser found to register with (Chrome, Chromium, Edge, Brave, Firefox); "
              "use --browser NAME or --all to register anyway.")
        return 0
    for where in registrar.install(scope, browsers):
        extra = f" (registry {where.registry_key})" if where.registry_key else ""
        print(f"Registered for {where.browser}: {where.manifest_path}{extra}")
    return 0


def _uninstall(a) -> int:
    from onrecord.nativehost.registration import Registrar
    from onrecord.nativehost.registration import BROWSERS
    removed = Registrar().uninstall("system" if a.system else "user", [a.browser] if a.browser else BROWSERS)
    for where in removed:
        print(f"Removed for {where.browser}: {where.manifest_path}")
    if not removed:
        print("Nothing to remove: the host was not registered" + (" machine-wide." if a.system else " for this user."))
    return 0


def status_report() -> list[dict]:
    """Each browser's registration per scope, for ``onrecord status --json`` (registration_state())."""
    from onrecord.nativehost.registration import registration_state
    return registration_state()


def _status(a) -> int:
    from onrecord.nativehost.registration import registration_state
    states = registration_state()
    if a.json:
        print(json.dumps(states, indent=2))
        return 0
    for s in states:
        if s["registered"]:
            note = "" if s["program_exists"] else f" (but {s['program']} is missing)"
            print(f"{s['browser']:<9} {s['scope']:<7} registered: {s['manifest']}{note}")
    if not any(s["registered"] for s in states):
        print("The native messaging host is not registered for any browser: run `onrecord native-host install`.")
    return 0
