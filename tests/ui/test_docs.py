"""docs/settings.md documents every setting of the declarative table, its default and its values."""

from __future__ import annotations

import re

import pytest

from onrecord.settings import SETTINGS

from .conftest import ROOT

DOC = ROOT / "docs" / "settings.md"


def section(name: str) -> str:
    text = DOC.read_text("utf-8")
    m = re.search(rf"^### `{re.escape(name)}`\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    assert m, f"docs/settings.md has no section for the setting {name!r}"
    return m.group(1)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default_and_values(setting):
    body = section(setting.name)
    assert f"Default: `{setting.default}`" in body
    for choice in setting.choices or ():
        assert f"`{choice}`" in body, f"{setting.name}: the value {choice!r} is not documented"
    if setting.minimum is not None:
        assert f"from {setting.minimum} to {setting.maximum}" in body


def test_no_section_documents_a_setting_that_does_not_exist():
    documented = re.findall(r"^### `([a-z_]+)`", DOC.read_text("utf-8"), re.M)
    assert sorted(documented) == sorted(s.name for s in SETTINGS)


def test_the_settings_window_offers_every_setting():
    """Each setting appears in one of the window's settings forms."""
    html = (ROOT / "helper" / "onrecord" / "ui" / "static" / "index.html").read_text("utf-8")
    offered = " ".join(re.findall(r'data-settings="([^"]+)"', html)).split()
    assert sorted(offered) == sorted(s.name for s in SETTINGS)
