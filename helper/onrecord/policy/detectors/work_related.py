"""Whether the draft touches the author's work.

The evidence, all looked up in the one pass over the draft: the organisation's names, handles and
hashtags (from the pack and the profile, including the handles of the user's official and corporate
accounts); the user's job title and declared expertise; and the organisation's business vocabulary
(the pack's ``work_related`` lexicons). Generic words are in those lexicons only in qualified forms
("board meeting", not "board"), so a board game or a birthday party is not work.
"""

from onrecord.policy.detectors import options

KEYS = ("work_related",)

PROFILE_LEXICON = "@profile.work"


def compile(key, value, ctx):
    options(value, {})
    names = tuple(ctx.lexicon_ref(n) for n in ctx.pack_value("work_related", ())) + (PROFILE_LEXICON,)

    def check(scan) -> bool:
        hits = scan.hits
        return any(n in hits for n in names)

    return check
