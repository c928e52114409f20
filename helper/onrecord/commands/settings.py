"""``onrecord settings``: open the settings window of the running helper again.

The helper's runtime file says where it listens; its window key (``window.key``, 0600, made anew at
each start) lets this process open a window the settings API will answer.
"""

from __future__ import annotations

from onrecord.errors import OnRecordError
from onrecord.store import instance
from onrecord.ui import access


class NoWindowKey(OnRecordError):
    code = "no_window_key"


def register(sub) -> None:
    p = sub.add_parser("settings", help="open the settings window of the running helper")
    p.add_argument("--print-url", action="store_true",
                   help="print the window's address (with its window key) instead of opening a window")
    p.set_defaults(func=_settings)


def settings_window_url() -> str:
    runtime = instance.require_running()
    key = access.read_key_file()
    if not key:
        raise NoWindowKey(f"the running helper (pid {runtime.pid}) has no settings window key: "
                          "restart it with `onrecord run`")
    return access.window_url(runtime.port, key)


def _settings(args) -> int:
    url = settings_window_url()
    if args.print_url:
        print(url)
        return 0
    from onrecord.ui.window import run_window
    run_window(url)
    return 0
