"""Pack files: every problem reported with its line; extends merged."""

from onrecord.policy import loader

GOOD_RULE = """  - id: r1
    category: conduct
    severity: warn
    channels: [any]
    triggers: [{phrases: [rude]}]
    message: Be nice.
    source: Policy 1
"""


def problems_of(text):
    data, problems = loader.parse(text)
    return problems + (loader.check_structure(data) if data is not None else [])


def test_a_good_pack_has_no_problems():
    assert problems_of("id: p\ntitle: P\nrules:\n" + GOOD_RULE) == []


def test_every_problem_with_its_line():
    text = ("id: p\ntitle: P\ncolour: blue\nrules:\n" + GOOD_RULE +
            "  - id: r1\n    category: gossip\n    severity: loud\n    channels: [myspace]\n"
            "    triggers: [{phrases: [x]}]\n    message: m\n    source: s\n    colour: red\n")
    found = {(p.line, p.message.split(":")[0]) for p in problems_of(text)}
    lines = sorted(line for line, _ in found)
    assert lines == [3, 12, 13, 14, 15, 19]
    messages = " ".join(p.message for p in problems_of(text))
    for part in ("unknown key 'colour'", "used twice", "'gossip' is not one of", "'loud' is not one of",
                 "'myspace' is not one of"):
        assert part in messages


def test_missing_keys_name_the_rule():
    msgs = [str(p) for p in problems_of("id: p\ntitle: P\nrules:\n  - id: r\n    category: conduct\n")]
    assert any("rule r" in m and "'severity' is missing" in m for m in msgs)
    assert all(m.startswith("line 4") for m in msgs)


def test_yaml_syntax_error_has_its_line():
    [problem] = problems_of("id: p\ntitle: P\nrules:\n  - id: [unclosed\n")
    assert problem.line == 5 and "not valid YAML" in problem.message


def test_duplicate_keys_are_reported():
    problems = problems_of("id: p\ntitle: P\nid: q\nrules: []\n")
    assert any(p.line == 3 and "appears twice" in p.message for p in problems)


def test_merge_adds_replaces_and_drops():
    parent = {"id": "a", "title": "A", "lexicons": {"x": ["one"]}, "rules": [{"id": "a1"}, {"id": "a2"}, {"id": "a3"}]}
    child = {"id": "b", "title": "B", "lexicons": {"y": ["two"]}, "drop": ["a2"],
             "rules": [{"id": "a3", "message": "new"}, {"id": "b1"}]}
    merged, problems = loader.merge(parent, child)
    assert problems == []
    assert [r["id"] for r in merged["rules"]] == ["a3", "b1", "a1"]
    assert merged["rules"][0]["message"] == "new"
    assert merged["lexicons"] == {"x": ["one"], "y": ["two"]} and merged["id"] == "b"


def test_dropping_an_unknown_rule_is_a_problem():
    child = loader.parse("id: b\ntitle: B\ndrop: [nope]\n")[0]
    _, problems = loader.merge({"id": "a", "title": "A", "rules": []}, child)
    assert problems[0].line == 3 and "no rule 'nope'" in problems[0].message


def test_the_format_is_a_json_schema_applied_with_lines():
    # The schema is the pack format: a wrong value deep in a rule is reported at its own line.
    text = "id: p\ntitle: P\nversion: two\nexpires: someday\nrules:\n" + GOOD_RULE + "    fix: {type: append, wording: poem}\n"
    problems = problems_of(text)
    by_line = {p.line: p.message for p in problems}
    assert "version" in by_line[3] and "integer" in by_line[3]
    assert "expires" in by_line[4]
    assert by_line[13].startswith("rule r1: rules[0].fix")
    assert problems_of("id: p\ntitle: P\nversion: 3\nexpires: 2027-01-31\nrules:\n" + GOOD_RULE) == []


def test_extends_adds_to_the_parents_lists_and_remove_takes_entries_out():
    parent = {"id": "a", "title": "A", "org_names": ["A Trust"],
              "lexicons": {"insults": ["muppet", "clown"], "other": {"phrases": ["x"], "except": ["x y"]}},
              "media": {"handles": ["bbcnews", "gbnews"]}, "rules": []}
    child = loader.parse("id: b\ntitle: B\norg_names: [B Trust]\nlexicons:\n  insults: [numpty]\n"
                         "  other: [z]\nremove:\n  lexicons: {insults: [clown]}\n  media: {handles: [gbnews]}\n")[0]
    merged, problems = loader.merge(parent, child)
    assert problems == []
    assert merged["org_names"] == ["A Trust", "B Trust"]
    assert merged["lexicons"]["insults"] == ["muppet", "numpty"]
    assert merged["lexicons"]["other"] == {"phrases": ["x", "z"], "except": ["x y"]}
    assert merged["media"]["handles"] == ["bbcnews"]


def test_removing_what_the_parent_lacks_is_a_problem_with_its_line():
    child = loader.parse("id: b\ntitle: B\nremove:\n  lexicons:\n    insults: [pillock]\n")[0]
    _, problems = loader.merge({"id": "a", "title": "A", "lexicons": {"insults": ["muppet"]}, "rules": []}, child)
    assert problems[0].line == 5 and "'pillock'" in problems[0].message


def test_version_and_expires_belong_to_the_pack_that_states_them():
    merged, _ = loader.merge({"id": "a", "title": "A", "version": 9, "expires": "2027-01-01", "rules": []},
                             {"id": "b", "title": "B", "version": 2})
    assert merged["version"] == 2 and "expires" not in merged
