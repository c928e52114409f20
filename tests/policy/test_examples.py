"""Running a pack's examples catches rules that do not do what their examples say."""

from onrecord.policy import examples
from onrecord.policy.packs import load_pack

PACK = """id: ex
title: Examples
extends: common
example_profile:
  name: T
  organisation: Org
  policy_pack: x
  accounts: [{site: x, handle: "@me", channel: personal}]
rules:
  - id: ex.cake
    category: conduct
    severity: warn
    channels: [any]
    triggers: [{phrases: [cake]}]
    message: m
    source: s
    examples:
      fire: ["cake please", "biscuits please"]
      pass: ["tea please", "more cake"]
"""


def test_wrong_examples_are_reported_with_lines(tmp_path):
    path = tmp_path / "ex.yaml"
    path.write_text(PACK, encoding="utf-8")
    failures = examples.run(load_pack(str(path)))
    assert [(ex.line, ex.kind) for ex, _ in failures] == [(18, "fire"), (19, "pass")]
    assert "should fire but did not" in failures[0][1] and "should pass but fired" in failures[1][1]


def test_example_situations_default_from_the_rule():
    pack = load_pack("dh")
    found = {(e.rule_id, e.kind): e for e in examples.examples_of(pack)}
    official = found[("dh.expertise", "fire")]
    assert official.account == "@AmyatDH" and official.context == "post"
    edit = found[("cs.edit", "fire")]
    assert edit.context == "edit"
    unknown = found[("cs.unknown-account", "fire")]
    assert unknown.account == "@brandnew123"
