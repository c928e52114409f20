"""The extension's store packages, built from extension/ by packaging/extension/build.py: a zip for
the Chrome Web Store and Edge Add-ons, and web-ext's build for Firefox, which web-ext lint passes."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded from its path under a name of its own: "build" is also the name of a PyPI package.
_spec = importlib.util.spec_from_file_location("onrecord_extension_build", ROOT / "packaging" / "extension" / "build.py")
extension_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(extension_build)


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict:
    return extension_build.build(tmp_path_factory.mktemp("extension-packages"), run_lint=True)


def manifest_in(package: Path) -> dict:
    with zipfile.ZipFile(package) as zf:
        return json.loads(zf.read("manifest.json"))


def names_in(package: Path) -> set[str]:
    with zipfile.ZipFile(package) as zf:
        return {n for n in zf.namelist() if not n.endswith("/")}


def lint_findings(packages, kind: str) -> list[str]:
    return [f"{i['code']}: {i.get('description') or i['message']} ({i.get('file', '')})"
            for i in packages["lint"][kind]]


def test_web_ext_lint_finds_no_errors(packages):
    """An error would make addons.mozilla.org refuse the package."""
    assert lint_findings(packages, "errors") == []


def test_web_ext_lint_finds_no_warnings(packages):
    """Warnings are what Firefox or its store would do differently from what the manifest says."""
    assert lint_findings(packages, "warnings") == []


@pytest.mark.parametrize("browser", ["chromium", "firefox"])
def test_each_package_holds_every_file_its_manifest_names(packages, browser):
    package = packages[browser]
    data = manifest_in(package)
    assert extension_build.missing_files(data, [Path(n) for n in names_in(package)]) == []
    source = json.loads((ROOT / "extension" / "manifest.json").read_text())
    assert data["version"] == source["version"] and data["manifest_version"] == 3
    assert package.name == f"onrecord-extension-{source['version']}-{browser}.zip"


def test_chromium_package_has_no_firefox_keys(packages):
    data = manifest_in(packages["chromium"])
    assert "browser_specific_settings" not in data
    assert "scripts" not in data.get("background", {})
    assert data["background"]["service_worker"]


def test_firefox_package_runs_its_background_as_scripts(packages):
    data = manifest_in(packages["firefox"])
    assert data["browser_specific_settings"]["gecko"]["id"]
    assert "service_worker" not in data["background"] and data["background"]["scripts"]
    assert "key" not in data


def test_packages_ship_no_developer_files(packages):
    for browser in ("chromium", "firefox"):
        names = names_in(packages[browser])
        assert not [n for n in names if n.endswith((".test.js", ".map")) or "/." in f"/{n}"], names


def test_chromium_zip_is_reproducible(packages, tmp_path):
    again = extension_build.build(tmp_path)
    assert again["chromium"].read_bytes() == packages["chromium"].read_bytes()


def test_icons_in_the_extension_are_the_ones_made_from_the_drawing():
    for size in (16, 32, 48, 128):
        shipped = ROOT / "extension" / "icons" / f"icon-{size}.png"
        made = ROOT / "assets" / "icons" / "extension" / f"icon-{size}.png"
        assert shipped.read_bytes() == made.read_bytes(), f"{shipped} differs from {made}"


def test_managed_storage_schema_is_valid_for_administrators(packages):
    """Chrome and Edge read storage.managed_schema (JSON Schema draft 3 with Chrome's subset);
    an administrator's policy that sets the helper port must validate, a wrong one must not."""
    data = manifest_in(packages["chromium"])
    schema = json.loads((ROOT / "extension" / data["storage"]["managed_schema"]).read_text())
    jsonschema.Draft3Validator.check_schema(schema)
    assert schema["type"] == "object"
    port = schema["properties"]["helperPort"]
    assert port["type"] == "integer" and port.get("description")
    validator = jsonschema.Draft3Validator(schema)
    assert validator.is_valid({"helperPort": 47660})
    assert not validator.is_valid({"helperPort": "47660"})
