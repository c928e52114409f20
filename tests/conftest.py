"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
PROFILES = CORPUS / "profiles"


def corpus_cases() -> list[dict]:
    with open(CORPUS / "examples.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture
def onrecord_home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty data folder for the test (ONRECORD_HOME is the contract's own switch)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ONRECORD_HOME", str(home))
    return home
