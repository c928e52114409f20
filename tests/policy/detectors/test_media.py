from onrecord.policy.detectors.media import host_of, is_news_domain


def test_hosts_and_news_domains():
    assert host_of("https://www.theguardian.com/society/2024") == "theguardian.com"
    assert is_news_domain("news.bbc.co.uk", ["bbc.co.uk"])
    assert not is_news_domain("myblog.example", ["bbc.co.uk"])
    assert not is_news_domain("@guardian", ["theguardian.com"])


def test_outlets_by_handle_or_mention(one_rule):
    fires = one_rule("{media_target: {}}")
    assert fires("You're wrong", context="reply", reply_to="@Guardian")
    assert fires("Hey @BBCNews, look at this")
    assert not fires("You're wrong", context="reply", reply_to="@mymate")
    assert not fires("Nice recipe", site="comments", account="Me", context="comment", reply_to="bakingblog.example")


def test_a_comment_under_an_article_is_not_by_itself_a_reply_to_a_journalist(one_rule):
    # 002 section 3.5 is about answering published media comment, not about every news site's comment box.
    fires = one_rule("{media_target: {}}")
    assert not fires("That cake looks amazing", site="comments", account="Me", context="comment",
                      reply_to="https://www.theguardian.com/food/2024/cake")
    comment = one_rule("{news_comment: {}}")
    assert comment("That cake looks amazing", site="comments", account="Me", context="comment",
                   reply_to="https://www.theguardian.com/food/2024/cake")
    assert not comment("That cake looks amazing", site="comments", account="Me", context="comment",
                       reply_to="https://bakingblog.example/cake")


def test_journalists_from_pack_data_per_site_and_from_what_the_page_shows(one_rule):
    extra = ("media:\n  journalists: [\"@janereports\"]\n  sites:\n    bluesky: [bbcnews.bsky.social]\n"
             "  outlet_names: [The Times]\n")
    fires = one_rule("{media_target: {mentions: false}}", extra=extra)
    assert fires("Not quite right", context="reply", reply_to="@janereports")
    assert fires("Not quite right", site="bluesky", account="me", context="reply", reply_to="bbcnews.bsky.social")
    assert not fires("Not quite right", context="reply", reply_to="bbcnews.bsky.social")  # on X, someone else
    # What the page reports of the account replied to: a bio naming the trade or the outlet.
    assert fires("Not quite right", context="reply", reply_to="@sam_k Health correspondent, writes for the i")
    assert not fires("Not quite right", context="reply", reply_to="@sam_k Dad, runner, cake fan")
    assert fires("Not quite right", context="reply", reply_to="@sam_k Political editor at The Times")


def test_local_papers_by_the_words_in_their_address(one_rule):
    from onrecord.policy.detectors.media import looks_like_news
    words = ["gazette", "echo", "news", "post"]
    assert looks_like_news("https://www.liverpoolecho.co.uk/news/x", words)
    assert looks_like_news("harrogateadvertiser.co.uk", words + ["advertiser"])
    assert not looks_like_news("bakingblog.example", words)
    fires = one_rule("{news_comment: {}}")
    assert fires("Wrong", site="comments", account="Me", context="comment", reply_to="https://www.bournemouthecho.co.uk/news")
    assert not fires("Wrong", context="reply", reply_to="https://www.bournemouthecho.co.uk/news")
