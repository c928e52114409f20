"""Media and journalists (002 section 3.5): the draft answers a news outlet or someone who writes for one.

- ``media_target``: the account replied to is an outlet or a journalist. Recognised from the pack's
  data (``media.handles`` on any site, ``media.sites`` per site, ``media.journalists``, and
  ``media.handle_prefixes`` for an outlet's programmes and correspondents: @BBCHughPym), from what the
  page shows of that account (``reply_to_bio``: "Health correspondent, The Times"), by the outlet's
  domain when the draft answers an article's address, or by an outlet named in the draft
  (``mentions``). A comment under an article is *not* a reply to the media by itself: see
  ``news_comment``.
- ``news_comment``: the draft is a comment in a news site's comment box (the article's address, or a
  site whose name says it is a newspaper). The packs combine it with what the comment says: an
  official account must not comment on third parties' content at all; a personal one only needs the
  prompt when it answers the piece or touches work.
"""

from __future__ import annotations

import re

from onrecord.policy.detectors import options, with_spans

KEYS = ("media_target", "news_comment")

_HOST = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://)?(?:www\.|m\.|amp\.)?([^/:?#\s]+)", re.IGNORECASE)
# What a page says of a journalist: their bio or title.
_JOURNALIST = re.compile(
    r"\b(?:journalist|reporter|correspondent|editor|sub-?editor|columnist|broadcaster|presenter|newsreader|"
    r"news\s*desk|newsroom|producer|commissioning\s+editor|political\s+hack|writes\s+for|writer\s+(?:at|for)|"
    r"feature\s+writer|staff\s+writer|freelance\s+writer|media\s+outlet|news\s+outlet|news\s+agency|"
    r"newspaper|magazine|podcast\s+host|lobby\s+journalist)s?\b",
    re.IGNORECASE,
)


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


def _bare(handle: str) -> str:
    return handle.strip().lower().lstrip("@").split("@", 1)[0]


def _handle_and_bio(scan) -> tuple[str, str]:
    """The handle replied to, and what the page says of that account (its bio, or words after the handle)."""
    reply = (scan.reply_to or "").strip()
    handle, _, rest = reply.partition(" ")
    bio = getattr(scan, "reply_to_bio", None) or ""
    return handle, (bio + " " + rest).strip()


def compile(key, value, ctx):
    media = ctx.pack_value("media", {}) or {}
    domains = tuple(d.lower() for d in media.get("domains", ()))
    words = tuple(w.lower() for w in ctx.pack_value("news_domain_words", ()) or ())
    if key == "news_comment":
        options(value, {})

        def is_news_comment(scan) -> bool:
            if scan.site != "comments" and scan.context != "comment":
                return False
            handle = (scan.reply_to or "").strip()
            return bool(handle) and "." in host_of(handle) and (
                is_news_domain(handle, domains) or (bool(words) and looks_like_news(handle, words)))
        return is_news_comment

    opts = options(value, {"mentions": True})
    anywhere = frozenset(_bare(h) for h in media.get("handles", ()))
    anywhere |= frozenset(_bare(h) for h in media.get("journalists", ()))
    per_site = {site: frozenset(_bare(h) for h in handles) for site, handles in (media.get("sites") or {}).items()}
    outlet_names = tuple(n.lower() for n in media.get("outlet_names", ()))
    prefixes = tuple(p.lower().lstrip("@") for p in media.get("handle_prefixes", ()))
    mention_lexicon = ctx.pack_value("media_lexicon", None) if opts["mentions"] else None
    # A bio that says the account is not the press ("fan account", "not affiliated with any newspaper").
    not_press = tuple(w.lower() for w in media.get("not_press_bio", ()))

    def addressed(scan) -> bool:
        handle, bio = _handle_and_bio(scan)
        if handle:
            bare = _bare(handle)
            if bare in anywhere or bare in per_site.get(scan.site, ()):
                return True
            if prefixes and handle.startswith("@") and bare.startswith(prefixes):
                return True
            # An article's address answered from anywhere but a comment box (a quote post of it).
            if scan.site != "comments" and scan.context != "comment" and is_news_domain(handle, domains):
                return True
        if bio and not any(re.search(r"\b" + re.escape(w) + r"\b", bio.lower()) for w in not_press):
            if _JOURNALIST.search(bio):
                return True
            low = bio.lower()
            if any(re.search(r"\b" + re.escape(n) + r"\b", low) for n in outlet_names):
                return True
        return False

    def check(scan) -> bool:
        if addressed(scan):
            return True
        return bool(mention_lexicon and mention_lexicon in scan.hits)

    def spans(scan):
        # Answering an outlet is the situation; an outlet's handle in the draft is the words.
        if addressed(scan) or not mention_lexicon:
            return []
        return scan.char_spans(scan.hits.get(mention_lexicon, ()))

    return with_spans(check, spans)
