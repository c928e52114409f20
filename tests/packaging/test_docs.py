"""The install and IT guides name only commands that exist, and the build workflow covers every
platform with the self-test."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from onrecord.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def commands_in(text: str) -> set[str]:
    return set(re.findall(r"\bonrecord ([a-z][a-z-]+)\b", text))


def test_guides_name_only_real_commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    real = set(sub.choices)
    for guide in ("docs/it-guide.md", "docs/install.md"):
        named = commands_in((ROOT / guide).read_text())
        assert named, guide
        assert named <= real, f"{guide} names commands that do not exist: {sorted(named - real)}"


def test_it_guide_covers_what_administrators_need():
    text = (ROOT / "docs" / "it-guide.md").read_text()
    for topic in ("onrecord profile import", "policy_pack", "ExtensionInstallForcelist", "policies.json",
                  "helperPort", "ONRECORD_HOME", "autostart", "Uninstall"):
        assert topic in text, topic


def test_build_workflow_builds_and_self_tests_on_every_platform():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "build.yml").read_text())
    jobs = workflow["jobs"]
    runners = {str(os) for job in jobs.values() for os in job.get("strategy", {}).get("matrix", {}).get("os", [])}
    assert any("windows" in r for r in runners) and any("macos" in r for r in runners) \
        and any("ubuntu" in r for r in runners)
    text = (ROOT / ".github" / "workflows" / "build.yml").read_text()
    assert "--self-test" in text and "packaging/onrecord.spec" in text
