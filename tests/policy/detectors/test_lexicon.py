from onrecord.policy.detectors.lexicon import PhraseIndex, fold, tokenize, variants


def test_tokens_fold_case_and_typographic_apostrophes():
    assert tokenize(fold("Don’t tweet @AmyatDH about #NHS")) == ["don't", "tweet", "@amyatdh", "about", "nhs"]


def test_inflections_follow_the_phrase_syntax():
    assert ("boards",) in variants("board") and ("board's",) in variants("board")
    assert ("policies",) in variants("policy")
    assert ("whistleblowing",) in variants("whistleblow*") and ("whistleblower",) in variants("whistleblow*")
    assert variants("=ward") == {("ward",)}
    assert ("cover", "up") in variants("=cover-up") and ("coverup",) in variants("=cover-up")


def test_one_pass_finds_every_lexicon_with_positions():
    index = PhraseIndex()
    index.add("boards", ["health and wellbeing board"])
    index.add("health", ["health"])
    index.add("policy", ["policy"], exceptions=["insurance policy"])
    hits = index.scan(tokenize(fold("Health and wellbeing boards need a policy, not an insurance policy")))
    assert hits["boards"] == [(0, 4)]
    assert hits["health"] == [(0, 1)]
    assert hits["policy"] == [(6, 7)]  # the insurance policy is an exception


def test_exceptions_remove_the_lexicon_when_nothing_else_is_left():
    index = PhraseIndex()
    index.add("policy", ["policy"], exceptions=["insurance policy"])
    assert "policy" not in index.scan(tokenize("my insurance policy renewed"))


def test_merged_index_holds_both():
    a, b = PhraseIndex(), PhraseIndex()
    a.add("x", ["primary care"])
    b.add("y", ["primary care network"])
    hits = a.merged(b).scan(tokenize("the primary care network met"))
    assert hits == {"x": [(1, 3)], "y": [(1, 4)]}


def test_a_merge_shares_what_it_does_not_add_to_and_changes_neither_index():
    pack, profile = PhraseIndex(), PhraseIndex()
    pack.add("work", ["primary care", "care home", "ward round", "policy"], exceptions=["insurance policy"])
    profile.add("mine", ["primary care network", "ward", "sam patel"])
    merged = pack.merged(profile)
    text = tokenize("sam patel on the ward round, primary care network and care home policy, insurance policy")
    work = [(4, 6), (6, 8), (10, 12), (12, 13)]  # not the policy of "insurance policy"
    assert merged.scan(text) == {"mine": [(0, 2), (4, 5), (6, 9)], "work": work, "work!except": [(13, 15)]}
    # Each index still finds only its own phrases.
    assert pack.scan(text) == {"work": work, "work!except": [(13, 15)]}
    assert profile.scan(text) == {"mine": [(0, 2), (4, 5), (6, 9)]}
    # A profile merged into a large pack costs the entries it adds to, not a copy of the pack.
    assert merged._first["care"] is pack._first["care"] and merged._first["policy"] is pack._first["policy"]
    assert merged._first["primary"] is not pack._first["primary"]


def test_through_a_pack(one_rule):
    fires = one_rule("{phrases: [board meeting, =ward]}")
    assert fires("Long board meetings today")
    assert fires("Back on the ward")
    assert not fires("Board games and wards of court")


def test_singular_of_the_last_word():
    from onrecord.policy.detectors.lexicon import singular_of
    assert singular_of("health and wellbeing boards") == "health and wellbeing board"
    assert singular_of("local authorities") == "local authority"
    assert singular_of("public health") == "public health"
    assert singular_of("business") == "business" and singular_of("analysis") == "analysis"


def test_phrases_match_as_hashtags():
    index = PhraseIndex()
    index.add("work", ["public health", "health and wellbeing board"])
    hits = index.scan(tokenize(fold("Great day #PublicHealth #HealthAndWellbeingBoards")))
    assert hits["work"] == [(2, 3), (3, 4)]


def test_tokens_are_the_words_of_the_draft_however_it_is_written():
    import random

    from onrecord.policy.detectors.lexicon import TOKEN_RE, fold, tokenize
    assert tokenize(fold("Don't @ me: a@b, 'tis rock'n'roll. HELLO\u2019s caf\u00e9")) == \
        ["don't", "me", "a", "@b", "tis", "rock'n", "roll", "hello's", "caf"]
    # The quick path for plain text gives exactly what the expression finds, whatever the characters.
    rnd = random.Random(3)
    alphabet = "ab0Z@'  -_.,!#\t\n\x1c\u2009\u00e9\u2019"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        assert tokenize(fold(text)) == TOKEN_RE.findall(fold(text)), text
