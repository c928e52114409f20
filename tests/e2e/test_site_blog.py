"""WordPress in real Chromium with the real extension and a real helper, served as amyclarke.blog. The
block editor's page has a minimal wp.data: the hold locks post saving, which disables Publish as
Gutenberg does; a click on that disabled Publish still shows the hold dialog, and the disclaimer goes
in as a block. The classic editor's Publish is held directly."""

from __future__ import annotations

from site_flow import held_then_fixed, posted, staff_browser  # noqa: F401  (staff_browser is a fixture)

BLOCKS_STATE = ("[wp.data.select('core/editor').getEditedPostAttribute('title') || '',"
                " ...wp.data.select('core/block-editor').getBlocks().map((b) => b.attributes.content)]"
                ".filter(Boolean).join('\\n\\n')")


def test_gutenberg_publishing_is_locked_and_held_until_the_disclaimer_block_is_added(staff_browser, failure_shot):
    page = staff_browser.open("blog", "wp-admin/post-new.php")
    failure_shot(page)
    held_then_fixed(page, editor=".block-editor-rich-text__editable", post=".editor-post-publish-button",
                    state=BLOCKS_STATE, channel="Personal · amyclarke.blog", locked=True)
    assert posted(page)[0]["content"][0].startswith("Our new primary care")


def test_the_classic_editors_publish_is_held(staff_browser, failure_shot):
    page = staff_browser.open("blog", "wp-admin/post.php")
    failure_shot(page)
    held_then_fixed(page, editor="#content", post="#publish",
                    state="document.getElementById('content').value", channel="Personal · amyclarke.blog")
    assert posted(page)[0]["kind"] == "publish"
