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


@pytest.fixture(scope="session")
def playwright_instance():
    """The one Playwright of the test run: its sync API allows one running instance per thread, and the
    extension's browser tests and the settings pages' tests both drive Chromium through it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
