"""The RE2 set that tries a pack's expressions at once must never rule out a draft an expression matches:
a miss there would be a prompt the user never sees."""

import random
import re

import pytest

from onrecord.policy.engine import check
from onrecord.policy.gate import loosen
from onrecord.policy.model import Draft
from onrecord.policy.packs import list_builtin, load_pack
from policy_helpers import HERE, read_jsonl

import re2

CORPUS_FILES = [HERE.parents[2] / "shared" / "corpus" / "examples.jsonl", HERE / "heldout.jsonl"]

PACKS = [p["id"] for p in list_builtin()]


def _drafts() -> list[str]:
    texts = [case["text"] for path in CORPUS_FILES if path.exists() for case in read_jsonl(path)]
    # The same drafts as people also type them: other scripts' digits and letters, unusual spaces and
    # dashes, all capitals, no capitals, typographic apostrophes, words run together.
    swaps = [("0", "\u0660"), ("4", "\u0664"), (" ", "\u00a0"), (" ", "\u2009"), (" ", "\u3000"), ("-", "\u2013"),
             ("e", "\u00e9"), ("a", "\u00e4"), ("'", "\u2019"), (" ", "\n"), (" ", "\x0b"), (", ", ","), (" ", "")]
    rnd = random.Random(7)
    variants = []
    for text in texts:
        variants += [text.upper(), text.lower()]
        for _ in range(3):
            a, b = rnd.choice(swaps)
            variants.append(text.replace(a, b, rnd.randint(1, 3)))
        cut = rnd.randint(0, len(text))
        variants.append(text[cut:] + "\u00e9t\u00e9 " + text[:cut])
    return texts + variants


DRAFTS = _drafts()


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_draft_an_expression_matches_gets_past_the_set(pack_id):
    pack = load_pack(pack_id)
    assert pack.gate is not None and len(pack.gate.expressions) >= 20
    missed = []
    for pattern, flags, atom in pack.gate.expressions:
        rx = re.compile(pattern, flags)
        for text in DRAFTS:
            if rx.search(text) and atom not in pack.gate.atoms(text):
                missed.append((pattern[:60], text[:60]))
    assert not missed, missed[:5]


def test_the_set_rules_out_drafts_no_expression_matches():
    pack = load_pack("nhs-england")
    everyday = "Sunday bake: lemon drizzle, slightly burnt, still delicious."
    assert len(pack.gate.atoms(everyday)) <= 2
    assert len(pack.gate.atoms("Mr Patel on ward 7, NHS number 943 476 5919, is recovering well")) >= 3


@pytest.mark.parametrize("pattern, flags, matches, misses", [
    # Look-arounds are left out, so the looser form matches more, never less.
    (r"\b(?<!people )aged\s+\d{1,3}(?!\s*\+)", re.I, ["people aged 40+", "Aged 84"], ["ageless"]),
    # Python's \d, \w and \s are Unicode; so are their RE2 stand-ins.
    (r"ward\s+\d+", re.I, ["WARD\u00a0\u0667"], ["ward seven"]),
    (r"\b\w+ Ltd\b", 0, ["Caf\u00e9 Ltd"], ["Cafe ltd"]),
    (r"ward\s+7", 0, ["ward\x0b7", "ward\u20097"], ["ward7"]),
    (r"[^\w\s]{2}", 0, ["e\u0301\u0301", "!!"], []),
    # An inline flag changes case only where it applies.
    (r"(?i:vote)\s+Labour", 0, ["VOTE Labour"], ["vote labour"]),
    # A wide count loses its upper bound (looser still); a narrow one keeps it.
    (r"send\b[^.]{0,5}\byour", 0, ["send me all of your", "send your"], ["send. your"]),
    (r"\bward\s\d{1,3}\b", 0, ["ward 7", "ward 123"], ["ward seven"]),
])
def test_looser_forms_in_re2(pattern, flags, matches, misses):
    loose = re2.compile(loosen(pattern, flags))
    for text in matches:
        assert loose.search(text), text
    for text in misses:
        assert not loose.search(text), text


def test_wide_counts_lose_their_upper_bound_and_narrow_ones_keep_it():
    assert "{0,}" in loosen(r"send\b[^.]{0,25}\byour", 0) and "25" not in loosen(r"send\b[^.]{0,25}\byour", 0)
    assert "{1,3}" in loosen(r"\d{1,3}", 0) and "{10,10}" in loosen(r"\d{10}", 0)


def test_the_expressions_are_split_over_a_few_sets_and_answer_as_one(amy):
    pack = load_pack("dh")
    assert len(pack.gate._sets) > 1
    assert sum(len(atoms) for _, atoms in pack.gate._sets) == len(pack.gate.every)
    # A draft that several expressions in different sets match has all of their atoms.
    text = "Mr Patel on ward 7, NHS number 943 476 5919: DM me your address. Vote Labour! #ad"
    found = set(pack.gate.atoms(text))
    assert set(pack.gate.atoms(text, text.encode("utf-8"))) == found
    for match, atoms in pack.gate._sets:
        assert {atoms[i] for i in match(text.encode("utf-8")) or ()} <= found
    assert len({a for match, atoms in pack.gate._sets for a in (atoms[i] for i in match(text.encode("utf-8")) or ())}) >= 4


def test_a_draft_re2_cannot_read_is_still_checked_by_every_expression(amy):
    # A lone surrogate (sent by a broken page) cannot be given to RE2 as UTF-8: every expression runs.
    text = "Vote Labour on Thursday \ud800"
    pack = load_pack("dh")
    assert pack.gate.atoms(text) == pack.gate.every
    result = check(Draft(text, "x", "@amyclarke"), amy, pack)
    assert "political" in [p.category for p in result.prompts]


def test_the_nhs_number_stand_in_matches_wherever_the_number_expression_does():
    # The NHS number expression has a back-reference (the same separator twice), which RE2 lacks: the
    # set holds a looser stand-in instead, which must match wherever the expression does.
    from onrecord.policy.detectors.nhs_number import _CANDIDATE, _LOOSE
    samples = DRAFTS + ["943 476 5919", "9434765919", "943-476-5919", "x943 476-5919", "NHS no. 401\u00a0023\u00a02137"]
    for text in samples:
        if _CANDIDATE.search(text):
            assert _LOOSE.search(text), text


def test_letters_that_fold_unusually_let_every_expression_run(amy):
    # "\u017f" (long s) matches s, and "\u212a" (Kelvin) matches k, in Python's case-insensitive
    # expressions; RE2 folds case by other tables, so a draft holding one skips the set altogether.
    pack = load_pack("dh")
    scan_atoms = pack.present("x", "Ward 7 \u017fide room", {}, True)
    assert pack.gate.every <= scan_atoms


# RE2 in place of ``re`` (``policy.gate.fast_finder``): the same matches, at the same places, or a
# prompt would quote other words than the ones that set it off, or not fire at all.

def _ascii_drafts() -> list[str]:
    texts = [t for t in DRAFTS if t.isascii()]
    # Edge cases for the translation: vertical tabs and other ASCII spaces, a last newline, a draft that
    # is only a marking, words run together, brackets.
    return texts + ["DRAFT\n", "x\x0bDRAFT:\x1cplan\n", "aged 84\n", "Mr\x1fPatel, 84, and recovering", "(84)",
                    "Labour's\x0bWard", "SECRET:", "f**k", "a 23-year-olds' club", "ward\x0c7 bed 12a"]


def _hold_re2_to_re(pack_id, drafts, find_in) -> None:
    """Every expression of the pack RE2 can stand in for gives ``re``'s matches on every draft."""
    from onrecord.policy.gate import fast_finder
    pack = load_pack(pack_id)
    used = 0
    for pattern, flags, _atom in pack.gate.expressions:
        find = fast_finder(pattern, flags)
        if find is None:
            continue
        used += 1
        rx = re.compile(pattern, flags)
        for text in drafts:
            found = find_in(find, text)
            assert found is None or found == [m.span() for m in rx.finditer(text)], (pattern[:80], text[:80])
    assert used >= len(pack.gate.expressions) * 3 // 4


@pytest.mark.parametrize("pack_id", PACKS)
def test_re2_finds_every_match_re_finds_in_ascii_drafts(pack_id):
    def in_ascii(find, text):
        found = find(text, text.encode("ascii"))
        assert found is not None
        return found
    _hold_re2_to_re(pack_id, _ascii_drafts(), in_ascii)


@pytest.mark.parametrize("pack_id", PACKS)
def test_re2_finds_every_match_re_finds_in_drafts_of_any_script(pack_id):
    # Other scripts' digits and letters, no-break and thin spaces, dashes, accents, emoji: RE2 reads the
    # UTF-8 and says where a match could start; the offsets it gives back are code points of the draft.
    from onrecord.policy.gate import Utf8
    drafts = [t for t in DRAFTS if not t.isascii()] + [
        "\U0001F600 Mr Patel, 84, on ward 7 \u2013 NHS number 943\u00a0476\u00a05919 \U0001F44D",
        "caf\u00e9 \u201cDRAFT\u201d: Labour\u2019s ward \u0660\u0664 f**k \u00e9t\u00e9 07700\u2009900123"]
    _hold_re2_to_re(pack_id, drafts, lambda find, text: find(text, None, Utf8(text)))


@pytest.mark.parametrize("pattern, flags, text", [
    (r"\bLabour\b(?!'s\s+[Ww]ard)", 0, "Labour's Ward, Labour again, Labour's ward"),  # a look-ahead: re checks each place
    (r"(?<=\s)[A-Z][a-z]{2,}\b", 0, "Mr Patel met Dr Jones and Ann"),  # a look-behind sees the text before
    (r"\s+x", 0, "a\x0bx b\x1cx c\tx"),  # \s takes in \v and \x1c-\x1f in re, not in RE2
    (r"(?i)\bward\s*\d+", 0, "WARD 7, Ward12, award 3"),
    (r"a|ab|abc", 0, "abc ab a"),  # the first alternative that matches wins, as in re
    (r"\d{1,3}?\d", 0, "12345"),  # lazy counts
])
def test_re2_and_re_agree_on_the_hard_cases(pattern, flags, text):
    from onrecord.policy.gate import fast_finder
    find = fast_finder(pattern, flags)
    assert find is not None
    assert find(text, text.encode("ascii")) == [m.span() for m in re.compile(pattern, flags).finditer(text)]


def test_an_expression_that_may_match_nothing_keeps_to_re():
    from onrecord.policy.gate import fast_finder
    assert fast_finder(r"x*", 0) is None
    assert fast_finder(r"\b", 0) is None
