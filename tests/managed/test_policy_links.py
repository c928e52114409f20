"""policyLinks: an organisation points the prompts' policy links at its own copies of the documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from onrecord.managed import ManagedReader
from onrecord.managed.schema import check

PROFILES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "profiles"
PDF = "https://www.england.nhs.uk/wp-content/uploads/2018/04/social-media-policy.pdf"
CODE = "https://www.gov.uk/government/publications/civil-service-code/the-civil-service-code"


def test_the_helpers_answers_link_to_the_organisations_copy_and_follow_changes(tmp_path, monkeypatch):
    from onrecord.app import create_app
    from onrecord.service import CheckRequest
    home, managed = tmp_path / "home", tmp_path / "managed"
    managed.mkdir()
    monkeypatch.setenv("ONRECORD_HOME", str(home))
    subprocess.run([sys.executable, "-m", "onrecord", "profile", "import", str(PROFILES / "nhse-raj.yaml")],
                   env={**os.environ, "ONRECORD_HOME": str(home), "ONRECORD_MANAGED_DIR": str(managed)},
                   check=True, capture_output=True)
    reader = ManagedReader(managed)
    app = create_app({"MANAGED": reader, "AUDIT_DB": str(tmp_path / "a.sqlite3"), "ONRECORD_WINDOW_KEY_FILE": False})
    service = app.extensions["onrecord_service"]
    draft = CheckRequest("x", "@rajmehta", "Our ward was so busy today, and the Tories don't care.")

    def links():
        return {p.category: p.link for p in service.check(draft).prompts}

    before = links()
    assert before["political"] == PDF + "#page=7"
    (managed / "managed.json").write_text(json.dumps({"policyLinks": {
        PDF: "https://intranet.example.nhs.uk/policies/social-media.pdf",
        CODE: "https://intranet.example.nhs.uk/code#values"}}))
    reader.current(force=True)
    after = links()
    assert after["political"] == "https://intranet.example.nhs.uk/policies/social-media.pdf#page=7"  # section kept
    assert set(after) == set(before) and all(v.startswith("https://intranet.example.nhs.uk/") for v in after.values())
    (managed / "managed.json").write_text(json.dumps({}))
    reader.current(force=True)
    assert links() == before


def test_a_copy_that_is_not_https_is_refused_by_name():
    good, problems = check({"policyLinks": {PDF: "http://intranet/policy.pdf"}}, "managed.json")
    assert good == {} and problems and "policyLinks" in problems[0]
    good, problems = check({"policyLinks": {PDF: "https://intranet/policy.pdf"}}, "managed.json")
    assert good == {"policyLinks": {PDF: "https://intranet/policy.pdf"}} and problems == []
