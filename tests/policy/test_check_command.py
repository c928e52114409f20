"""``onrecord check`` as a user runs it: the real command in its own process."""

import json

import pytest

from policy_helpers import PROFILES, run_cli

AMY = str(PROFILES / "dh-amy.yaml")


def test_readable_by_default():
    proc = run_cli("check", "--profile", AMY, "--site", "x", "--account", "@amyclarke",
                   "Proud of the Department of Health's new guidance")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert out.startswith("x @amyclarke (personal account)")
    assert "- disclaimer [confirm]:" in out and "Source: " in out and 'Fix: add "' in out
    assert "    Read the policy: https://" in out


def test_json_is_one_object_and_stdin_is_read():
    proc = run_cli("check", "--json", "--profile", AMY, "--site", "linkedin", "--account", "amy-clarke", "-",
                   stdin="Sharing the OFFICIAL-SENSITIVE briefing".encode())
    data = json.loads(proc.stdout)
    assert proc.returncode == 0 and proc.stdout.decode().count("\n") == 1
    assert data["account"] == {"site": "linkedin", "handle": "amy-clarke", "channel": "personal"}
    assert "classified" in {p["category"] for p in data["prompts"]}


def test_no_text_argument_reads_stdin_too():
    proc = run_cli("check", "--json", "--profile", AMY, "--site", "x", "--account", "@amyclarke",
                   stdin="Vote Labour on Thursday!".encode())
    assert "political" in {p["category"] for p in json.loads(proc.stdout)["prompts"]}


def test_saved_profile_is_used_without_profile(tmp_path):
    home = tmp_path / "home"
    assert run_cli("profile", "import", AMY, home=home).returncode == 0
    proc = run_cli("check", "--json", "--site", "x", "--account", "@AmyatDH", "Boards are live.", home=home)
    assert proc.returncode == 0 and json.loads(proc.stdout)["account"]["channel"] == "official"


@pytest.mark.parametrize("args, stdin, message", [
    (["--site", "x", "--account", "@a", "-"], b"   \n", "the draft is empty"),
    (["--site", "x", "--account", "@a", "-"], b"a" * (100 * 1024 + 1), "over 100 KB"),
    (["--site", "x", "--account", "@a", "-"], b"caf\xe9 latte", "not UTF-8"),
    (["--site", "myspace", "--account", "@a", "hi"], None, "unknown site 'myspace'"),
    (["--site", "x", "--context", "tweet", "--account", "@a", "hi"], None, "unknown context 'tweet'"),
    (["--site", "x", "hi"], None, "--account"),
])
def test_bad_input_is_one_line_and_exit_2(args, stdin, message):
    proc = run_cli("check", "--profile", AMY, *args, stdin=stdin)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and message in err and "Traceback" not in err


def test_missing_and_invalid_profiles_and_packs(tmp_path):
    proc = run_cli("check", "--profile", str(tmp_path / "none.yaml"), "--site", "x", "--account", "@a", "hi")
    assert proc.returncode == 2 and "no such profile file" in proc.stderr.decode()
    bad_profile = tmp_path / "bad.yaml"
    bad_profile.write_text("name: A\norganisation: B\npolicy_pack: dh\ncolour: red\n")
    proc = run_cli("check", "--profile", str(bad_profile), "--site", "x", "--account", "@a", "hi")
    assert proc.returncode == 2 and "colour" in proc.stderr.decode()
    broken_pack = tmp_path / "pack.yaml"
    broken_pack.write_text("id: p\ntitle: P\nrules:\n  - id: r\n    category: gossip\n    severity: warn\n"
                           "    channels: [any]\n    triggers: [{always: true}]\n    message: m\n    source: s\n")
    profile = tmp_path / "p.yaml"
    profile.write_text("name: A\norganisation: B\npolicy_pack: pack.yaml\naccounts: []\n")
    proc = run_cli("check", "--profile", str(profile), "--site", "x", "--account", "@a", "hi")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and "line 5" in err and "gossip" in err
    proc = run_cli("check", "--site", "x", "--account", "@a", "hi", home=tmp_path / "empty-home")
    assert proc.returncode == 2 and "no saved profile" in proc.stderr.decode()
