"""The compiled pack: which rules apply where, and the per-profile facts."""

from onrecord.policy.packs import load_pack


def test_rules_for_a_situation_follow_channels_sites_contexts_and_roles():
    pack = load_pack("nhs-england")
    personal = {r.id for r in pack.rules_for("personal", "x", "post", frozenset({"nhs_staff"}))}
    assert "nhse.disclaimer.personal-work" in personal and "nhse.expertise" not in personal
    official = {r.id for r in pack.rules_for("official", "x", "post", frozenset({"nhs_staff"}))}
    assert "nhse.expertise" in official and "nhse.disclaimer.personal-work" not in official
    assert "nhse.reference.in-post" in {r.id for r in pack.rules_for("personal", "linkedin", "post", frozenset())}
    assert "nhse.reference.in-post" not in personal
    assert "nhse.edit" in {r.id for r in pack.rules_for("personal", "x", "edit", frozenset())}
    minister = {r.id for r in load_pack("dh").rules_for("personal", "x", "post", frozenset({"minister"}))}
    assert "cs.political.ministerial-code" in minister and "cs.disclaimer.personal-work" not in minister


def test_profile_facts_find_expertise_topics(amy, raj):
    _, facts = load_pack("dh").facts_for(amy)
    assert {"health_and_wellbeing_boards", "local_government", "public_health"} <= facts.expertise_topics
    assert facts.has_line_manager and facts.roles == {"civil_servant"}
    _, facts = load_pack("nhs-england").facts_for(raj)
    assert {"commissioning", "primary_care"} <= facts.expertise_topics


def test_rule_summaries_for_display():
    summary = load_pack("dh").rules_summary()
    assert summary[0].keys() == {"id", "category", "severity", "message", "source", "link"}
    assert all(r["link"].startswith("https://") for r in summary)  # the settings window links each source
