"""``onrecord clients [--json]`` and ``onrecord clients revoke ID``: the paired browsers."""

from __future__ import annotations

import json
from datetime import datetime

from onrecord.store import clients


def register(sub) -> None:
    p = sub.add_parser("clients", help="list the browsers that connected (natively or paired), or revoke a paired one")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=list_clients)
    psub = p.add_subparsers(dest="clients_command", metavar="ACTION", parser_class=type(p))
    ls = psub.add_parser("list", help="list paired browsers (the default)")
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    ls.set_defaults(func=list_clients)
    rv = psub.add_parser("revoke", help="revoke a paired browser: its next request is refused")
    rv.add_argument("id", type=int, help="the id shown by `onrecord clients`")
    rv.set_defaults(func=revoke)


def _local(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "never"


def list_clients(args) -> int:
    found = clients.list_clients()
    native = clients.list_native()
    if args.json:
        # Paired browsers (with the id that revokes them) first, then those connected by native messaging.
        print(json.dumps([c.to_json() | {"connection": "http"} for c in found] + [b.to_json() for b in native],
                         indent=2))
        return 0
    if native:
        print("Connected by native messaging (no pairing needed):")
        _table([("BROWSER", "EXTENSION", "FIRST CONNECTED", "LAST CONNECTED")]
               + [(b.browser, b.origin, _local(b.first_seen), _local(b.last_seen)) for b in native])
        if found:
            print()
            print("Paired over HTTP:")
    if not found:
        if not native:
            print("No browser has connected yet: install the extension (it connects by itself where "
                  "`onrecord native-host install` has registered OnRecord), or run `onrecord pair` and type the "
                  "code in the extension.")
        return 0
    rows = [("ID", "ORIGIN", "PAIRED", "LAST SEEN", "STATE")]
    rows += [(str(c.id), c.origin, _local(c.paired_at), _local(c.last_seen),
              f"revoked {_local(c.revoked_at)}" if c.revoked else "active") for c in found]
    _table(rows)
    return 0


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def revoke(args) -> int:
    client = clients.revoke(args.id)
    print(f"Revoked browser {client.id} ({client.origin}): its next request will be refused.")
    return 0
