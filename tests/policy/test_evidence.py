"""Evidence: every prompt about words in the draft names the spans that set it off (CONTRACT section 3),
in code points of the draft as given, end exclusive; prompts that come from the situation name none."""

import json

import pytest

from onrecord.policy.engine import check_text, merge_spans, quote

from policy_helpers import PROFILES, run_cli

SITUATIONAL = {"permanence", "unknown_account"}


def _prompts(profile, text, account="@amyclarke", **kw):
    return {p.category: p for p in check_text(profile, "x", account, text, **kw).prompts}


@pytest.mark.parametrize("text, category, words", [
    ("Her NHS number is 943 476 5919, can anyone help?", "patient_data", ["943 476 5919"]),
    ("Vote Labour on Thursday!", "political", ["Vote Labour"]),
    ("Text me on 07700 900123 about Saturday.", "personal_details", ["07700 900123"]),
    ("Embargoed until Monday: the figures look good.", "confidential", ["Embargoed"]),
    ("You absolute moron, read it first.", "conduct", ["moron"]),
    ("Attached the OFFICIAL-SENSITIVE annex.", "classified", ["OFFICIAL-SENSITIVE"]),
    ("Proud of the consultation response my team published today.", "disclaimer", ["consultation response"]),
])
def test_each_category_quotes_its_words(amy, text, category, words):
    prompt = _prompts(amy, text)[category]
    quoted = [text[a:b] for a, b in prompt.matches]
    assert quoted == words
    for w in words:
        assert f"\u201c{w}\u201d" in prompt.message


def test_offsets_are_code_points_of_the_draft_as_given(amy):
    # Characters outside the BMP, combining accents and a letter that lower() makes longer (\u0130) before
    # the words: the spans still point at them in the draft as sent.
    for prefix in ("\U0001F600\U0001F44D ", "Cafe\u0301 ", "\u0130stanbul trip done. "):
        text = prefix + "Vote Labour on Thursday! Proud of the consultation response."
        prompts = _prompts(amy, text)
        assert [text[a:b] for a, b in prompts["political"].matches] == ["Vote Labour"], prefix  # an expression
        assert [text[a:b] for a, b in prompts["disclaimer"].matches] == ["consultation response"], prefix  # words


def test_situational_prompts_have_no_matches(amy, profiles):
    for p in check_text(amy, "x", "@nobody-declared", "Lovely walk.").prompts:
        assert p.category in SITUATIONAL and not p.matches
    official = _prompts(amy, "Boards are live in every council.", account="@AmyatDH")
    assert not official["clearance"].matches and not official["permanence"].matches
    assert "matches" not in official["clearance"].to_json()


def test_merge_and_quote():
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 10)]) == ((0, 4), (5, 10))
    assert quote("a" * 100, [(0, 100)]).endswith("\u2026\u201d")
    assert quote("one two one", [(0, 3), (8, 11), (4, 7)]) == "\u201cone\u201d, \u201ctwo\u201d"


def test_through_the_command_line():
    text = "Call me on 0044 7700 900987, my NHS number is 943\u00a0476-5919."
    proc = run_cli("check", "--json", "--profile", str(PROFILES / "dh-amy.yaml"), "--site", "x", "--account",
                   "@amyclarke", "-", stdin=text.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    prompts = {p["category"]: p for p in json.loads(proc.stdout)["prompts"]}
    assert [text[m["start"]:m["end"]] for m in prompts["personal_details"]["matches"]] == ["0044 7700 900987"]
    assert [text[m["start"]:m["end"]] for m in prompts["patient_data"]["matches"]] == ["943\u00a0476-5919"]
    assert "matches" not in prompts["permanence"]


@pytest.mark.parametrize("text", [
    "Her NHS number is 943 476 5919 \u2013 \u201cthanks\u201d, caf\u00e9 \U0001F600. Vote Labour! Text me on 07700 900123.",
    "Embargoed until Monday: the new NHS guidance. Text me on 07700 900123 about it.",
    'A "quoted" back\\slash and a tab\t: you absolute moron.',
])
def test_the_answer_text_is_the_json_of_the_prompts(amy, text):
    # The helper answers with JSON put together from pieces each prompt keeps: it must be exactly the JSON
    # of what the prompts say, quoted words, spans and all.
    from onrecord.policy.model import dumps
    result = check_text(amy, "x", "@amyclarke", text)
    assert any(p.matches for p in result.prompts)
    assert result.to_json_text() == dumps(result.to_json())
    assert json.loads(result.to_json_text()) == result.to_json()
