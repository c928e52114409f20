"""``onrecord pair``: print a one-time pairing code for the running helper."""

from __future__ import annotations

import json
import time

from onrecord.store import clients, instance


def register(sub) -> None:
    p = sub.add_parser("pair", help="print a one-time pairing code for the running helper")
    p.add_argument("--json", action="store_true", help='print {"code", "expires_at", "url"}')
    p.set_defaults(func=pair)


def pair(args) -> int:
    runtime = instance.running()
    if runtime is None and not instance.is_locked():
        instance.require_running()  # says it is not running, and how to start it
    code = clients.new_pairing_code()  # a full disk is said here, before anything is printed
    if runtime is None:
        instance.require_running()  # running, but where is unknown: says why
    if args.json:
        print(json.dumps({"code": code.code, "expires_at": code.expires_at, "url": runtime.url}))
        return 0
    minutes = round((code.expires_at - time.time()) / 60)
    print(code.code)
    print(f"Type this code in the OnRecord extension (its toolbar button) within {minutes} minutes. "
          f"It works once; the helper is at {runtime.url}.")
    return 0
