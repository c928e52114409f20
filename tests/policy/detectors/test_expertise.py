def test_off_topic_only_when_no_declared_topic_is_named(one_rule):
    fires = one_rule("{off_expertise: {}}", channels="[official]")
    official = dict(account="@meofficial")
    assert fires("Our view on the defence budget and new warships", **official)
    assert not fires("Primary care commissioning update, and a word on defence", **official)
    assert not fires("Happy new year from all of us", **official)
    assert not fires("New guidance on pharmacy services", **official)  # primary care covers pharmacy
