"""The answers of a moment ago (``policy.memo``): the same draft checked again (the user presses Post, the
box gains focus) gets the answer already worked out, and anything the answer depends on that changes
(the draft, its site, account, context, the account replied to and its bio, the profile, the pack) gets
a fresh one, exactly what an engine without a memo gives. The memo keeps little, briefly, by a digest
that holds nothing of the draft."""

import dataclasses

import pytest

from onrecord.policy.engine import check
from onrecord.policy.memo import DRAFT_FIELDS, SECONDS, SIZE, AnswerMemo
from onrecord.policy.model import Draft
from onrecord.policy.packs import PackLibrary

WORK = "Proud that the health and wellbeing boards guidance my team wrote went live today."
BASE = Draft(WORK, "x", "@amyclarke", "reply", "@someone", None)


def _memo_less(pack_id: str):
    pack = PackLibrary().load(pack_id)
    pack.answers = AnswerMemo(size=0)
    return pack


@pytest.fixture()
def dh():
    return PackLibrary().load("dh")


def test_the_same_draft_again_gets_the_answer_already_worked_out(amy, dh):
    first = check(BASE, amy, dh)
    assert check(Draft(*dataclasses.astuple(BASE)), amy, dh) is first
    assert {p.category for p in first.prompts} >= {"disclaimer", "identity"}
    assert len(dh.answers) == 1


# Each case changes one thing the answer depends on, and the changed answer must differ from the first.
CHANGES = {
    "text": lambda d, p: (dataclasses.replace(d, text="Lovely walk by the river this morning."), p, "dh"),
    "site": lambda d, p: (dataclasses.replace(d, site="mastodon"), p, "dh"),
    "account": lambda d, p: (dataclasses.replace(d, account="@AmyatDH"), p, "dh"),
    "context": lambda d, p: (dataclasses.replace(d, context="edit"), p, "dh"),
    "reply_to": lambda d, p: (dataclasses.replace(d, reply_to="@BBCNews"), p, "dh"),
    "reply_to_bio": lambda d, p: (dataclasses.replace(d, reply_to_bio="Health correspondent, The Guardian"), p, "dh"),
    "profile": lambda d, p: (d, dataclasses.replace(p, organisation="UK Health Security Agency"), "dh"),
    "profile account": lambda d, p: (d, dataclasses.replace(p, accounts=tuple(
        dataclasses.replace(a, bio_has_disclaimer=True) if a.handle == "@amyclarke" else a for a in p.accounts)), "dh"),
    "pack": lambda d, p: (d, p, "nhs-england"),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_a_change_to_anything_the_answer_depends_on_gets_a_fresh_answer(amy, what):
    library = PackLibrary()
    first = check(BASE, amy, library.load("dh"))
    draft, profile, pack_id = CHANGES[what](BASE, amy)
    again = check(draft, profile, library.load(pack_id))
    fresh = check(draft, profile, _memo_less(pack_id))
    assert fresh.to_json_text() != first.to_json_text(), f"the case for {what} must change the answer"
    assert again.to_json_text() == fresh.to_json_text()
    # ...and the first draft again still gets its own answer.
    assert check(BASE, amy, library.load("dh")).to_json_text() == first.to_json_text()


def test_the_key_covers_every_field_of_a_draft():
    assert DRAFT_FIELDS == tuple(f.name for f in dataclasses.fields(Draft))
    memo, profile = AnswerMemo(), object()
    keys = {memo.key(profile, BASE)}
    for name in DRAFT_FIELDS:
        keys.add(memo.key(profile, dataclasses.replace(BASE, **{name: (getattr(BASE, name) or "") + "x"})))
    assert len(keys) == len(DRAFT_FIELDS) + 1


def test_the_key_is_a_keyed_digest_holding_nothing_of_the_draft(amy):
    one, other = AnswerMemo(), AnswerMemo()
    key = one.key(amy, BASE)
    assert isinstance(key, bytes) and len(key) == 16
    assert WORK.encode() not in key and key == one.key(amy, BASE)
    assert other.key(amy, BASE) != key  # each memo's own random key: no digest can be worked out outside


def test_answers_are_given_again_for_a_minute_at_most(amy, dh):
    now = [1000.0]
    dh.answers = AnswerMemo(clock=lambda: now[0])
    first = check(BASE, amy, dh)
    now[0] += SECONDS - 1
    assert check(BASE, amy, dh) is first
    now[0] += 2
    check(dataclasses.replace(BASE, text="Lovely walk by the river."), amy, dh)
    assert len(dh.answers) == 1  # the old answer was dropped at this check
    again = check(BASE, amy, dh)
    assert again is not first and again.to_json_text() == first.to_json_text()


def test_the_memo_keeps_a_bounded_number_of_answers(amy, dh):
    for i in range(SIZE + 50):
        check(dataclasses.replace(BASE, text=f"{WORK} Day {i}."), amy, dh)
    assert len(dh.answers) == SIZE
    # The oldest went first: the latest is still there, the first is not.
    last = dataclasses.replace(BASE, text=f"{WORK} Day {SIZE + 49}.")
    assert dh.answers.get(dh.answers.key(amy, last)) is not None
    assert dh.answers.get(dh.answers.key(amy, dataclasses.replace(BASE, text=f"{WORK} Day 0."))) is None


def test_a_pack_compiled_again_starts_with_no_answers(amy, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text("id: ours\ntitle: Ours\nextends: dh\n", encoding="utf-8")
    library = PackLibrary()
    before = check(BASE, amy, library.load(str(path)))
    # The organisation's pack changes: a rule that now quotes the work words as confidential.
    path.write_text("id: ours\ntitle: Ours\nextends: dh\nrules:\n  - id: ours.guidance\n    category: confidential\n"
                    "    severity: warn\n    channels: [any]\n    triggers: [{phrases: [guidance]}]\n"
                    "    message: Guidance is not public until published.\n    source: Ours 1\n", encoding="utf-8")
    after = check(BASE, amy, library.load(str(path)))
    assert "confidential" not in {p.category for p in before.prompts}
    assert "confidential" in {p.category for p in after.prompts}
