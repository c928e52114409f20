"""check(draft, profile, pack) -> prompts. (Interface fixed; rules and detectors to come.)"""

from __future__ import annotations

from onrecord.errors import BadInput
from onrecord.policy.model import CONTEXTS, MAX_DRAFT_BYTES, AccountInfo, CheckResult, Draft
from onrecord.profile import SITES, Profile


def validate_draft(draft: Draft) -> None:
    if draft.site not in SITES:
        raise BadInput(f"unknown site {draft.site!r} (sites: {', '.join(SITES)})")
    if draft.context not in CONTEXTS:
        raise BadInput(f"unknown context {draft.context!r} (contexts: {', '.join(CONTEXTS)})")
    if not draft.text or not draft.text.strip():
        raise BadInput("the draft is empty")
    if len(draft.text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise BadInput(f"the draft is over {MAX_DRAFT_BYTES // 1024} KB")


def check(draft: Draft, profile: Profile, pack=None) -> CheckResult:
    validate_draft(draft)
    acc = profile.find_account(draft.site, draft.account)
    info = AccountInfo(draft.site, acc.handle if acc else draft.account, acc.channel if acc else "unknown")
    return CheckResult(info, ())


def check_text(profile: Profile, site: str, account: str, text: str, context: str = "post",
               reply_to: str | None = None) -> CheckResult:
    """The entry point for the command line and the helper: loads the profile's pack and checks."""
    return check(Draft(text, site, account, context or "post", reply_to or None), profile)
