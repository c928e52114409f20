"""docs/api.md is the one place every route is documented: this fails when the two drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from onrecord.app import create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
DOCUMENTED = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)")


def _app_routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_of_the_app_is_in_docs_api_md(onrecord_home):
    documented = set(DOCUMENTED.findall(DOC.read_text("utf-8")))
    missing = _app_routes(create_app()) - documented
    assert not missing, f"routes missing from docs/api.md: {sorted(missing)}"


def test_every_route_in_docs_api_md_exists(onrecord_home):
    documented = set(DOCUMENTED.findall(DOC.read_text("utf-8")))
    stale = documented - _app_routes(create_app())
    assert not stale, f"docs/api.md documents routes the app does not have: {sorted(stale)}"
