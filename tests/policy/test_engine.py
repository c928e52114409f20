"""The engine: channel awareness, one prompt per category, fixes fitted to the site, bad input."""

import inspect

import pytest

from onrecord.errors import BadInput, PackError
from onrecord.policy import engine
from onrecord.policy.engine import check, check_text, count_chars, list_packs, pack_rules
from onrecord.policy.model import Draft
from onrecord.profile import Account


def categories(result) -> set[str]:
    return {p.category for p in result.prompts}


def _positional(fn) -> list[str]:
    return [n for n, p in inspect.signature(fn).parameters.items() if p.kind is not p.KEYWORD_ONLY]


def test_signatures_the_helper_calls_are_kept():
    assert _positional(check) == ["draft", "profile", "pack"]
    assert _positional(check_text) == ["profile", "site", "account", "text", "context", "reply_to", "reply_to_bio"]
    # The caller's own compiled packs (the helper's, a command's) are named, never passed by position.
    for fn in (check, check_text):
        assert inspect.signature(fn).parameters["library"].kind is inspect.Parameter.KEYWORD_ONLY


def test_personal_work_post_gets_disclaimer_with_a_short_fix_on_x(amy):
    result = check_text(amy, "x", "@AmyClarke", "Our new guidance for health and wellbeing boards is out.")
    assert result.account.channel == "personal" and result.account.handle == "@amyclarke"
    prompts = {p.category: p for p in result.prompts}
    assert {"disclaimer", "identity", "permanence"} <= set(prompts)
    assert prompts["permanence"].severity == "info"
    fix = prompts["disclaimer"].fix
    assert fix.type == "append" and "my own" in fix.text.lower()
    assert fix.text == "Views my own, not the Department of Health and Social Care's."  # today's name of the body
    assert len("Our new guidance for health and wellbeing boards is out.") + 1 + len(fix.text) <= 280


def test_linkedin_and_blogs_get_the_full_and_blog_wordings(amy, raj):
    linked = check_text(amy, "linkedin", "amy-clarke", "Proud of the department's new guidance.")
    disc = next(p for p in linked.prompts if p.category == "disclaimer")
    assert disc.fix.text == "The views expressed here are my own and not those of the Department of Health and Social Care."
    blog = check_text(raj, "blog", "rajwrites.example", "Ten years of commissioning in the NHS.", "blog")
    disc = next(p for p in blog.prompts if p.category == "disclaimer")
    assert disc.fix.text.startswith("Any views expressed in this blog")


def test_short_wording_is_counted_against_the_limit(raj):
    long_post = "NHS England commissioning news. " + "x" * (280 - 32 - 20)
    result = check_text(raj, "x", "@rajmehta", long_post)
    fix = next(p for p in result.prompts if p.category == "disclaimer").fix
    assert len(long_post) + 1 + len(fix.text) <= 280
    assert fix.text == "Views my own."


def test_when_even_the_short_wording_does_not_fit_the_message_says_so(raj):
    full = "NHS England " + "y" * (280 - 12)
    prompt = next(p for p in check_text(raj, "x", "@rajmehta", full).prompts if p.category == "disclaimer")
    assert prompt.fix.text == "Views my own."
    assert "does not fit the 280-character limit" in prompt.message and "shorten the post by 14 characters" in prompt.message


def test_x_counts_links_as_23_characters():
    assert count_chars("x", "see https://example.org/" + "a" * 100) == 4 + 23
    assert count_chars("linkedin", "see https://example.org/abc") == 27


def test_a_disclaimer_in_the_draft_or_the_bio_removes_the_prompt(amy):
    assert "disclaimer" not in categories(check_text(amy, "x", "@amyclarke", "Proud of the department's guidance. Views my own."))
    assert "disclaimer" not in categories(check_text(amy, "mastodon", "@amyc@mastodon.social", "Proud of the department's guidance."))


def test_official_and_corporate_channels(amy):
    official = {p.category: p for p in check_text(amy, "x", "@AmyatDH", "Boards are where councils and the NHS meet.").prompts}
    assert official["permanence"].severity == "confirm" and "identity" in official
    assert "disclaimer" not in official and "expertise" not in official
    # 000 section 8: official attributed content needs the line management chain's permission, always;
    # a reminder (info) when a manager is named, and it comes from the situation, not the words.
    assert official["clearance"].severity == "info" and not official["clearance"].matches
    corporate = categories(check_text(amy, "x", "@dhgovuk", "Personally I think this is a mistake."))
    assert {"permanence", "identity"} <= corporate and "clearance" not in corporate


def test_clearance_holds_the_post_when_no_line_manager_is_recorded_or_the_draft_says_it_is_not_cleared(amy):
    no_manager = type(amy)(**{**amy._fields(), "line_manager": None})
    [held] = [p for p in check_text(no_manager, "x", "@AmyatDH", "Boards are live.").prompts if p.category == "clearance"]
    assert held.severity == "confirm"
    [reminder] = [p for p in check_text(amy, "x", "@AmyatDH", "Boards are live.").prompts if p.category == "clearance"]
    assert reminder.severity == "info"
    text = "Boards are live. Not been signed off yet, but here goes."
    [warning] = [p for p in check_text(amy, "x", "@AmyatDH", text).prompts if p.category == "clearance"]
    assert warning.severity == "warn" and [text[a:b] for a, b in warning.matches] == ["Not been signed off"]
    assert "\u201cNot been signed off\u201d" in warning.message
    assert "clearance" not in categories(check_text(amy, "x", "@amyclarke", text))


def test_undeclared_account_still_gets_content_rules(amy):
    result = check_text(amy, "x", "@someone_else", "NHS number 943 476 5919 needs chasing")
    assert result.account.channel == "unknown"
    assert {"unknown_account", "patient_data"} <= categories(result)
    assert "disclaimer" not in categories(result)
    declared = amy.with_account(Account("x", "@someone_else", "personal"))
    assert "unknown_account" not in categories(check_text(declared, "x", "@someone_else", "Hello"))


def test_ministers_get_the_ministerial_code_not_a_disclaimer(jo):
    party = {p.category: p for p in check_text(jo, "x", "@JoHartMP", "Only the Tories will fix the NHS.").prompts}
    assert "political" in party and "disclaimer" not in party
    views = categories(check_text(jo, "x", "@JoHartMP", "Proud of our new health funding. Views my own."))
    assert "identity" in views and "disclaimer" not in views


def test_edit_unless_the_draft_says_so(raj):
    assert "edit" in categories(check_text(raj, "x", "@rajmehta", "Clinic opens at 9.", "edit"))
    assert "edit" not in categories(check_text(raj, "x", "@rajmehta", "Edited: clinic opens at 9.", "edit"))
    assert "edit" not in categories(check_text(raj, "x", "@rajmehta", "Clinic opens at 9.", "post"))


def test_reference_context_carries_the_reference_disclaimer(raj):
    prompt = next(p for p in check_text(raj, "linkedin", "raj-mehta", "Priya is superb.", "reference").prompts
                  if p.category == "reference")
    assert "personal capacity" in prompt.fix.text and prompt.source == "NHS England social media policy 3.4"


def test_one_prompt_per_category_strongest_first(amy):
    result = check_text(amy, "x", "@AmyatDH", "SECRET: tickets available for my gig, 20% off with my code GIG20")
    cats = [p.category for p in result.prompts]
    assert len(cats) == len(set(cats))
    ranks = [("info", "confirm", "warn").index(p.severity) for p in result.prompts]
    assert ranks == sorted(ranks, reverse=True)
    commercial = next(p for p in result.prompts if p.category == "commercial")
    assert commercial.id == "dh.commercial.official"  # the department's own rule wins over the base pack's


def test_json_shape_matches_the_contract(amy):
    data = check_text(amy, "x", "@amyclarke", "Our guidance is out at the Department of Health").to_json()
    assert set(data) == {"account", "prompts"}
    assert set(data["account"]) == {"site", "handle", "channel"}
    for p in data["prompts"]:
        assert {"id", "category", "severity", "message", "source"} <= set(p) <= {"id", "category", "severity", "message", "source", "fix", "matches", "link"}


@pytest.mark.parametrize("kwargs, message", [
    (dict(site="myspace"), "unknown site"),
    (dict(context="tweet"), "unknown context"),
    (dict(text="   "), "empty"),
    (dict(text="a" * (100 * 1024 + 1)), "over 100 KB"),
    (dict(account=" "), "account"),
])
def test_bad_input(amy, kwargs, message):
    args = dict(site="x", account="@amyclarke", text="hello", context="post") | kwargs
    with pytest.raises(BadInput, match=message):
        check_text(amy, args["site"], args["account"], args["text"], args["context"])


def test_pack_loaded_from_profile_relative_to_its_folder(tmp_path, amy):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "ours.yaml").write_text(
        "id: ours\ntitle: Ours\nextends: dh\nrules:\n  - id: ours.cake\n    category: conduct\n    severity: warn\n"
        "    channels: [any]\n    triggers: [{phrases: [cake]}]\n    message: No cake talk.\n    source: Our cake policy 1\n")
    profile = type(amy)(**{**amy._fields(), "policy_pack": "packs/ours.yaml", "base_dir": str(tmp_path)})
    result = check_text(profile, "x", "@amyclarke", "Cake in the office!")
    assert any(p.id == "ours.cake" for p in result.prompts)
    missing = type(amy)(**{**amy._fields(), "policy_pack": "packs/nope.yaml", "base_dir": str(tmp_path)})
    with pytest.raises(PackError, match="no such pack file"):
        check_text(missing, "x", "@amyclarke", "hello")


def test_a_pack_argument_overrides_the_profiles(amy, raj):
    draft = Draft("NHS England news", "x", "@rajmehta")
    assert check(draft, raj, "civil-service").prompts[0].id.startswith("cs.")
    with pytest.raises(PackError, match="only a base"):
        check(draft, raj, "common")


def test_packs_for_the_settings_window():
    packs = {p["id"]: p for p in list_packs()}
    assert set(packs) == {"civil-service", "dh", "nhs-england"}
    assert packs["nhs-england"]["disclaimer"]["full"].startswith("My postings on this site")
    rules = pack_rules("dh")
    assert all(set(r) == {"id", "category", "severity", "message", "source", "link"} for r in rules)
    assert any(r["id"] == "dh.expertise" for r in rules) and not any(r["id"] == "cs.expertise" for r in rules)


def test_engine_is_pure():
    source = inspect.getsource(engine)
    assert "onrecord.server" not in source and "onrecord.store" not in source and "onrecord.ui" not in source


def test_a_fitted_disclaimer_is_not_reused_across_contexts_with_other_limits(amy):
    """Each rule keeps the prompts it has fitted; a LinkedIn comment (1,250 characters) and a LinkedIn
    post (3,000) of the same draft get each their own fit, whichever came first."""
    from onrecord.policy.packs import PackLibrary
    text = ("Proud that the health and wellbeing boards guidance my team wrote went live today. " * 15)[:1240]

    def disclaimer(pack, context):
        result = check(Draft(text, "linkedin", "amy-clarke", context), amy, pack)
        return next(p for p in result.prompts if p.category == "disclaimer")

    shared = PackLibrary().load("dh")
    post, comment = disclaimer(shared, "post"), disclaimer(shared, "comment")
    alone = disclaimer(PackLibrary().load("dh"), "comment")
    assert (comment.fix, comment.message) == (alone.fix, alone.message)
    assert (comment.fix, comment.message) != (post.fix, post.message)
