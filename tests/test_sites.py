"""The helper's side of the one site table (helper/onrecord/sites.json): every place that names sites
takes them from it, and a site cannot be added without its adapter, fixtures and tests.

tests/extension/sites/table.test.js checks the extension's side: its copy of the table, the adapters'
host names, the options page and the managed-storage schema.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord import sites
from onrecord.errors import BadInput, ProfileError
from onrecord.policy.engine import check_text
from onrecord.profile import profile_from_dict

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_SITES = ("x", "linkedin", "facebook", "mastodon", "bluesky", "threads", "blog", "comments", "other")
ADAPTER_SITES = [s for s in sites.TABLE if s.adapter]


def _profile(site: str, handle: str = "@amyclarke", channel: str = "personal") -> dict:
    return {"name": "Amy Clarke", "organisation": "Department of Health", "policy_pack": "dh",
            "roles": ["civil_servant"], "accounts": [{"site": site, "handle": handle, "channel": channel}]}


def test_the_table_holds_the_contracts_site_ids_in_order():
    assert sites.SITES == CONTRACT_SITES
    assert all(s.label and s.label != s.id for s in sites.TABLE), "every site needs a name people know it by"


def test_every_copy_of_the_table_is_in_step_with_it():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_sites.py"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("site", sites.SITES)
def test_a_profile_declares_and_the_engine_checks_an_account_on_every_site(site):
    profile = profile_from_dict(_profile(site))
    result = check_text(profile, site, "@amyclarke", "Proud of our department's new guidance.")
    assert result.account.channel == "personal"
    assert "disclaimer" in {p.category for p in result.prompts}


def test_a_site_not_in_the_table_is_refused_by_name():
    with pytest.raises(ProfileError, match="'myspace' is not one of x, linkedin"):
        profile_from_dict(_profile("myspace"))
    with pytest.raises(BadInput, match="myspace"):
        check_text(profile_from_dict(_profile("x")), "myspace", "@amyclarke", "hello")


@pytest.mark.parametrize("site", [s for s in sites.TABLE if s.character_limit], ids=lambda s: s.id)
def test_the_disclaimer_is_fitted_to_each_sites_character_limit(site):
    profile = profile_from_dict(_profile(site.id))
    draft = "Our department's guidance " + "y" * (site.character_limit - 26)
    prompt = next(p for p in check_text(profile, site.id, "@amyclarke", draft).prompts if p.category == "disclaimer")
    assert f"does not fit the {site.character_limit}-character limit" in prompt.message


def test_linkedin_and_facebook_have_their_published_limits():
    assert sites.character_limit("linkedin", "post") == 3000
    assert sites.character_limit("linkedin", "comment") == sites.character_limit("linkedin", "reply") == 1250
    assert sites.character_limit("facebook", "post") == 63206
    assert sites.character_limit("blog", "post") is None


def test_a_linkedin_comment_is_fitted_to_the_comment_limit_not_the_posts():
    # 1,240 characters: a post has room for the full disclaimer, a comment (1,250) for none of them.
    profile = profile_from_dict(_profile("linkedin", handle="amy-clarke"))
    draft = "Our department's guidance " + "y" * (1240 - 26)

    def disclaimer(context):
        return next(p for p in check_text(profile, "linkedin", "amy-clarke", draft, context).prompts
                    if p.category == "disclaimer")

    as_post, as_comment = disclaimer("post"), disclaimer("comment")
    assert "character limit" not in as_post.message
    assert "does not fit the 1250-character limit" in as_comment.message
    assert len(as_comment.fix.text) < len(as_post.fix.text)


def test_the_organisations_handles_name_its_work_on_sites_with_mentions():
    # A personal post naming the organisation's official handle touches work, on the sites where handles
    # are @names that posts mention.
    for site in sites.TABLE:
        data = _profile(site.id)
        data["accounts"].append({"site": site.id, "handle": "@dhhealthnews", "channel": "corporate"})
        found = check_text(profile_from_dict(data), site.id, "@amyclarke", "Lovely lunch with @dhhealthnews today")
        assert ("disclaimer" in {p.category for p in found.prompts}) == site.mention_handles, site.id


@pytest.mark.parametrize("site", ADAPTER_SITES, ids=lambda s: s.id)
def test_every_site_with_an_adapter_has_its_adapter_fixtures_and_tests(site):
    assert (ROOT / "extension" / "content" / "sites" / f"{site.id}.js").is_file()
    assert any(re.search(r"\d{4}-\d{2}-\d{2}\.html$", p.name) for p in (ROOT / "tests" / "fixtures" / "sites" / site.id).glob("*.html"))
    assert (ROOT / "tests" / "extension" / "sites" / f"{site.id}.test.js").is_file()
    assert (ROOT / "tests" / "e2e" / f"test_site_{site.id}.py").is_file()
    assert site.examples, "the browser tests serve a site's saved pages under its example addresses"


def test_the_command_line_names_every_site():
    r = subprocess.run([sys.executable, "-m", "onrecord", "check", "--help"], capture_output=True, text=True, timeout=60)
    help_text = " ".join(r.stdout.split())
    assert ", ".join(sites.SITES) in help_text


def test_the_it_guide_names_every_site():
    guide = (ROOT / "docs" / "it-guide.md").read_text("utf-8")
    for site in sites.TABLE:
        assert f"`{site.id}`" in guide, f"docs/it-guide.md does not name the site {site.id}"


def _per_site_maps(tree: ast.AST):
    """Dict literals keyed by three or more site ids: a test's per-site table."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            if len(keys & set(sites.SITES)) >= 3 and keys <= set(sites.SITES):
                yield node.lineno, keys


def test_every_per_site_table_in_the_python_tests_covers_every_site():
    # One robustness test once listed every site but X; a table of sites in a test must name them all.
    missing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, keys in _per_site_maps(ast.parse(path.read_text("utf-8"), str(path))):
            lacking = [s.id for s in ADAPTER_SITES if s.id not in keys]
            if lacking:
                missing.append(f"{path.relative_to(ROOT)}:{line} lacks {', '.join(lacking)}")
    assert not missing, missing
