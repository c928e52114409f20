"""The settings window shows a pack's wordings as the user will be offered them: their organisation named."""

from __future__ import annotations

import requests

WINDOW_KEY = "w" * 43


def test_the_window_shows_disclaimers_naming_the_users_organisation(served):
    h = served({"ONRECORD_WINDOW_KEY": WINDOW_KEY, "ONRECORD_WINDOW_KEY_FILE": False})  # Amy, "Department of Health"
    window = requests.Session()
    assert window.get(f"{h.url}/settings/?key={WINDOW_KEY}", timeout=10).ok
    window.headers["Origin"] = h.url
    for ref, name in (("dh", "the Department of Health and Social Care"), ("civil-service", "the Department of Health and Social Care")):
        pack = window.get(f"{h.url}/settings/api/pack", params={"ref": ref}, timeout=10).json()["pack"]
        texts = [d["text"] for d in pack["disclaimers"]] + [r["message"] for r in pack["rules"]]
        assert not any("{organisation}" in t for t in texts), ref
        assert any(name in t for t in texts), ref
        assert all(r["link"].startswith("https://") for r in pack["rules"])
