"""Media and journalists: the draft answers or addresses a news outlet.

An outlet is recognised by its handle (``@guardian``) in ``reply_to`` or in the draft, or by its web
domain (``theguardian.com``) when the draft is a comment under an article. The pack lists both, and
words that name a newspaper's site (``gazette``, ``echo``) for local papers it does not list.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import options

KEYS = ("media_target",)

_HOST = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://)?(?:www\.|m\.|amp\.)?([^/:?#\s]+)", re.IGNORECASE)


def host_of(value: str) -> str:
    m = _HOST.match(value.strip())
    return m.group(1).lower().rstrip(".") if m else ""


def is_news_domain(value: str, domains) -> bool:
    host = host_of(value)
    return bool(host) and "." in host and any(host == d or host.endswith("." + d) for d in domains)


def looks_like_news(value: str, words) -> bool:
    """A site not in the list whose name says it is a newspaper ("...gazette.co.uk", "...news.com")."""
    host = host_of(value)
    if "." not in host:
        return False
    name = host.rsplit(".", 2)[0] if host.endswith((".co.uk", ".org.uk")) else host.rsplit(".", 1)[0]
    return any(w in name for w in words)


def compile(key, value, ctx):
    opts = options(value, {"mentions": True})
    handles = frozenset(h.lower().lstrip("@") for h in ctx.pack_value("media_handles", ()))
    domains = tuple(d.lower() for d in ctx.pack_value("news_domains", ()))
    words = tuple(w.lower() for w in ctx.pack_value("news_domain_words", ()))
    mention_lexicon = ctx.pack_value("media_lexicon", None) if opts["mentions"] else None

    def check(scan) -> bool:
        reply = (scan.reply_to or "").strip()
        if reply:
            bare = reply.lower().lstrip("@").split("@", 1)[0]
            if bare in handles or is_news_domain(reply, domains):
                return True
            if scan.site == "comments" and words and looks_like_news(reply, words):
                return True
        return bool(mention_lexicon and mention_lexicon in scan.hits)

    return check
