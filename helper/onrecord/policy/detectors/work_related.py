"""Whether the draft touches the author's work.

The evidence, all looked up in the one pass over the draft: the organisation's names, handles and
hashtags (from the pack and the profile, including the handles of the user's official and corporate
accounts); the user's job title and declared expertise; the organisation's business vocabulary
(the pack's ``work_related`` lexicons); and a policy topic the user is expert in, when it is framed as
policy (near a word of the pack's ``work_framing`` lexicon: "services", "strategy", "funding"...).
Generic words are in those lexicons only in qualified forms ("board meeting", not "board"), so a board
game, a birthday party or a flu jab is not work.
"""

from onrecord.policy.detectors import needing, options, with_spans
from onrecord.policy.detectors.expertise import TOPIC_PREFIX
from onrecord.policy.detectors.near import any_within, pairs_within

KEYS = ("work_related",)

PROFILE_LEXICON = "@profile.work"
FRAMING_DISTANCE = 12


def compile(key, value, ctx):
    options(value, {})
    names = tuple(ctx.lexicon_ref(n) for n in ctx.pack_value("work_related", ())) + (PROFILE_LEXICON,)
    framing = ctx.pack_value("work_framing")
    framing = ctx.lexicon_ref(framing) if framing else None

    def check(scan) -> bool:
        hits = scan.hits
        if any(n in hits for n in names):
            return True
        if framing is None or framing not in hits or not scan.facts.expertise_topics:
            return False
        topical = [h for t in scan.facts.expertise_topics for h in hits.get(TOPIC_PREFIX + t, ())]
        return bool(topical) and any_within(topical, hits[framing], FRAMING_DISTANCE)

    def spans(scan):
        # The disclaimer and identity prompts both rest on this: work the spans out once per draft.
        memo = scan.memo.get("work_related_spans")
        if memo is None:
            memo = scan.memo["work_related_spans"] = _spans(scan)
        return memo

    def _spans(scan):
        hits = scan.hits
        found = [h for n in names for h in hits.get(n, ())]
        if not found and framing is not None and framing in hits:
            topical = [h for t in scan.facts.expertise_topics for h in hits.get(TOPIC_PREFIX + t, ())]
            found = pairs_within(topical, hits[framing], FRAMING_DISTANCE)
        return scan.char_spans(found)

    return with_spans(needing(check, names + ((framing,) if framing else ())), spans)
