"""The labelled corpora: every public case through the real command line, and the held-out set's rates.

``heldout.jsonl`` holds drafts written apart from the rules (new wording, all categories, many
ordinary posts using words like "secret", "party", "board" and "code"). Its rates are measured here
so a change that helps one case and hurts others shows up.
"""

import json
from pathlib import Path

import pytest

from onrecord.policy.engine import check_text

from policy_helpers import HERE, PROFILES, read_jsonl, run_cli

SHARED_CORPUS = HERE.parents[2] / "shared" / "corpus"
PUBLIC = read_jsonl(SHARED_CORPUS / "examples.jsonl") if (SHARED_CORPUS / "examples.jsonl").exists() else []
HELDOUT = read_jsonl(HERE / "heldout.jsonl")


def _profile_path(case) -> Path:
    shared = SHARED_CORPUS / "profiles" / case["profile"]
    return shared if shared.exists() else PROFILES / case["profile"]


def _cli_args(case) -> list[str]:
    args = ["check", "--json", "--profile", str(_profile_path(case)), "--site", case["site"],
            "--account", case["account"], "--context", case["context"]]
    if case["reply_to"]:
        args += ["--reply-to", case["reply_to"]]
    return args + ["-"]


@pytest.mark.skipif(not PUBLIC, reason="the shared corpus is not next to this checkout")
@pytest.mark.parametrize("case", PUBLIC, ids=[c["id"] for c in PUBLIC])
def test_public_corpus_through_the_command_line(case):
    proc = run_cli(*_cli_args(case), stdin=case["text"].encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    found = {p["category"] for p in json.loads(proc.stdout)["prompts"]}
    assert set(case["expect"]) <= found, f"missing {set(case['expect']) - found}"
    assert not set(case["forbid"]) & found, f"forbidden {set(case['forbid']) & found}"


def _rates(cases, profiles):
    expected = found = forbidden = avoided = 0
    misses = []
    for case in cases:
        result = check_text(profiles[case["profile"]], case["site"], case["account"], case["text"],
                            case["context"], case["reply_to"], case.get("reply_to_bio"))
        cats = {p.category for p in result.prompts}
        expected += len(case["expect"])
        found += len(set(case["expect"]) & cats)
        forbidden += len(case["forbid"])
        avoided += len(set(case["forbid"]) - cats)
        if set(case["expect"]) - cats or set(case["forbid"]) & cats:
            misses.append((case["id"], sorted(set(case["expect"]) - cats), sorted(set(case["forbid"]) & cats)))
    return found / expected, avoided / forbidden, misses


def test_heldout_set_is_large_and_varied():
    from onrecord.policy.model import CATEGORIES
    assert len(HELDOUT) >= 150
    assert {c for case in HELDOUT for c in case["expect"]} == set(CATEGORIES)
    benign = [c for c in HELDOUT if not c["expect"] and "disclaimer" in c["forbid"]]
    assert len(benign) >= 40


def test_heldout_recall_and_false_positives(profiles):
    recall, avoided, misses = _rates(HELDOUT, profiles)
    assert recall >= 0.95 and avoided >= 0.95, misses


def test_answers_put_together_from_each_prompts_text_are_the_json_of_the_answer(profiles):
    # The helper answers checks with to_json_text(), built from the JSON text each prompt keeps.
    for case in PUBLIC + HELDOUT:
        for context in (case["context"], "reply"):
            result = check_text(profiles[case["profile"]], case["site"], case["account"], case["text"],
                                context, case["reply_to"] or "@BBCNews")
            text = result.to_json_text()
            assert text == json.dumps(result.to_json(), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
            assert json.loads(text) == result.to_json()


SAMPLE = HELDOUT[::max(1, len(HELDOUT) // 30)]  # a spread of about 30 through the real command line


@pytest.mark.parametrize("case", SAMPLE, ids=[c["id"] for c in SAMPLE])
def test_heldout_sample_through_the_command_line(case):
    proc = run_cli(*_cli_args(case), stdin=case["text"].encode("utf-8"))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["account"]["site"] == case["site"]


def _official(case, profiles) -> bool:
    acc = profiles[case["profile"]].find_account(case["site"], case["account"])
    return acc is not None and acc.channel == "official"


def test_heldout_rates_per_category(profiles):
    """At least 95% of expected prompts found and at most 2% of forbidden ones shown, in every category.

    Older cases forbid clearance on official posts from a profile that names a line manager; 000 section 8
    asks for the line management chain's permission whether or not a manager is named, so those labels are
    left out of the clearance count (and only those)."""
    from onrecord.policy.corpus import evaluate
    cases = [dict(c, forbid=[f for f in c["forbid"] if not (f == "clearance" and _official(c, profiles))])
             for c in HELDOUT]
    report = evaluate(cases, [HERE / "profiles"])
    worst = {cat: (t.found_rate, t.shown_rate) for cat, t in report.by_category.items()}
    for category, (found, shown) in worst.items():
        assert found is None or found >= 0.95, (category, found, report.misses)
        assert shown is None or shown <= 0.02, (category, shown, report.misses)


def test_corpus_report_through_the_command_line(tmp_path):
    corpus = tmp_path / "c.jsonl"
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "amy.yaml").write_text((HERE / "profiles" / "dh-amy.yaml").read_text("utf-8"), "utf-8")
    base = {"profile": "amy.yaml", "site": "x", "account": "@amyclarke", "context": "post", "reply_to": None}
    lines = [dict(base, id="a", text="Vote Labour on Thursday!", expect=["political"], forbid=["conduct"]),
             dict(base, id="b", text="Lovely walk by the canal.", expect=["conduct"], forbid=["political"]),
             dict(base, id="c", text="Text me on 07700 900123", expect=[], forbid=["personal_details"])]
    corpus.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    proc = run_cli("corpus", "report", str(corpus), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["by_category"]["political"]["found_rate"] == 1.0
    assert report["by_category"]["conduct"]["found_rate"] == 0.0
    assert report["by_category"]["personal_details"]["shown_rate"] == 1.0
    assert report["by_site"]["x"]["expected"] == 2 and report["by_pack"]["dh"]["forbidden"] == 3
    assert {(m["id"], m["kind"]) for m in report["misses"]} == {("b", "missed"), ("c", "shown")}
    text = run_cli("corpus", "report", str(corpus), "--from", "b").stdout.decode()
    assert "2 drafts" in text and "Text me" not in text  # counts and ids, never the drafts
    bad = run_cli("corpus", "report", str(tmp_path / "none.jsonl"))
    assert bad.returncode == 2 and b"no such corpus file" in bad.stderr
