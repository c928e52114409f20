"""``onrecord check``: check one draft against the policy pack, as the extension would (CONTRACT section 3)."""

from __future__ import annotations

import json
import sys

from onrecord.errors import BadInput, ProfileError
from onrecord.pack_source import is_url, kept_pack
from onrecord.policy.engine import check_text
from onrecord.policy.model import CONTEXTS, MAX_DRAFT_BYTES
from onrecord.profile import SITES, load_profile


def register(sub) -> None:
    p = sub.add_parser("check", help="check a draft post against your organisation's policy",
                       description="Check a draft post against your organisation's social media policy.")
    p.add_argument("--profile", metavar="FILE", help="profile (YAML or JSON); default: the saved profile")
    # Checked in run() rather than by argparse, so that an unknown option is the error reported first.
    p.add_argument("--site", metavar="SITE", help=f"one of: {', '.join(SITES)} (required)")
    p.add_argument("--account", metavar="HANDLE", help="the account the draft is posted from (required)")
    p.add_argument("--context", default="post", metavar="CONTEXT", help=f"one of: {', '.join(CONTEXTS)} (default post)")
    p.add_argument("--reply-to", metavar="HANDLE", help="who the draft answers (a handle, or a news site for comments)")
    p.add_argument("--reply-to-bio", metavar="TEXT",
                   help="what the page shows of the account replied to (its bio or title), e.g. \"Health correspondent\"")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("text", nargs="?", default="-", metavar="TEXT",
                   help="the draft; - or nothing reads standard input, which is better: other users of the "
                        "computer can read a program's arguments in the process list, never its input")
    p.set_defaults(func=run)


def _profile(path: str | None):
    if path:
        return load_profile(path)
    from onrecord.store import profile_store  # the saved profile is only needed without --profile

    profile = profile_store.load_saved()
    if profile is None:
        raise ProfileError(f"no saved profile in {profile_store.saved_path().parent}: "
                           "pass --profile FILE or run `onrecord profile import FILE`")
    return profile


def _effective(profile, m):
    """The profile as the helper checks with it: the organisation's managed name, pack (the last good copy
    fetched from its URL, else the profile's own meanwhile) and official accounts win."""
    if not m.values:
        return profile
    from onrecord.managed.effective import apply_to_profile
    from onrecord.pack_source import kept_ref

    return apply_to_profile(profile, m, lambda url: kept_ref(m, url))


def read_draft(text: str) -> str:
    """The draft from the argument, or from standard input for ``-``; bytes checked before decoding."""
    if text != "-":
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise BadInput("the draft is not UTF-8 text") from None
        return text
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(MAX_DRAFT_BYTES + 1) if stream is not None else sys.stdin.read().encode("utf-8")
    if len(raw) > MAX_DRAFT_BYTES:
        raise BadInput(f"the draft is over {MAX_DRAFT_BYTES // 1024} KB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"standard input is not UTF-8 text (byte {exc.start + 1})") from None


def format_result(result) -> str:
    acc = result.account
    lines = [f"{acc.site} {acc.handle} ({acc.channel} account)"]
    if not result.prompts:
        lines.append("No prompts: nothing in this draft needs a reminder.")
    for p in result.prompts:
        lines.append(f"- {p.category} [{p.severity}]: {p.message}")
        if p.matches:
            lines.append("    Words: " + ", ".join(f"{a}-{b}" for a, b in p.matches))
        lines.append(f"    Source: {p.source}")
        if p.link:
            lines.append(f"    Read the policy: {p.link}")
        if p.fix is not None:
            lines.append(f"    Fix: add \"{p.fix.text}\"")
    return "\n".join(lines)


def run(args) -> int:
    missing = [f"--{name}" for name in ("site", "account") if not getattr(args, name)]
    if missing:
        raise BadInput(f"check: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")
    from onrecord import managed

    m = managed.current()
    profile = _effective(_profile(args.profile), m)
    text = read_draft(args.text)
    if is_url(profile.policy_pack):
        # A signed pack from the organisation's server: the copy the helper fetched and kept, checked again.
        from onrecord.policy.engine import check
        from onrecord.policy.model import Draft

        pack = kept_pack(m, profile.policy_pack)
        draft = Draft(text, args.site, args.account, args.context or "post", (args.reply_to or "").strip() or None,
                      (args.reply_to_bio or "").strip() or None)
        result = check(draft, profile, pack)
    else:
        from onrecord.policy.packs import PackLibrary  # this command's own compiled packs

        result = check_text(profile, args.site, args.account, text, args.context, args.reply_to, args.reply_to_bio,
                            library=PackLibrary())
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(format_result(result))
    return 0
