def test_within_n_words(one_rule):
    fires = one_rule("{near: {a: person_ref, b: conditions, within: 3}}")
    assert fires("Mr Jones has dementia")
    assert not fires("Mr Jones came to the fair with his grandchildren and then told us about dementia")


def test_the_window_counts_the_words_between_and_includes_its_edge(one_rule):
    """`within: 2` allows two words between the sides ("mr" and "dementia"), either way round, not three."""
    fires = one_rule("{near: {a: person_ref, b: conditions, within: 2}}")
    assert fires("Mr Jones has dementia")                 # jones, has: 2 between
    assert fires("Dementia, said Mr Jones")               # the other way round: said
    assert fires("Dementia, she told Mr Jones")           # she, told: 2 between
    assert not fires("Mr Jones now has dementia")         # 3 between
    assert not fires("Dementia, she then told Mr Jones")  # 3 between
    touching = one_rule("{near: {a: person_ref, b: conditions, within: 0}}")
    assert touching("the patient's dementia") and not touching("the patient has dementia")


def test_regex_sides_are_turned_into_word_positions(one_rule):
    fires = one_rule('{near: {a: {regex: "\\\\bbed\\\\s*\\\\d+"}, b: pronouns, within: 4}}')
    assert fires("The lady in bed 4 told me she was a nurse")
    assert not fires("Bed 4 was empty all day long and nobody came by at all, said she")


def test_bad_options_are_reported(tmp_path):
    import pytest
    from onrecord.policy.packs import PackInvalid, load_pack
    path = tmp_path / "p.yaml"
    path.write_text("id: p\ntitle: P\nextends: common\nrules:\n  - id: r\n    category: conduct\n    severity: warn\n"
                    "    channels: [any]\n    triggers: [{near: {a: insults, within: -1}}]\n    message: m\n    source: s\n")
    with pytest.raises(PackInvalid) as err:
        load_pack(str(path))
    assert "line 9" in err.value.message and "near" in err.value.message
