def test_always_and_reply_to(one_rule):
    assert one_rule("{always: true}")("anything")
    replying = one_rule("{reply_to: any}")
    assert replying("hi", context="reply", reply_to="@someone") and not replying("hi")


def test_bio_disclaimer_and_line_manager(one_rule):
    bio = one_rule("{bio_disclaimer: true}")
    assert bio("hi", site="linkedin", account="me") and not bio("hi")
    no_manager = one_rule("{no_line_manager: true}")
    assert not no_manager("hi")


def test_no_line_manager_fires_for_a_profile_that_names_none(one_rule):
    from onrecord.profile import profile_from_dict
    unmanaged = profile_from_dict({"name": "T", "organisation": "O", "policy_pack": "dh",
                                   "accounts": [{"site": "x", "handle": "@me", "channel": "official"}]})
    no_manager = one_rule("{no_line_manager: true}")
    assert no_manager("hi", profile=unmanaged) and not no_manager("hi")
    has_manager = one_rule("{no_line_manager: false}")
    assert has_manager("hi") and not has_manager("hi", profile=unmanaged)


def test_channel(one_rule):
    personal_only = one_rule("{channel: [personal, unknown]}")
    assert personal_only("hi") and personal_only("hi", account="@stranger")
    assert not personal_only("hi", account="@meofficial")
