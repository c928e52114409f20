import re

from onrecord.policy.detectors.pattern import prefilter


def test_prefilter_finds_the_literal_every_match_needs():
    assert prefilter(r"\bclassified\s+(?:documents?|papers)", re.I) == (("classified",), False)
    assert prefilter(r"\b(?:send|dm)\s+me\s+your\s+address", re.I) == (("address",), False)
    assert prefilter(r"\bLabour\b|\bConservatives?\b", 0) == (("Conservative", "Labour"), False)


def test_digit_and_no_prefilter():
    assert prefilter(r"\b\d{3} \d{3} \d{4}\b", 0) == ((), True)
    assert prefilter(r"\b[A-Z][a-z]+\b", 0) is None


def test_case_and_prefilter_do_not_change_what_matches(one_rule):
    sensitive = one_rule('{regex: {pattern: "\\\\bLabour\\\\b(?!\\\\s+ward)", case: sensitive}}')
    assert sensitive("Vote Labour!")
    assert not sensitive("labour pains") and not sensitive("The Labour ward was calm")
    insensitive = one_rule('{regex: "\\\\bembargo"}')
    assert insensitive("EMBARGOED until Monday") and not insensitive("Nothing to see")


def test_bad_regex_is_a_pack_error(tmp_path):
    import pytest
    from onrecord.policy.packs import PackInvalid, load_pack
    path = tmp_path / "p.yaml"
    path.write_text('id: p\ntitle: P\nrules:\n  - id: r\n    category: conduct\n    severity: warn\n'
                    '    channels: [any]\n    triggers: [{regex: "(unclosed"}]\n    message: m\n    source: s\n')
    with pytest.raises(PackInvalid) as err:
        load_pack(str(path))
    assert "line 8" in err.value.message and "regular expression" in err.value.message
