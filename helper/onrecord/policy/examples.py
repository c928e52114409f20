"""Running a pack's own examples: each rule's ``fire`` examples must fire it, its ``pass`` ones must not.

Examples are checked with the pack's ``example_profile`` (a profile written in the pack), on the
account of the example's channel and site, so pack authors test their rules the way users meet them.
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.errors import OnRecordError
from onrecord.policy.loader import line_of
from onrecord.policy.model import Draft
from onrecord.profile import profile_from_dict

UNDECLARED = "@not-declared-account"


@dataclass(frozen=True)
class Example:
    rule_id: str
    kind: str  # "fire" or "pass"
    text: str
    site: str
    account: str
    context: str
    reply_to: str | None
    profile_overrides: dict
    line: int
    reply_to_bio: str | None = None
    words: tuple = ()  # for a fire example: the words its prompt must quote


def _first(values, default):
    return sorted(values)[0] if values else default


def examples_of(pack) -> list[Example]:
    out = []
    base = pack.data.get("example_profile") or {}
    for raw in pack.data.get("rules") or []:
        rule = next((r for r in pack.rules if r.id == raw.get("id")), None)
        if rule is None:
            continue
        for kind in ("fire", "pass"):
            items = (raw.get("examples") or {}).get(kind) or []
            for i, item in enumerate(items):
                item = {"text": item} if isinstance(item, str) else dict(item)
                channel = item.get("channel") or ("personal" if rule.channels is None or "personal" in rule.channels
                                                  else _first(rule.channels, "personal"))
                site = item.get("site") or ("x" if rule.sites is None or "x" in rule.sites else _first(rule.sites, "x"))
                context = item.get("context") or ("post" if rule.contexts is None or "post" in rule.contexts
                                                  else _first(rule.contexts, "post"))
                account = item.get("account")
                if not account:
                    if channel == "unknown":
                        account = UNDECLARED
                    else:
                        match = [a for a in base.get("accounts", []) if a.get("site") == site and a.get("channel") == channel]
                        account = match[0]["handle"] if match else UNDECLARED
                out.append(Example(rule.id, kind, item["text"], site, account, context, item.get("reply_to"),
                                   dict(item.get("profile") or {}), line_of(items, i), item.get("reply_to_bio"),
                                   tuple(item.get("words") or ())))
    return out


def run(pack) -> list[tuple[Example, str]]:
    """``[(example, what went wrong)]``; empty when every example behaves."""
    from onrecord.policy.engine import check  # the engine imports the packs; import late

    base = pack.data.get("example_profile")
    failures = []
    if not base:
        return [(Example("", "fire", "", "", "", "", None, {}, line_of(pack.data, "rules")),
                 "the pack has rules with examples but no example_profile to check them with")] \
            if any(r.examples for r in pack.rules) else []
    for ex in examples_of(pack):
        data = {k: v for k, v in {**base, **ex.profile_overrides}.items() if v is not None}
        try:
            profile = profile_from_dict(data, "example_profile")
            result = check(Draft(ex.text, ex.site, ex.account, ex.context, ex.reply_to, ex.reply_to_bio), profile, pack)
        except OnRecordError as exc:
            failures.append((ex, f"could not be checked: {exc.message}"))
            continue
        prompt = next((p for p in result.prompts if p.id == ex.rule_id), None)
        fired = prompt is not None
        quoted = [ex.text[a:b] for a, b in prompt.matches] if fired else []
        if ex.kind == "fire" and fired and ex.words and not all(any(w in q for q in quoted) for w in ex.words):
            failures.append((ex, f"rule {ex.rule_id}: example should quote {list(ex.words)} but quoted {quoted}: {ex.text!r}"))
        if ex.kind == "fire" and not fired:
            got = ", ".join(p.id for p in result.prompts) or "nothing"
            failures.append((ex, f"rule {ex.rule_id}: example should fire but did not (got {got}): {ex.text!r}"))
        elif ex.kind == "pass" and fired:
            failures.append((ex, f"rule {ex.rule_id}: example should pass but fired: {ex.text!r}"))
    return failures
