"""``onrecord pair``."""


def register(sub) -> None:
    p = sub.add_parser("pair", help="(not yet available)")
    p.set_defaults(func=lambda a: p.error("not yet available"))
