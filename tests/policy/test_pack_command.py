"""``onrecord pack list | show | validate``."""

import json

from policy_helpers import ROOT, run_cli

PACKS = ROOT / "helper" / "onrecord" / "policy" / "packs"


def test_list_and_show():
    proc = run_cli("pack", "list")
    assert proc.returncode == 0 and proc.stdout.decode().splitlines()[0].startswith("civil-service: ")
    show = run_cli("pack", "show", "nhs-england").stdout.decode()
    assert "nhse.patient-data (patient_data, warn)" in show and "Source: NHS England social media policy 3.1" in show
    assert "Read the policy: https://www.england.nhs.uk/" in show
    data = json.loads(run_cli("pack", "show", "dh", "--json").stdout)
    assert data["id"] == "dh" and all(r["source"] for r in data["rules"])


def test_validate_a_good_pack():
    proc = run_cli("pack", "validate", str(PACKS / "dh.yaml"))
    assert proc.returncode == 0 and "valid" in proc.stdout.decode()


def test_validate_reports_each_problem_on_its_own_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: p\ntitle: P\ncolour: red\nrules:\n  - id: r\n    category: gossip\n    severity: loud\n"
                    "    channels: [any]\n    triggers: [{phrases: [x]}]\n    message: m\n    source: s\n")
    proc = run_cli("pack", "validate", str(path))
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 2
    assert [line.split(":")[1] for line in lines] == ["3", "6", "7"]
    assert all(line.startswith(str(path)) for line in lines)


def test_validate_runs_the_examples(tmp_path):
    path = tmp_path / "ex.yaml"
    path.write_text("id: p\ntitle: P\nextends: nhs-england\nrules:\n  - id: p.cake\n    category: conduct\n"
                    "    severity: warn\n    channels: [any]\n    triggers: [{phrases: [cake]}]\n    message: m\n"
                    "    source: s\n    examples: {fire: [\"biscuits\"], pass: [\"tea\"]}\n")
    proc = run_cli("pack", "validate", str(path))
    assert proc.returncode == 2 and "should fire but did not" in proc.stderr.decode() and ":12:" in proc.stderr.decode()


def test_unknown_pack_is_one_line():
    proc = run_cli("pack", "show", "nope")
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1
