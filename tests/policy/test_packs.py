"""The built-in packs and their loader: ids, caching, custom packs by path, every rule's examples."""

import os
import time

import pytest

from onrecord.errors import PackError
from onrecord.policy import examples
from onrecord.policy.packs import PackInvalid, builtin_ids, list_builtin, load_pack, validate_file

BUILTIN = ("civil-service", "dh", "nhs-england")


def test_builtin_ids_leave_out_the_shared_base():
    assert builtin_ids() == sorted(BUILTIN)
    assert "common" in builtin_ids(include_abstract=True)
    assert [p["id"] for p in list_builtin()] == sorted(BUILTIN)


def test_packs_are_cached_by_id():
    assert load_pack("dh") is load_pack("dh")


def test_every_rule_has_what_the_contract_asks_for():
    for pid in BUILTIN:
        pack = load_pack(pid)
        assert pack.rules, pid
        for rule in pack.rules:
            assert rule.message and rule.source and rule.triggers
            assert rule.examples.get("fire") and rule.examples.get("pass"), rule.id


def test_every_category_is_covered_by_each_pack():
    from onrecord.policy.model import CATEGORIES
    for pid in BUILTIN:
        assert {r.category for r in load_pack(pid).rules} == set(CATEGORIES), pid


def _all_examples():
    for pid in BUILTIN:
        pack = load_pack(pid)
        for ex in examples.examples_of(pack):
            yield pytest.param(pid, ex, id=f"{pid}:{ex.rule_id}:{ex.kind}:{ex.line}")


@pytest.mark.parametrize("pid, example", list(_all_examples()))
def test_rule_examples(pid, example):
    failures = [msg for ex, msg in examples.run(load_pack(pid)) if ex == example]
    assert not failures, failures[0]


def test_dh_extends_civil_service_and_drops_what_it_replaces():
    dh, cs = load_pack("dh"), load_pack("civil-service")
    dh_ids, cs_ids = {r.id for r in dh.rules}, {r.id for r in cs.rules}
    assert {"dh.expertise", "dh.clearance", "dh.permanence.official"} <= dh_ids
    assert "cs.expertise" in cs_ids and "cs.expertise" not in dh_ids
    assert "cs.patient-data" in dh_ids
    assert dh.disclaimer["full"].endswith("the {organisation}.") and dh.data["organisation"] == "Department of Health and Social Care"


CUSTOM = """id: trust
title: A trust's own pack
extends: nhs-england
drop: [nhse.commercial.suppliers]
rules:
  - id: trust.car-park
    category: confidential
    severity: warn
    channels: [any]
    triggers: [{phrases: [car park plans]}]
    message: The car park plans are not public yet.
    source: Trust estates policy 2.1
    examples:
      fire: ["Seen the car park plans?"]
      pass: ["Parked in the car park."]
"""


def test_custom_pack_by_path_extends_adds_and_drops(tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    pack = load_pack(str(path))
    ids = {r.id for r in pack.rules}
    assert "trust.car-park" in ids and "nhse.commercial.suppliers" not in ids and "nhse.patient-data" in ids
    assert load_pack(str(path)) is pack
    assert examples.run(pack) == []


def test_changed_file_is_reloaded(tmp_path):
    path = tmp_path / "trust.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    first = load_pack(str(path))
    path.write_text(CUSTOM.replace("A trust's own pack", "Renamed"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert load_pack(str(path)).title == "Renamed" and first.title != "Renamed"


def test_validate_reports_every_problem_with_lines(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(CUSTOM.replace("category: confidential", "category: gossip")
                    .replace("drop: [nhse.commercial.suppliers]", "drop: [nhse.nothing]")
                    .replace("[{phrases: [car park plans]}]", "[{lexicon: no_such_lexicon}]"), encoding="utf-8")
    problems = validate_file(str(path))
    assert [p.line for p in problems] == [7]  # structure problems come first: the category
    path.write_text(CUSTOM.replace("drop: [nhse.commercial.suppliers]", "drop: [nhse.nothing]")
                    .replace("[{phrases: [car park plans]}]", "[{lexicon: no_such_lexicon}]"), encoding="utf-8")
    problems = validate_file(str(path))
    assert [p.line for p in problems] == [4]
    path.write_text(CUSTOM.replace("[{phrases: [car park plans]}]", "[{lexicon: no_such_lexicon}]"), encoding="utf-8")
    [problem] = validate_file(str(path))
    assert problem.line == 10 and "no lexicon named 'no_such_lexicon'" in problem.message


@pytest.mark.parametrize("ref, message", [
    ("nope", "no built-in policy pack 'nope'"),
    ("/does/not/exist.yaml", "no such pack file"),
])
def test_missing_packs(ref, message):
    with pytest.raises(PackError, match=message):
        load_pack(ref)


def test_extends_loops_and_missing_parents(tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\ntitle: A\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("id: b\ntitle: B\nextends: a.yaml\n")
    with pytest.raises(PackInvalid, match="loop"):
        load_pack(str(tmp_path / "a.yaml"))
    (tmp_path / "c.yaml").write_text("id: c\ntitle: C\nextends: missing-pack\n")
    with pytest.raises(PackInvalid, match="line 3: extends: no built-in policy pack"):
        load_pack(str(tmp_path / "c.yaml"))


def test_not_utf8_pack(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: p\ntitle: Caf\xe9\n")
    with pytest.raises(PackError, match="not UTF-8"):
        load_pack(str(path))
