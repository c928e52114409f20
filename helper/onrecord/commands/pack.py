"""``onrecord pack``."""


def register(sub) -> None:
    p = sub.add_parser("pack", help="(not yet available)")
    p.set_defaults(func=lambda a: p.error("not yet available"))
