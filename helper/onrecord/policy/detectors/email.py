"""E-mail addresses. ``personal_only`` leaves out the organisation's own domains (``org_domains`` in
the pack), whose mailboxes are published contact points rather than someone's personal details."""

from __future__ import annotations

import re

from onrecord.policy.detectors import gated, options, text_literal

KEYS = ("email",)

_EMAIL = re.compile(r"[\w.+\-']+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def find(text: str) -> list[tuple[str, str]]:
    return [(m.group(0), m.group(1).lower().rstrip(".")) for m in _EMAIL.finditer(text)]


def is_org_domain(domain: str, org_domains) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in org_domains)


def compile(key, value, ctx):
    opts = options(value, {"personal_only": False})
    personal_only = bool(opts["personal_only"])
    org_domains = tuple(ctx.pack_value("org_domains", ()))

    def check(scan) -> bool:
        if "@" not in scan.text:
            return False
        for _, domain in find(scan.text):
            if not (personal_only and is_org_domain(domain, org_domains)):
                return True
        return False

    return gated(ctx, _EMAIL, check, [text_literal("@")])
