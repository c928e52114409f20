"""check(draft, profile, pack) -> prompts: which of the pack's rules apply to this draft, here, now.

A rule applies when the account's channel, the site, the context and the user's roles match it; it
fires when one of its triggers does and none of its ``unless`` triggers does. One prompt per category
(the strongest), strongest first. Nothing here stores or logs the draft.
"""

from __future__ import annotations

import re

from onrecord.errors import BadInput, PackError
from onrecord.policy.model import CONTEXTS, MAX_DRAFT_BYTES, AccountInfo, CheckResult, Draft, Fix, Prompt
from onrecord.policy.pack import Pack, Rule
from onrecord.policy.packs import list_builtin, load_pack
from onrecord.policy.scan import Scan
from onrecord.profile import SITES, Profile
from onrecord.sites import CHARACTER_LIMITS

__all__ = ["check", "check_text", "validate_draft", "list_packs", "pack_rules", "SITE_LIMITS", "count_chars"]

# Characters a post may hold where they are scarce; elsewhere the pack's full wording is offered.
SITE_LIMITS = CHARACTER_LIMITS
_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_X_LINK_LENGTH = 23  # X counts every link as 23 characters, whatever its length


def count_chars(site: str, text: str) -> int:
    """Characters as the site counts them (links count 23 on X; otherwise code points)."""
    if site == "x" and ("://" in text or "www." in text.lower()):  # no link without one of these
        return len(_URL.sub("x" * _X_LINK_LENGTH, text))
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


def _fix(rule: Rule, pack: Pack, draft: Draft) -> tuple[Fix | None, str]:
    """The fix for a rule, fitted to the site, and a note for the message when it cannot fit."""
    spec = rule.fix
    if not spec:
        return None, ""
    if "text" in spec:
        return Fix("append", spec["text"]), ""
    wording = spec["wording"]
    disc = pack.disclaimer
    if wording == "disclaimer":
        blog = draft.site == "blog" or draft.context == "blog"
        full = _wordings(disc.get("blog" if blog and disc.get("blog") else "full"))
    else:
        full = _wordings(disc.get(wording))
    short = _wordings(disc.get("short"))
    limit = SITE_LIMITS.get(draft.site)
    if limit is None or not (full or short):
        return (Fix("append", full[0]), "") if full else (None, "")
    used = count_chars(draft.site, draft.text.rstrip())
    # Scarce characters: the general disclaimer comes from the pack's short list (longest that fits);
    # a specific wording (media, reference) is kept when it fits, else the short list stands in.
    candidates = (short or full) if wording == "disclaimer" else (full + short)
    for text in candidates:
        if used + 1 + len(text) <= limit:
            return Fix("append", text), ""
    text = min(candidates, key=len)
    over = used + 1 + len(text) - limit
    return Fix("append", text), (f" Even the short wording does not fit the {limit}-character limit: "
                                 f"shorten the post by {over} character{'s' if over != 1 else ''} to add it.")


def _prompt(rule: Rule, pack: Pack, draft: Draft) -> Prompt:
    """The rule's prompt with its fix fitted to the draft. Prompts are immutable, so each rule keeps
    the few it has made (one per fix and note) rather than building one per check."""
    made = rule.prompts
    if rule.fix and "wording" in rule.fix:
        fix, note = _fix(rule, pack, draft)
        key = (fix, note)
    else:
        key = None
    prompt = made.get(key)
    if prompt is None:
        fix, note = key if key is not None else _fix(rule, pack, draft)
        prompt = Prompt(rule.id, rule.category, rule.severity, rule.message + note, rule.source, fix)
        if len(made) > 64:  # notes name how many characters to cut: keep the memory bounded
            made.clear()
        made[key] = prompt
    return prompt


def _run(draft: Draft, profile: Profile, pack: Pack) -> CheckResult:
    index, facts = pack.facts_for(profile)
    acc = facts.find_account(profile, draft.site, draft.account)
    channel = acc.channel if acc else "unknown"
    scan = Scan(draft.text, draft.site, draft.context, draft.reply_to, channel, acc, facts, pack, index)
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
            prompts.append(_prompt(rule, pack, draft))
    info = AccountInfo(draft.site, acc.handle if acc else draft.account.strip(), channel)
    return CheckResult(info, tuple(prompts))


def check(draft: Draft, profile: Profile, pack=None) -> CheckResult:
    """Check a draft against ``pack`` (a Pack, an id or a path), or else the profile's own pack."""
    validate_draft(draft)
    if pack is None:
        pack = load_pack(profile.policy_pack, base_dir=profile.base_dir)
    elif isinstance(pack, str):
        pack = load_pack(pack, base_dir=profile.base_dir)
    if pack.abstract:
        raise PackError(f"pack {pack.id!r} is only a base for other packs; choose one that extends it")
    return _run(draft, profile, pack)


def check_text(profile: Profile, site: str, account: str, text: str, context: str = "post",
               reply_to: str | None = None) -> CheckResult:
    """The entry point for the command line and the helper: loads the profile's pack and checks."""
    return check(Draft(text, site, account, context or "post", (reply_to or "").strip() or None), profile)


def list_packs() -> list[dict]:
    """Built-in packs for the settings window: ``[{id, title, disclaimer: {full, short, ...}}]``."""
    return list_builtin()


def pack_rules(ref: str, base_dir: str | None = None) -> list[dict]:
    """A pack's rules for display: ``[{id, category, severity, message, source}]``."""
    return load_pack(ref, base_dir=base_dir).rules_summary()
