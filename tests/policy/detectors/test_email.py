from onrecord.policy.detectors.email import find, is_org_domain


def test_finds_addresses_and_domains():
    assert find("write to amy.c.home@outlook.com or raj@gmail.com.") == [
        ("amy.c.home@outlook.com", "outlook.com"), ("raj@gmail.com", "gmail.com")]


def test_org_domains_include_subdomains():
    assert is_org_domain("england.nhs.uk", ["nhs.uk"])
    assert is_org_domain("nhs.net", ["nhs.net"])
    assert not is_org_domain("notnhs.net", ["nhs.net"])


def test_personal_only_leaves_the_organisations_mailboxes_alone(one_rule):
    personal = one_rule("{email: {personal_only: true}}")
    assert personal("Email me at raj.m.home@gmail.com")
    assert not personal("Press queries to england.media@nhs.net")
    assert not personal("Follow @rajmehta for updates")
    every = one_rule("{email: {}}")
    assert every("Press queries to england.media@nhs.net")
