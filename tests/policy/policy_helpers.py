"""Helpers and fixtures for the policy tests: the corpus profiles, one-rule packs, the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.policy.engine import check
from onrecord.policy.model import Draft
from onrecord.policy.packs import load_pack
from onrecord.profile import load_profile, profile_from_dict

HERE = Path(__file__).resolve().parent
PROFILES = HERE / "profiles"
ROOT = HERE.parents[1]


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def profiles() -> dict:
    return {p.name: load_profile(p) for p in PROFILES.glob("*.yaml")}


@pytest.fixture
def amy(profiles):
    return profiles["dh-amy.yaml"]


@pytest.fixture
def raj(profiles):
    return profiles["nhse-raj.yaml"]


@pytest.fixture
def jo(profiles):
    return profiles["minister-jo.yaml"]


def categories(result) -> set[str]:
    return {p.category for p in result.prompts}


@pytest.fixture
def one_rule(tmp_path):
    """``one_rule(trigger_yaml) -> fires(text, **situation)``: a pack with a single rule on the shared
    vocabulary, so a detector is tested the way packs use it."""
    counter = iter(range(1000))

    def make(trigger: str, channels: str = "[any]", extra: str = ""):
        path = tmp_path / f"one-{next(counter)}.yaml"
        path.write_text(
            "id: one\ntitle: One rule\nextends: common\n" + extra +
            "rules:\n  - id: one.rule\n    category: conduct\n    severity: warn\n"
            f"    channels: {channels}\n    triggers: [{trigger}]\n    message: m\n    source: s\n",
            encoding="utf-8")
        pack = load_pack(str(path))
        profile = profile_from_dict({
            "name": "T", "organisation": "NHS England", "policy_pack": str(path), "roles": ["nhs_staff"],
            "job_title": "Commissioning manager", "expertise": ["commissioning", "primary care"],
            "line_manager": "L", "accounts": [
                {"site": "x", "handle": "@me", "channel": "personal"},
                {"site": "x", "handle": "@meofficial", "channel": "official"},
                {"site": "linkedin", "handle": "me", "channel": "personal", "bio_has_disclaimer": True},
                {"site": "comments", "handle": "Me", "channel": "personal"}]})

        def fires(text, site="x", account="@me", context="post", reply_to=None, profile=profile):
            result = check(Draft(text, site, account, context, reply_to), profile, pack)
            return any(p.id == "one.rule" for p in result.prompts)
        return fires
    return make


def run_cli(*args, stdin: bytes | None = None, home: Path | None = None) -> subprocess.CompletedProcess:
    """The real ``onrecord`` command, as a separate process."""
    env = dict(os.environ)
    if home is not None:
        env["ONRECORD_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "onrecord", *args], input=stdin, capture_output=True,
                          env=env, timeout=120)
