"""Word lists match the words as drafts write them: American spellings of the packs' British words, and
verb forms of a pack's ``word*`` that its rules cannot guess without the Snowball stemmer. The prompts
quote the words as written."""

from dataclasses import replace
from pathlib import Path

import pytest

from onrecord.policy.engine import check_text
from onrecord.policy.packs import PackLibrary


def _prompts(profile, text, account="@amyclarke", library=None):
    return {p.category: p for p in check_text(profile, "x", account, text, library=library).prompts}


@pytest.mark.parametrize("text, category, words", [
    # "programme board" and "community diagnostic centre" are work; so they are in American spelling.
    ("Great program board this morning, the rollout is on track.", "disclaimer", ["program board"]),
    ("Shadowed the team at the community diagnostic center today, impressive work.", "disclaimer",
     ["community diagnostic center"]),
    # "our organisation", possessive and American at once.
    ("Long day of meetings about our organization's priorities.", "disclaimer", ["our organization's"]),
    # "rumours from" is gossip from inside.
    ("Everyone's been hearing rumors from the department about the reshuffle.", "confidential", ["rumors from"]),
])
def test_american_spellings_of_listed_words_set_prompts_off(amy, text, category, words):
    prompt = _prompts(amy, text).get(category)
    assert prompt is not None, f"no {category} prompt for {text!r}"
    assert [text[a:b] for a, b in prompt.matches if text[a:b] in words] == words
    for w in words:
        assert f"\u201c{w}\u201d" in prompt.message


@pytest.mark.parametrize("text", [
    "Center Parcs weekend with the kids, the pool was great.",
    "Labor Day sale: half price on all the garden furniture.",
    "Finally learned to make flor de sal caramel.",
])
def test_american_spellings_do_not_make_everyday_posts_work_or_politics(amy, text):
    assert not {"disclaimer", "political", "identity"} & set(_prompts(amy, text))


OWN_PACK = """\
id: referrals
title: Referrals
extends: dh
lexicons:
  referral_words: [refer*, admit*, control*]
rules:
  - id: own.referral
    category: patient_data
    severity: warn
    channels: [any]
    triggers: [{lexicon: referral_words}]
    message: Referrals are patients' business.
    source: Our handbook
"""


@pytest.mark.parametrize("text, word", [
    ("She was referred to the memory clinic last week.", "referred"),
    ("We're referring far more people than last year.", "referring"),
    ("He was admitted on Tuesday night.", "admitted"),
    ("The infection is finally controlled.", "controlled"),
])
def test_verb_forms_of_an_own_packs_words(amy, tmp_path: Path, text, word):
    # Doubling the last letter ("referred", not "refered") depends on the word: the forms the rules make
    # are kept when the stemmer finds them the same word.
    (tmp_path / "own.yaml").write_text(OWN_PACK, encoding="utf-8")
    own = replace(amy, policy_pack=str(tmp_path / "own.yaml"))
    prompt = _prompts(own, text, library=PackLibrary()).get("patient_data")
    assert prompt is not None and prompt.id == "own.referral"
    assert [text[a:b] for a, b in prompt.matches] == [word]
