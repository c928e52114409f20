"""``onrecord clients``."""


def register(sub) -> None:
    p = sub.add_parser("clients", help="(not yet available)")
    p.set_defaults(func=lambda a: p.error("not yet available"))
