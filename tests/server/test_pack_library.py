"""Each helper keeps its own compiled policy packs (``PackLibrary``, made by ``create_app``): two helpers in
one process, with different packs, never answer with the other's pack or see its changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from onrecord.app import create_app
from onrecord.service import CheckRequest

PROFILES = Path(__file__).resolve().parents[1] / "policy" / "profiles"

# An organisation's own pack: the DH pack and one rule of its own, about a project name.
OWN_PACK = """\
id: our-org
title: Our organisation
extends: dh
lexicons:
  projects: [project bluebird]
rules:
  - id: our.project
    category: confidential
    severity: warn
    channels: [any]
    triggers: [{lexicon: projects}]
    message: Project names are internal.
    source: Our handbook
"""

DRAFT = CheckRequest(site="x", account="@amyclarke", text="Project Bluebird went well today, thanks all.")


def _app(home: Path, monkeypatch, pack: str | None = None):
    home.mkdir()
    profile = (PROFILES / "dh-amy.yaml").read_text("utf-8")
    if pack is not None:
        (home / "our-pack.yaml").write_text(pack, encoding="utf-8")
        profile = profile.replace("policy_pack: dh", f"policy_pack: {home / 'our-pack.yaml'}")
    (home / "profile.yaml").write_text(profile, encoding="utf-8")
    monkeypatch.setenv("ONRECORD_HOME", str(home))
    return create_app({"ONRECORD_WINDOW_KEY_FILE": False, "AUDIT_DB": str(home / "audit.sqlite3")})


def _ids(app) -> list[str]:
    return [p.id for p in app.extensions["onrecord_service"].check(DRAFT).prompts]


def test_two_helpers_with_different_packs_keep_their_own(tmp_path, monkeypatch):
    plain = _app(tmp_path / "plain", monkeypatch)
    own = _app(tmp_path / "own", monkeypatch, OWN_PACK)

    assert "our.project" in _ids(own)
    assert "our.project" not in _ids(plain)
    plain_library, own_library = plain.extensions["onrecord_library"], own.extensions["onrecord_library"]
    assert plain_library is not own_library
    assert plain_library.loaded() == ["dh"]
    assert own_library.loaded() == [str(tmp_path / "own" / "our-pack.yaml")]

    # The same built-in pack in both is compiled by each: what one works out per profile is its own.
    assert plain_library.load("dh") is not own_library.load("dh")
    assert plain_library.load("dh") is plain_library.load("dh")


def test_a_changed_pack_file_is_seen_by_its_helper_alone(tmp_path, monkeypatch):
    first = _app(tmp_path / "first", monkeypatch, OWN_PACK)
    second = _app(tmp_path / "second", monkeypatch, OWN_PACK)
    assert "our.project" in _ids(first) and "our.project" in _ids(second)

    # The first helper's organisation renames its rule; the second's pack is another file, unchanged.
    path = tmp_path / "first" / "our-pack.yaml"
    path.write_text(OWN_PACK.replace("id: our.project", "id: our.project-renamed") + "\n", encoding="utf-8")
    assert "our.project-renamed" in _ids(first)
    assert "our.project" in _ids(second)
    shutil.rmtree(tmp_path / "first")
