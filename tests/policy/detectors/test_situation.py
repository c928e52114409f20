def test_always_and_reply_to(one_rule):
    assert one_rule("{always: true}")("anything")
    replying = one_rule("{reply_to: any}")
    assert replying("hi", context="reply", reply_to="@someone") and not replying("hi")


def test_bio_disclaimer_and_line_manager(one_rule):
    bio = one_rule("{bio_disclaimer: true}")
    assert bio("hi", site="linkedin", account="me") and not bio("hi")
    no_manager = one_rule("{no_line_manager: true}")
    assert not no_manager("hi")


def test_channel(one_rule):
    personal_only = one_rule("{channel: [personal, unknown]}")
    assert personal_only("hi") and personal_only("hi", account="@stranger")
    assert not personal_only("hi", account="@meofficial")
