"""Whether an official post strays outside the author's declared expertise.

The pack lists policy topics (``topics:``, each a lexicon). The profile's expertise and job title are
read with the same lexicons to find the topics the author covers; the draft is off-expertise when it
names at least one topic and none of them is the author's (nor any phrase of the declared expertise).
A post that names no policy topic at all ("Thread below on how they work") is never flagged.
"""

from onrecord.policy.detectors import needing, options, with_spans

KEYS = ("off_expertise",)

DECLARED_LEXICON = "@profile.expertise"
TOPIC_PREFIX = "topic:"


def topics_in(hits) -> set[str]:
    return {name[len(TOPIC_PREFIX):] for name in hits if name.startswith(TOPIC_PREFIX)}


def compile(key, value, ctx):
    options(value, {})

    def check(scan) -> bool:
        found = topics_in(scan.hits)
        if not found:
            return False
        if DECLARED_LEXICON in scan.hits or found & scan.facts.expertise_topics:
            return False
        return True

    # A hit of some topic lexicon is needed (the pack's topics are all known when it compiles).
    # (An exception list's own hits, "topic:x!except", are named like topics too.)
    topics = [n for n in ctx.lexicons if n.startswith(TOPIC_PREFIX)]
    def spans(scan):
        return scan.char_spans([h for name, found in scan.hits.items() if name.startswith(TOPIC_PREFIX)
                                and not name.endswith("!except") for h in found])

    return with_spans(needing(check, topics + [n + "!except" for n in topics]), spans)
