import pytest


@pytest.mark.parametrize("text", [
    "Proud of the team. Views my own.", "Views are my own.", "All views mine", "Opinions my own",
    "Personal views only", "These views are entirely my own and not necessarily those of my employer.",
    "My views, not necessarily those of my employer", "Speaking for myself here", "In a personal capacity: great work",
    "#ViewsMyOwn", "Views expressed here are my own",
])
def test_common_variants(one_rule, text):
    assert one_rule("{disclaimer_present: true}")(text)


@pytest.mark.parametrize("text", ["Great work today", "I own two dogs", "My views on cake are strong: yes please"])
def test_not_disclaimers(one_rule, text):
    assert not one_rule("{disclaimer_present: true}")(text)


def test_the_packs_own_wordings_count(one_rule):
    fires = one_rule("{disclaimer_present: [reference]}",
                     extra='disclaimer: {reference: "Given in a private role, not for the Trust."}\n')
    assert fires("Priya is brilliant. Given in a private role - not for the Trust!")
    assert not fires("Priya is brilliant.")
