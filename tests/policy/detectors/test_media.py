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


def test_local_papers_by_the_words_in_their_address(one_rule):
    from onrecord.policy.detectors.media import looks_like_news
    words = ["gazette", "echo", "news", "post"]
    assert looks_like_news("https://www.liverpoolecho.co.uk/news/x", words)
    assert looks_like_news("harrogateadvertiser.co.uk", words + ["advertiser"])
    assert not looks_like_news("bakingblog.example", words)
    fires = one_rule("{media_target: {}}")
    assert fires("Wrong", site="comments", account="Me", context="comment", reply_to="https://www.northamptonchron.co.uk/x") is False
    assert fires("Wrong", site="comments", account="Me", context="comment", reply_to="https://www.bournemouthecho.co.uk/news")
    assert not fires("Wrong", context="reply", reply_to="https://www.bournemouthecho.co.uk/news")
