'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

const FEED = 'https://www.linkedin.com/feed/';

function feed() {
  return loadSite('linkedin', 'feed-2026-11-20.html', FEED);
}

test('linkedin: detected on linkedin.com only', () => {
  const { adapter, window } = feed();
  assert.equal(adapter.id, 'linkedin');
  assert.equal(adapter.detect(window.location, window.document), true);
  assert.equal(adapter.detect(new URL('https://uk.linkedin.com/in/x'), window.document), true);
  assert.equal(adapter.detect(new URL('https://notlinkedin.com/'), window.document), false);
});

test('linkedin: finds the share box, the comment box and the reply box, all Quill', () => {
  const { adapter, document } = feed();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 3);
  assert.deepEqual(plain(editors.map((e) => adapter.editorKind(e))), ['quill', 'quill', 'quill']);
  assert.deepEqual(plain(editors.map((e) => adapter.context(e))), ['post', 'comment', 'reply']);
});

test('linkedin: reads what was typed from the Quill model, line by line', () => {
  const { adapter, window, document } = feed();
  const [share] = adapter.findEditors(document);
  assert.equal(adapter.readText(share), '');
  typeInto(window, share, 'Proud of our team\nViews my own');
  assert.equal(share.closest('.ql-container').__quill.getText(), 'Proud of our team\nViews my own\n');
  assert.equal(adapter.readText(share), 'Proud of our team\nViews my own');
});

test('linkedin: the post button is the share modal\'s primary action; comments use their own submit', () => {
  const { adapter, document } = feed();
  const [share, comment, reply] = adapter.findEditors(document);
  assert.ok(adapter.findPostButton(share).matches('button.share-actions__primary-action'));
  const commentButton = adapter.findPostButton(comment);
  assert.equal(commentButton.textContent.trim(), 'Comment');
  assert.equal(commentButton.closest('form'), comment.closest('form'));
  const replyButton = adapter.findPostButton(reply);
  assert.equal(replyButton.textContent.trim(), 'Reply');
  assert.notEqual(replyButton, commentButton);
});

test('linkedin: the page\'s own Post handler runs on click once there is text', () => {
  const { adapter, window, document } = feed();
  const [share] = adapter.findEditors(document);
  typeInto(window, share, 'Hello');
  adapter.findPostButton(share).click();
  assert.deepEqual(plain(window.__posted), [{ kind: 'share', text: 'Hello' }]);
});

test('linkedin: the account is the member\'s profile slug and name, not a Page', () => {
  const { adapter, document } = feed();
  const [share, comment] = adapter.findEditors(document);
  assert.deepEqual(plain(adapter.account(document, share)), { handle: 'raj-mehta', name: 'Raj Mehta', asPage: false });
  assert.deepEqual(plain(adapter.account(document, comment)), { handle: 'raj-mehta', name: 'Raj Mehta', asPage: false });
});

test('linkedin: commenting as a Page through the identity switcher is asPage', () => {
  const { adapter, document } = feed();
  const [, comment] = adapter.findEditors(document);
  document.querySelector('.comments-comment-box__actor-toggle img').setAttribute('alt', 'NHS Example Trust');
  const account = adapter.account(document, comment);
  assert.equal(account.asPage, true);
  assert.equal(account.name, 'NHS Example Trust');
});

test('linkedin: a comment replies to the post author\'s profile', () => {
  const { adapter, document } = feed();
  const [share, comment, reply] = adapter.findEditors(document);
  assert.equal(adapter.replyTo(share), null);
  assert.equal(adapter.replyTo(comment), 'helen-ward-nhs');
  assert.equal(adapter.replyTo(reply), 'helen-ward-nhs');
});

test('linkedin: the card goes after the editor container, never over the text', () => {
  const { adapter, document } = feed();
  for (const editor of adapter.findEditors(document)) {
    const anchor = adapter.anchor(editor);
    assert.ok(anchor.contains(editor), 'anchor wraps the editor, so the card placed after it is below the text');
    assert.ok(!anchor.contains(adapter.findPostButton(editor)) || anchor.matches('.comments-comment-box__form'));
  }
  assert.equal(adapter.isSendKey({ key: 'Enter' }, adapter.findEditors(document)[1]), false);
});

test('linkedin: an "Edit post" modal is context edit', () => {
  const { adapter, document } = feed();
  document.getElementById('share-to-linkedin-modal__header').textContent = 'Edit post';
  assert.equal(adapter.context(adapter.findEditors(document)[0]), 'edit');
});

test('linkedin: a recommendation is context reference, replying to the person recommended', () => {
  const { adapter, window, document } = loadSite('linkedin', 'recommendation-2026-11-20.html',
    'https://www.linkedin.com/in/sam-patel/edit/forms/recommendation/write/?profileUrn=x');
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  const [editor] = editors;
  assert.equal(adapter.editorKind(editor), 'textarea');
  assert.equal(adapter.context(editor), 'reference');
  assert.equal(adapter.replyTo(editor), 'sam-patel');
  typeInto(window, editor, 'Sam is a superb manager.');
  assert.equal(adapter.readText(editor), 'Sam is a superb manager.');
  assert.equal(adapter.findPostButton(editor).textContent.trim(), 'Send');
  assert.equal(adapter.account(document, editor).name, 'Raj Mehta');
});

test('linkedin: on a Page\'s admin view the account is the Page', () => {
  const { adapter, document } = loadSite('linkedin', 'company-admin-2026-11-20.html',
    'https://www.linkedin.com/company/nhs-example-trust/admin/page-posts/published/');
  const [editor] = adapter.findEditors(document);
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: 'nhs-example-trust', name: 'NHS Example Trust', asPage: true });
  assert.equal(adapter.context(editor), 'post');
  assert.ok(adapter.findPostButton(editor).matches('.share-actions__primary-action'));
});

test('linkedin: held until the disclaimer is added through Quill\'s API, then posted', async () => {
  await heldThenFixed({
    site: 'linkedin', file: 'feed-2026-11-20.html', url: FEED,
    expect: { account: 'raj-mehta', context: 'post', reply_to: null },
  });
});

test('linkedin: the share box posting as a Page (its actor button) is asPage', () => {
  const { adapter, document } = feed();
  const [share] = adapter.findEditors(document);
  document.querySelector('.share-unified-settings-entry-button').setAttribute('aria-label', 'NHS Example Trust, Post to Anyone');
  assert.deepEqual(plain(adapter.account(document, share)), { handle: 'NHS Example Trust', name: 'NHS Example Trust', asPage: true });
});

test('linkedin: a Quill box in markup the adapter has no name for is still found; messaging is not', () => {
  const { adapter, document } = feed();
  const post = document.querySelector('.feed-shared-update-v2');
  post.insertAdjacentHTML('beforeend', '<form class="comments-new-box"><div class="ql-container">' +
    '<div class="ql-editor" contenteditable="true" role="textbox"><p><br></p></div></div>' +
    '<button type="submit">Comment</button></form>' +
    '<div class="msg-form"><div class="msg-form__contenteditable" contenteditable="true" role="textbox"></div></div>');
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 4);
  const added = editors[3];
  assert.ok(added.closest('.comments-new-box'));
  assert.equal(adapter.editorKind(added), 'quill');
  assert.equal(adapter.findPostButton(added).textContent, 'Comment');
  assert.equal(adapter.context(added), 'comment');
});

test('linkedin: an editor in unknown markup takes its context from its send button', () => {
  const { adapter, document } = feed();
  document.body.insertAdjacentHTML('beforeend', '<div class="new-composer"><div class="ql-container">' +
    '<div class="ql-editor" contenteditable="true" role="textbox"><p><br></p></div></div>' +
    '<div class="actions"><button type="button">Cancel</button><button type="button">Post</button></div></div>');
  const editor = document.querySelector('.new-composer .ql-editor');
  assert.ok(adapter.findEditors(document).includes(editor));
  assert.equal(adapter.findPostButton(editor).textContent, 'Post');
  assert.equal(adapter.context(editor), 'post');
});

// feed-quill-2026-12-03.html: the feed with generated class names, where "Start a post" renders the share
// dialog into the modal outlet and a post's "Comment" its comment box (Quill's editable root put in by hand:
// the page's own bundle makes it in a browser, see tests/e2e/test_linkedin_feed_composer.py).
function feedWithComposerOpen() {
  const site = loadSite('linkedin', 'feed-quill-2026-12-03.html', FEED);
  const { document } = site;
  const quillRoot = (mount, label) => mount.insertAdjacentHTML('beforeend', '<div class="ql-container">' +
    `<div class="ql-editor ql-blank" contenteditable="true" role="textbox" aria-label="${label}"><p><br></p></div></div>`);
  document.querySelector('[data-modal-outlet]').append(document.querySelector('[data-share-template]').content.cloneNode(true));
  quillRoot(document.querySelector('[data-modal-outlet] [data-quill-mount]'), 'Text editor for creating content');
  const comments = document.querySelector('[data-comments]');
  comments.append(document.querySelector('[data-comment-template]').content.cloneNode(true));
  quillRoot(comments.querySelector('[data-quill-comment]'), 'Text editor for creating comment');
  return site;
}

test('linkedin feed (generated class names): the composer over the feed and a comment box, each read right', () => {
  const { adapter, document } = feedWithComposerOpen();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 2);
  const share = editors.find((e) => e.closest('[role="dialog"]'));
  const comment = editors.find((e) => e !== share);
  assert.equal(adapter.context(share), 'post');
  assert.equal(adapter.replyTo(share), null);
  assert.equal(adapter.findPostButton(share).textContent.trim(), 'Post');
  assert.deepEqual(plain(adapter.account(document, share)), { handle: 'raj-mehta', name: 'Raj Mehta', asPage: false });
  assert.equal(adapter.context(comment), 'comment');
  assert.equal(adapter.findPostButton(comment).textContent.trim(), 'Comment');
  assert.equal(adapter.replyTo(comment), 'sam-patel');
  assert.deepEqual(plain(adapter.account(document, comment)), { handle: 'raj-mehta', name: 'Raj Mehta', asPage: false });
});
