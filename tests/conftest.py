"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

# No test reads the machine's real managed settings (/etc/onrecord) by chance, nor does a helper it starts:
# they all see an empty folder unless a test points ONRECORD_MANAGED_DIR elsewhere (or removes it, to test
# the real path on purpose).
os.environ.setdefault("ONRECORD_MANAGED_DIR", tempfile.mkdtemp(prefix="onrecord-no-managed-"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
PROFILES = CORPUS / "profiles"


def corpus_cases() -> list[dict]:
    with open(CORPUS / "examples.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


DOC_IMAGES = ROOT / "docs" / "images"


@pytest.fixture
def doc_image(tmp_path):
    """Where a test saves a screenshot that the docs show: the test's own temporary folder, so a test run
    changes no tracked file; docs/images/ only when ``ONRECORD_UPDATE_IMAGES=1`` asks for new images."""
    def where(name: str) -> Path:
        folder = DOC_IMAGES if os.environ.get("ONRECORD_UPDATE_IMAGES") == "1" else tmp_path / "images"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name
    return where


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


@pytest.fixture
def display():
    """A virtual screen of its own (Xvfb picks a free display number and tells it on a pipe)."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x960x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(10)


REAL_MANAGED = Path("/etc/onrecord")


@contextmanager
def real_managed_folder():
    """The real /etc/onrecord, empty, for a test that writes managed settings where the helper looks on Linux
    (the tests run as root in CI); whatever was there is put back afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test writes /etc/onrecord and must run as root (CI does)")
    backup = None
    if REAL_MANAGED.exists() or REAL_MANAGED.is_symlink():
        backup = REAL_MANAGED.with_name(f"onrecord.test-backup-{os.getpid()}")
        shutil.move(REAL_MANAGED, backup)
    REAL_MANAGED.mkdir()
    try:
        yield REAL_MANAGED
    finally:
        shutil.rmtree(REAL_MANAGED)
        if backup is not None:
            shutil.move(backup, REAL_MANAGED)
