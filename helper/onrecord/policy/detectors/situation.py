"""Facts about the situation rather than the words: the account, the profile and the draft's context."""

from onrecord.policy.detectors import as_list

KEYS = ("always", "bio_disclaimer", "no_line_manager", "reply_to", "channel")


def compile(key, value, ctx):
    if key == "always":
        if value is not True:
            raise ValueError("always: expected true")
        return lambda scan: True
    if key == "bio_disclaimer":
        # The account's bio already says its views are the user's own (declared in the profile).
        want = bool(value)
        return lambda scan: bool(scan.account is not None and scan.account.bio_has_disclaimer) is want
    if key == "no_line_manager":
        want = bool(value)
        return lambda scan: (not scan.facts.has_line_manager) is want
    if key == "channel":
        # The account's channel, for a trigger that only means something on some channels.
        wanted = frozenset(as_list(value))
        if not wanted or not wanted <= {"personal", "official", "corporate", "unknown"}:
            raise ValueError("channel: expected a list of personal, official, corporate, unknown")
        return lambda scan: scan.channel in wanted
    # reply_to: any | none: whether the draft answers someone.
    kinds = set(as_list(value))
    if not kinds <= {"any", "none"}:
        raise ValueError("reply_to: expected any or none")
    if kinds == {"any"}:
        return lambda scan: bool(scan.reply_to)
    return lambda scan: not scan.reply_to
