def test_all_any_not(one_rule):
    both = one_rule("{all: [{phrases: [apple]}, {phrases: [pear]}]}")
    assert both("apple and pear") and not both("apple alone")
    either = one_rule("{any: [{phrases: [apple]}, {phrases: [pear]}]}")
    assert either("pear alone") and not either("plum")
    neither = one_rule("{not: {phrases: [apple]}}")
    assert neither("plum") and not neither("apple")


def test_use_names_a_trigger_set(one_rule):
    fires = one_rule("{use: whistleblowing}")
    assert fires("Time to blow the whistle on this")


def test_unknown_trigger_set_is_a_pack_error(tmp_path):
    import pytest
    from onrecord.policy.packs import PackInvalid, load_pack
    path = tmp_path / "p.yaml"
    path.write_text("id: p\ntitle: P\nrules:\n  - id: r\n    category: conduct\n    severity: warn\n"
                    "    channels: [any]\n    triggers: [{use: nothing_here}]\n    message: m\n    source: s\n")
    with pytest.raises(PackInvalid) as err:
        load_pack(str(path))
    assert "nothing_here" in err.value.message
