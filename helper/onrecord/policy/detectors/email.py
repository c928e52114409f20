"""E-mail addresses. ``personal_only`` leaves out published contact points rather than someone's
personal details: the organisation's own domains (``org_domains``), public bodies' domains
(``public_domains``: police.uk, ac.uk, parliament.uk, gov.scot...) and role mailboxes at any domain
(``press@``, ``enquiries@``, ``foi@``: the pack's ``role_mailboxes``)."""

from __future__ import annotations

import re

from onrecord.policy.detectors import gated, memoised, options, text_literal, with_spans

KEYS = ("email",)

_EMAIL = re.compile(r"[\w.+\-']+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def find(text: str) -> list[tuple[str, str]]:
    return [(m.group(0), m.group(1).lower().rstrip(".")) for m in _EMAIL.finditer(text)]


def is_org_domain(domain: str, org_domains) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in org_domains)


def is_role_mailbox(address: str, roles) -> bool:
    """``press@``, ``england.media@``, ``foi.requests@``: a mailbox named for a job, not a person."""
    local = address.split("@", 1)[0].lower()
    parts = set(re.split(r"[.\-_+]", local))
    return local in roles or bool(parts & roles)


def compile(key, value, ctx):
    opts = options(value, {"personal_only": False})
    personal_only = bool(opts["personal_only"])
    org_domains = tuple(d.lower() for d in ctx.pack_value("org_domains", ()) or ()) + \
        tuple(d.lower() for d in ctx.pack_value("public_domains", ()) or ())
    roles = frozenset(r.lower() for r in ctx.pack_value("role_mailboxes", ()) or ())

    @memoised  # the check and the evidence: one search
    def spans(scan):
        if "@" not in scan.text:
            return []
        out = []
        for m in _EMAIL.finditer(scan.text):
            domain = m.group(1).lower().rstrip(".")
            if personal_only and (is_org_domain(domain, org_domains) or is_role_mailbox(m.group(0), roles)):
                continue
            out.append(m.span())
        return out

    return with_spans(gated(ctx, _EMAIL, lambda scan: bool(spans(scan)), [text_literal("@")]), spans)
