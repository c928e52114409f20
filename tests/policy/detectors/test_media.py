from onrecord.policy.detectors.media import host_of, is_news_domain


def test_hosts_and_news_domains():
    assert host_of("https://www.theguardian.com/society/2024") == "theguardian.com"
    assert is_news_domain("news.bbc.co.uk", ["bbc.co.uk"])
    assert not is_news_domain("myblog.example", ["bbc.co.uk"])
    assert not is_news_domain("@guardian", ["theguardian.com"])


def test_outlets_by_handle_domain_or_mention(one_rule):
    fires = one_rule("{media_target: {}}")
    assert fires("You're wrong", context="reply", reply_to="@Guardian")
    assert fires("Wrong", site="comments", account="Me", context="comment", reply_to="https://www.hsj.co.uk/x")
    assert fires("Hey @BBCNews, look at this")
    assert not fires("You're wrong", context="reply", reply_to="@mymate")
    assert not fires("Nice recipe", site="comments", account="Me", context="comment", reply_to="bakingblog.example")
