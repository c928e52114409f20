"""Managed settings in the real settings window: `onrecord run` under Xvfb opens its pywebview (Qt WebEngine)
window, and the test reads the page from inside that window (tests/ui/real_window.py).

The managed file is the real one, /etc/onrecord/managed.json, when the tests run as root (as in CI; what was
there is put back afterwards); otherwise a folder named by ONRECORD_MANAGED_DIR, which the helper reads the
same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import real_managed_folder

from .conftest import PROFILES, Helper, free_port, save_profile
from .real_window import WindowPage

ORGANISATION = "Department of Health and Social Care"


@pytest.fixture
def managed_folder(tmp_path, monkeypatch):
    """Where the helper reads managed settings: the real /etc/onrecord as root, else a test folder."""
    if os.geteuid() != 0:
        folder = tmp_path / "managed"
        folder.mkdir()
        monkeypatch.setenv("ONRECORD_MANAGED_DIR", str(folder))
        yield folder
        return
    monkeypatch.delenv("ONRECORD_MANAGED_DIR", raising=False)  # the platform's own place
    with real_managed_folder() as folder:
        yield folder


def write_policy(folder: Path, values: dict) -> None:
    """As an administrator's tool does: the new file replaces the old one in one step."""
    tmp = folder / ".managed.json.new"
    tmp.write_text(json.dumps(values), "utf-8")
    os.replace(tmp, folder / "managed.json")


# What the page shows for one setting on the page that is showing: whether it is disabled, its value, and
# the text of everything that describes it (its help, and "Set by your organisation" when locked).
FIELD = """(name => {
  const input = document.querySelector(`.page:not([hidden]) form.settings [name="${name}"]`);
  if (!input) return null;
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.textContent.trim());
  return {disabled: input.disabled, value: input.value, described};
})(%s)"""

PROBLEMS = """Array.from(document.querySelectorAll('.page:not([hidden]) [data-managed-problems]:not([hidden]) li'),
  (li) => li.textContent)"""


ORG_ACCOUNTS = """Array.from(document.querySelectorAll('#accounts-editor tr[data-onrecord-locked="account"]'),
  (tr) => ({cells: Array.from(tr.cells, (td) => td.textContent.trim()), buttons: tr.querySelectorAll('button').length}))"""


def field(page: WindowPage, name: str) -> dict | None:
    return page.evaluate(FIELD % json.dumps(name))


def go(page: WindowPage, where: str) -> None:
    page.evaluate(f"location.hash = {json.dumps('#' + where)}")
    page.wait_for(f"!document.getElementById({json.dumps('page-' + where)}).hidden", what=f"the {where} page")


def test_managed_values_win_show_locked_in_the_real_window_bad_keys_named_and_changes_show_live(
        onrecord_home, display, managed_folder):
    write_policy(managed_folder, {"organisation": ORGANISATION, "policyPack": "nhs-england",
                                  "reminderFrequency": "every_post", "auditRetentionDays": 365,
                                  "officialAccounts": [{"site": "x", "handle": "@dhscgovuk", "channel": "corporate"}],
                                  "reminderFrequncy": "never"})
    save_profile(onrecord_home, (PROFILES / "dh-amy.yaml").read_text())
    (onrecord_home / "settings.json").write_text(json.dumps({"reminder_frequency": "never", "audit_retention_days": 30}))
    devtools = free_port()
    helper = Helper(onrecord_home, window=True,
                    env={"DISPLAY": display, "QTWEBENGINE_REMOTE_DEBUGGING": f"127.0.0.1:{devtools}"})
    page = None
    try:
        page = WindowPage(devtools)
        page.wait_for("document.body.dataset.ready === 'true'", timeout=90, what="the page to be ready")
        # The real pywebview window: its own JavaScript bridge is there.
        page.wait_for("!!(window.pywebview && window.pywebview.api && window.pywebview.api.close)",
                      what="pywebview's bridge")

        # The organisation's values win over the user's own, shown locked, and say whose they are.
        go(page, "policy")
        reminder = page.wait_for(FIELD % json.dumps("reminder_frequency"), what="the reminder setting")
        assert reminder["disabled"] is True and reminder["value"] == "every_post"
        assert "Set by your organisation" in reminder["described"]
        # The misspelt key is named, not silently dropped.
        problems = page.wait_for(PROBLEMS, what="the ignored key to be named")
        assert any("reminderFrequncy" in p and "managed.json" in p for p in problems), problems

        go(page, "about")
        retention = page.wait_for(FIELD % json.dumps("audit_retention_days"), what="the retention setting")
        assert retention["disabled"] is True and retention["value"] == "365"
        assert "Set by your organisation" in retention["described"]
        level = field(page, "log_level")
        assert level["disabled"] is False and "Set by your organisation" not in level["described"]

        # The organisation's pack and name are shown chosen and locked, each said to be the organisation's (the
        # profile keeps the user's own, "Department of Health", for the day the organisation stops setting them).
        go(page, "profile")
        pack = page.evaluate("""(() => { const picked = document.querySelector('input[name=pack_choice]:checked');
          const group = document.getElementById('f-policy_pack');
          return {picked: picked && picked.value, disabled: picked && picked.disabled,
                  locked: !document.getElementById('f-policy_pack-locked').hidden,
                  described: (group.getAttribute('aria-describedby') || '').includes('f-policy_pack-locked')}; })()""")
        assert pack == {"picked": "nhs-england", "disabled": True, "locked": True, "described": True}
        org = page.evaluate("""(() => { const i = document.getElementById('f-organisation');
          const note = document.getElementById('f-organisation-locked');
          return {disabled: i.disabled, value: i.value, locked: !note.hidden, note: note.textContent.trim(),
                  described: (i.getAttribute('aria-describedby') || '').includes('f-organisation-locked')}; })()""")
        assert org == {"disabled": True, "value": ORGANISATION, "locked": True, "note": "Set by your organisation",
                       "described": True}

        # The organisation's accounts are listed as theirs, with nothing to edit or remove.
        go(page, "accounts")
        assert page.wait_for(ORG_ACCOUNTS, what="the organisation's account") == [
            {"cells": ["X (Twitter)", "@dhscgovuk", "Corporate", "No", ORGANISATION, "Set by your organisation"], "buttons": 0}]

        # The organisation changes its policy while the window is open: it shows without a restart.
        write_policy(managed_folder, {"organisation": ORGANISATION, "reminderFrequency": "every_post"})
        page.wait_for(f"{ORG_ACCOUNTS}.length === 0", timeout=30, what="the organisation's account to go")
        go(page, "policy")
        write_policy(managed_folder, {"organisation": ORGANISATION, "reminderFrequency": "first_post_of_day",
                                      "sitez": ["x"]})
        page.wait_for(f"(f => f && f.disabled && f.value === 'first_post_of_day')({FIELD % json.dumps('reminder_frequency')})",
                      timeout=30, what="the new enforced value")
        page.wait_for(f"{PROBLEMS}.some((p) => p.includes('sitez'))", timeout=30, what="the new bad key to be named")
        assert not any("reminderFrequncy" in p for p in page.evaluate(PROBLEMS))

        write_policy(managed_folder, {"organisation": ORGANISATION})
        page.wait_for(f"(f => f && !f.disabled)({FIELD % json.dumps('reminder_frequency')})", timeout=30,
                      what="the reminder setting to be the user's again")
        # Unlocked, it shows the user's own choice, which was kept all along.
        assert field(page, "reminder_frequency")["value"] == "never"
        assert "Set by your organisation" not in field(page, "reminder_frequency")["described"]
        assert page.evaluate(PROBLEMS) == []
        go(page, "about")
        assert page.wait_for(f"(f => f && !f.disabled && f.value === '30')({FIELD % json.dumps('audit_retention_days')})",
                             what="the retention setting to be the user's again")
    finally:
        if page is not None:
            page.close()
        helper.stop()
