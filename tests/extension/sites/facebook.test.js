'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, pasteInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

function feed() {
  return loadSite('facebook', 'feed-2026-11-20.html', 'https://www.facebook.com/');
}

test('facebook: detected on facebook.com only', () => {
  const { adapter, window } = feed();
  assert.equal(adapter.detect(window.location, window.document), true);
  assert.equal(adapter.detect(new URL('https://web.facebook.com/groups/1'), window.document), true);
  assert.equal(adapter.detect(new URL('https://facebook.example.com/'), window.document), false);
});

test('facebook: finds the composer, the comment box and the reply box, all Lexical', () => {
  const { adapter, document } = feed();
  const editors = adapter.findEditors(document);
  assert.deepEqual(plain(editors.map((e) => e.getAttribute('aria-label'))),
    ["What's on your mind, Raj?", 'Comment as Raj Mehta', 'Reply to Sam Patel']);
  assert.deepEqual(plain(editors.map((e) => adapter.editorKind(e))), ['lexical', 'lexical', 'lexical']);
  assert.deepEqual(plain(editors.map((e) => adapter.context(e))), ['post', 'comment', 'reply']);
});

test('facebook: Messenger chat boxes are not compose boxes', () => {
  const { adapter, document } = feed();
  const chat = document.querySelector('#comment-form [data-lexical-editor]').cloneNode(true);
  chat.setAttribute('aria-label', 'Message');
  document.body.appendChild(chat);
  assert.equal(adapter.findEditors(document).includes(chat), false);
});

test('facebook: the fixture editor is Lexical-like: typing and paste reach its state, raw DOM edits do not', async () => {
  const { adapter, window, document } = feed();
  const [composer] = adapter.findEditors(document);
  typeInto(window, composer, 'Busy clinic today');
  assert.equal(composer.__lexicalEditor.getText(), 'Busy clinic today');
  assert.equal(adapter.readText(composer), 'Busy clinic today');
  pasteInto(window, composer, ' Views my own.');
  assert.equal(adapter.readText(composer), 'Busy clinic today Views my own.');
  composer.querySelector('span').textContent = 'changed behind its back';
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(composer.__lexicalEditor.getText(), 'Busy clinic today Views my own.');
  assert.equal(adapter.readText(composer), 'Busy clinic today Views my own.');
});

test('facebook: the composer posts by its "Post" button; comments by "Comment" in their own form', () => {
  const { adapter, document } = feed();
  const [composer, comment, reply] = adapter.findEditors(document);
  assert.equal(adapter.findPostButton(composer).id, 'composer-post');
  assert.equal(adapter.findPostButton(comment).id, 'focused-state-composer-submit');
  assert.equal(adapter.findPostButton(reply).closest('form').id, 'reply-form');
});

test('facebook: plain Enter sends a comment, not a post; Shift+Enter is a new line', () => {
  const { adapter, window, document } = feed();
  const [composer, comment] = adapter.findEditors(document);
  const enter = new window.KeyboardEvent('keydown', { key: 'Enter' });
  const shiftEnter = new window.KeyboardEvent('keydown', { key: 'Enter', shiftKey: true });
  assert.equal(adapter.isSendKey(enter, comment), true);
  assert.equal(adapter.isSendKey(shiftEnter, comment), false);
  assert.equal(adapter.isSendKey(enter, composer), false);
  typeInto(window, comment, 'Great news');
  comment.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  assert.deepEqual(plain(window.__posted), [{ kind: 'comment', text: 'Great news' }]);
});

test('facebook: the account is the person; "Comment as" another name is a Page', () => {
  const { adapter, document } = feed();
  const [composer, comment, reply] = adapter.findEditors(document);
  const me = { handle: 'Raj Mehta', name: 'Raj Mehta', asPage: false };
  assert.deepEqual(plain(adapter.account(document, composer)), me);
  assert.deepEqual(plain(adapter.account(document, comment)), me);
  assert.deepEqual(plain(adapter.account(document, reply)), me);
  comment.setAttribute('aria-label', 'Comment as NHS Example Trust');
  assert.deepEqual(plain(adapter.account(document, comment)),
    { handle: 'NHS Example Trust', name: 'NHS Example Trust', asPage: true });
  composer.setAttribute('aria-label', "What's on your mind, NHS Example Trust?");
  assert.equal(adapter.account(document, composer).asPage, true);
});

test('facebook: a comment replies to the post author; a reply to the person named', () => {
  const { adapter, document } = feed();
  const [composer, comment, reply] = adapter.findEditors(document);
  assert.equal(adapter.replyTo(composer), null);
  assert.equal(adapter.replyTo(comment), 'Helen Ward');
  assert.equal(adapter.replyTo(reply), 'Sam Patel');
});

test('facebook: the card goes after the box, outside the Lexical root', () => {
  const { adapter, document } = feed();
  for (const editor of adapter.findEditors(document)) {
    const anchor = adapter.anchor(editor);
    assert.ok(anchor !== editor && anchor.contains(editor));
  }
});

test('facebook: an "Edit post" dialog is context edit', () => {
  const { adapter, document } = feed();
  document.getElementById('create-post-title').textContent = 'Edit post';
  assert.equal(adapter.context(adapter.findEditors(document)[0]), 'edit');
});

test('facebook: a post is held until the disclaimer goes in through beforeinput, then posted', async () => {
  await heldThenFixed({
    site: 'facebook', file: 'feed-2026-11-20.html', url: 'https://www.facebook.com/',
    expect: { account: 'Raj Mehta', context: 'post', reply_to: null },
  });
});

test('facebook: a comment sent by plain Enter is held the same way', async () => {
  const enter = (page, editor) => editor.dispatchEvent(new page.window.KeyboardEvent('keydown',
    { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
  await heldThenFixed({
    site: 'facebook', file: 'feed-2026-11-20.html', url: 'https://www.facebook.com/',
    editor: (editors) => editors[1], send: enter,
    expect: { account: 'Raj Mehta', context: 'comment', reply_to: 'Helen Ward' },
  });
});

test('facebook: posting as a Page, the send is the Post button of "Post settings", which "Next" opens', () => {
  const { adapter, document } = loadSite('facebook', 'page-composer-lexical-2026-12-03.html', 'https://www.facebook.com/');
  // The page's Lexical bundle is not run here; setRootElement marks its root like this.
  document.querySelector('[data-lexical-mount]').setAttribute('data-lexical-editor', 'true');
  const [editor] = adapter.findEditors(document);
  assert.deepEqual(plain(adapter.account(document, editor)),
    { handle: 'NHS Example Trust', name: 'NHS Example Trust', asPage: true });
  assert.equal(adapter.context(editor), 'post');
  // "Next" itself posts nothing: it only opens the next step.
  assert.equal(adapter.findPostButton(editor), null);
  document.getElementById('composer-next').click();
  const post = adapter.findPostButton(editor);
  assert.ok(post && post.hasAttribute('data-send'), 'the Post settings dialog\'s Post button is not the send');
  assert.ok(document.getElementById('post-settings').contains(post));
  document.getElementById('settings-back').click();
  assert.equal(adapter.findPostButton(editor), null);
});
