"""check(draft, profile, pack) -> prompts: which of the pack's rules apply to this draft, here, now.

A rule applies when the account's channel, the site, the context and the user's roles match it; it
fires when one of its triggers does and none of its ``unless`` triggers does. One prompt per category
(the strongest), strongest first. Nothing here stores or logs the draft.
"""

from __future__ import annotations

import re

from onrecord.errors import BadInput, PackError
from onrecord.policy.model import CONTEXTS, MAX_DRAFT_BYTES, AccountInfo, CheckResult, Draft, Fix, Prompt
from onrecord.policy.pack import Pack, Rule, current_name
from onrecord.policy.pack import fill as fill_wording
from onrecord.policy.packs import PackLibrary, list_builtin, load_pack
from onrecord.policy.scan import Scan
from onrecord.profile import SITES, Profile
from onrecord.sites import character_limit

__all__ = ["check", "check_text", "validate_draft", "list_packs", "pack_rules", "count_chars"]

_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_X_LINK_LENGTH = 23  # X and Mastodon count every link as 23 characters, whatever its length
_MASTODON_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_REMOTE_MENTION = re.compile(r"(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# X weighs a character 1 in these code point ranges (Latin, Greek, Cyrillic, general punctuation...) and
# 2 elsewhere (CJK, emoji), against its 280 (twitter-text's configuration, version 3).
_X_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


def count_chars(site: str, text: str) -> int:
    """Characters as the site counts them: on X links count 23 and CJK and emoji 2; on Mastodon links
    count 23 and a remote @user@server only its @user; elsewhere code points (never fewer than the
    site counts, so a disclaimer said to fit does)."""
    if site == "x":
        if "://" in text or "www." in text.lower():  # no link without one of these
            text = _URL.sub("x" * _X_LINK_LENGTH, text)
        return len(text) if text.isascii() else len(text) + len(_X_HEAVY.findall(text))
    if site == "mastodon":
        if "://" in text:
            text = _MASTODON_URL.sub("x" * _X_LINK_LENGTH, text)
        if "@" in text:
            text = _REMOTE_MENTION.sub(r"\1", text)
    return len(text)


def validate_draft(draft: Draft) -> None:
    if draft.site not in SITES:
        raise BadInput(f"unknown site {draft.site!r} (sites: {', '.join(SITES)})")
    if draft.context not in CONTEXTS:
        raise BadInput(f"unknown context {draft.context!r} (contexts: {', '.join(CONTEXTS)})")
    if not isinstance(draft.text, str) or not draft.text.strip():
        raise BadInput("the draft is empty")
    if len(draft.text.encode("utf-8", "surrogatepass")) > MAX_DRAFT_BYTES:
        raise BadInput(f"the draft is over {MAX_DRAFT_BYTES // 1024} KB")
    if not isinstance(draft.account, str) or not draft.account.strip():
        raise BadInput("no account named: say which account the draft is posted from")


def _wordings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def fill(text: str, organisation: str) -> str:
    """A pack wording in the user's own terms (``policy.pack.fill``: the organisation, "the" where it takes one)."""
    return fill_wording(text, organisation)


def _fix(rule: Rule, pack: Pack, draft: Draft, organisation: str = "") -> tuple[Fix | None, str]:
    """The fix for a rule, fitted to the site, and a note for the message when it cannot fit."""
    spec = rule.fix
    if not spec:
        return None, ""
    if "text" in spec:
        return Fix("append", fill(spec["text"], organisation)), ""
    wording = spec["wording"]
    disc = pack.disclaimer
    if wording == "disclaimer":
        blog = draft.site == "blog" or draft.context == "blog"
        full = _wordings(disc.get("blog" if blog and disc.get("blog") else "full"))
    else:
        full = _wordings(disc.get(wording))
    short = _wordings(disc.get("short"))
    organisation = organisation or pack.data.get("organisation") or ""
    full = [fill(t, organisation) for t in full]
    short = [fill(t, organisation) for t in short]
    limit = character_limit(draft.site, draft.context)
    if limit is None or not (full or short):
        return (Fix("append", full[0]), "") if full else (None, "")
    used = count_chars(draft.site, draft.text.rstrip())
    # Scarce characters (the full wording would take over a tenth of the post: X, Bluesky, Mastodon): the
    # general disclaimer comes from the pack's short list (longest that fits); a specific wording (media,
    # reference), or any wording where posts are long (LinkedIn, Facebook), is kept when it fits, else the
    # short list stands in.
    scarce = not full or 10 * len(full[0]) > limit
    candidates = (short or full) if wording == "disclaimer" and scarce else (full + short)
    for text in candidates:
        if used + 1 + len(text) <= limit:
            return Fix("append", text), ""
    text = min(candidates, key=len)
    over = used + 1 + len(text) - limit
    return Fix("append", text), (f" Even the short wording does not fit the {limit}-character limit: "
                                 f"shorten the post by {over} character{'s' if over != 1 else ''} to add it.")


def _prompt(rule: Rule, pack: Pack, draft: Draft, facts=None, organisation: str = "") -> Prompt:
    """The rule's prompt with its fix fitted to the draft, naming ``organisation`` (the account's own), else
    the profile's. Prompts are immutable, so each rule keeps the few it has made (one per organisation, fix
    and note) rather than building one per check."""
    made = rule.prompts
    organisation = organisation or (facts.organisation if facts is not None else "") or pack.data.get("organisation") or ""
    fitted = None
    if rule.fix and "wording" in rule.fix:
        # A fitted wording depends on the site, the context (a blog; a comment's own limit), and the
        # characters the draft already uses where they are limited: with those the same, so is the prompt.
        site, context = draft.site, draft.context
        fitted = (organisation, site, context,
                  count_chars(site, draft.text.rstrip()) if character_limit(site, context) is not None else -1)
        prompt = made.get(fitted)
        if prompt is not None:
            return prompt
        fix, note = _fix(rule, pack, draft, organisation)
        key = (organisation, fix, note)
    else:
        key = organisation
    prompt = made.get(key)
    if prompt is None:
        fix, note = key[1:] if isinstance(key, tuple) else _fix(rule, pack, draft, organisation)
        prompt = Prompt(rule.id, rule.category, rule.severity, fill(rule.message, organisation) + note, rule.source,
                        fix, (), rule.link)
    if len(made) > 256:  # notes name how many characters to cut: keep the memory bounded
        made.clear()
    made[key] = prompt
    if fitted is not None:
        made[fitted] = prompt
    return prompt


_QUOTE_MAX = 40  # characters of one quoted span in a message
_QUOTES = 3  # spans quoted in a message at most


def merge_spans(spans) -> tuple:
    """Sorted spans with overlapping or touching ones joined."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def quote(text: str, matches) -> str:
    """The words of the first few spans, as the message shows them ("943 476 5919", "Tories")."""
    words: list[str] = []
    for a, b in matches:
        w = " ".join(text[a:b].split())
        if len(w) > _QUOTE_MAX:
            w = w[:_QUOTE_MAX - 1].rstrip() + "\u2026"
        if w and w not in words:
            words.append(w)
        if len(words) == _QUOTES:
            break
    return ", ".join(f"\u201c{w}\u201d" for w in words)


def _with_evidence(prompt: Prompt, rule: Rule, scan: Scan) -> Prompt:
    """The prompt with the spans that set it off, and its message quoting them. Made afresh for each
    draft and never kept: the quoted words are the draft's."""
    spans = rule.evidence(scan)
    if not spans:
        return prompt
    # Rules resting on the same words (the disclaimer and identity prompts on the work words) quote them
    # once per draft.
    key = ("quoted", tuple(spans))
    done = scan.memo.get(key)
    if done is None:
        matches = merge_spans(spans)
        done = scan.memo[key] = (matches, quote(scan.text, matches))
    matches, words = done
    if not matches:
        return prompt
    if "{words}" in prompt.message:
        message = prompt.message.replace("{words}", words)
    else:
        message = f"{words}: {prompt.message}"
    return prompt.with_evidence(message, matches)


def _run(draft: Draft, profile: Profile, pack: Pack) -> CheckResult:
    index, facts = pack.facts_for(profile)
    acc = facts.find_account(profile, draft.site, draft.account)
    channel = acc.channel if acc else "unknown"
    # An agency's staff name their own body on its accounts, whatever the profile or the organisation says.
    own = current_name(acc.organisation, pack.data.get("renamed") or {}) if acc is not None and acc.organisation else ""
    scan = Scan(draft.text, draft.site, draft.context, draft.reply_to, channel, acc, facts, pack, index,
                draft.reply_to_bio)
    prompts: list[Prompt] = []
    seen: set[str] = set()
    present = scan.present
    for rule in pack.rules_for(channel, draft.site, draft.context, facts.roles):
        if rule.category in seen:
            continue
        need = rule.need
        if need is not None and need.isdisjoint(present):  # no trigger can hold: skip the call
            continue
        if rule.fires(scan):
            seen.add(rule.category)
            prompt = _prompt(rule, pack, draft, facts, own)
            if rule.words:
                prompt = _with_evidence(prompt, rule, scan)
            prompts.append(prompt)
    info = AccountInfo(draft.site, acc.handle if acc else draft.account.strip(), channel)
    return CheckResult(info, tuple(prompts))


def check(draft: Draft, profile: Profile, pack=None, *, library: PackLibrary | None = None) -> CheckResult:
    """Check a draft against ``pack`` (a Pack, an id or a path), or else the profile's own pack; ids and
    paths are compiled by ``library`` (the caller's own, or else the module's shared one)."""
    validate_draft(draft)
    if pack is None or isinstance(pack, str):
        load = library.load if library is not None else load_pack
        pack = load(profile.policy_pack if pack is None else pack, base_dir=profile.base_dir)
    if pack.abstract:
        raise PackError(f"pack {pack.id!r} is only a base for other packs; choose one that extends it")
    # The same draft comes again when the user presses Post or comes back to the box: the answer of a
    # moment ago, found by a keyed digest of everything it depends on (``policy.memo``).
    memo = pack.answers
    key = memo.key(profile, draft)
    if key is not None:
        result = memo.get(key)
        if result is not None:
            return result
    result = _run(draft, profile, pack)
    if key is not None:
        memo.put(key, result)
    return result


def check_text(profile: Profile, site: str, account: str, text: str, context: str = "post",
               reply_to: str | None = None, reply_to_bio: str | None = None, *,
               library: PackLibrary | None = None) -> CheckResult:
    """The entry point for the command line and the helper: loads the profile's pack and checks."""
    return check(Draft(text, site, account, context or "post", (reply_to or "").strip() or None,
                       (reply_to_bio or "").strip() or None), profile, library=library)


def list_packs() -> list[dict]:
    """Built-in packs for the settings window: ``[{id, title, disclaimer: {full, short, ...}}]``."""
    return list_builtin()


def pack_rules(ref: str, base_dir: str | None = None) -> list[dict]:
    """A pack's rules for display: ``[{id, category, severity, message, source}]``."""
    return load_pack(ref, base_dir=base_dir).rules_summary()
