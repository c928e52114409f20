"""``onrecord autostart``."""


def register(sub) -> None:
    p = sub.add_parser("autostart", help="(not yet available)")
    p.set_defaults(func=lambda a: p.error("not yet available"))
