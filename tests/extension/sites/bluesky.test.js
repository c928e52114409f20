'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, pasteInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

function home() {
  return loadSite('bluesky', 'home-2026-11-20.html', 'https://bsky.app/');
}

test('bluesky: detected on bsky.app only', () => {
  const { adapter, window } = home();
  assert.equal(adapter.detect(window.location, window.document), true);
  assert.equal(adapter.detect(new URL('https://bsky.app.example.com/'), window.document), false);
});

test('bluesky: finds each post of a thread in the composer, all ProseMirror', () => {
  const { adapter, document } = home();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 2);
  assert.deepEqual(plain(editors.map((e) => adapter.editorKind(e))), ['prosemirror', 'prosemirror']);
  assert.deepEqual(plain(editors.map((e) => adapter.context(e))), ['post', 'post']);
  // One publish button sends the whole thread.
  assert.equal(adapter.findPostButton(editors[0]), adapter.findPostButton(editors[1]));
  assert.equal(adapter.findPostButton(editors[0]).getAttribute('data-testid'), 'composerPublishBtn');
});

test('bluesky: the placeholder is not draft text; typed and pasted text is', () => {
  const { adapter, window, document } = home();
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.readText(editor), '');
  typeInto(window, editor, 'Primary care update');
  pasteInto(window, editor, '\nViews my own.');
  assert.equal(editor.pmView.text(), 'Primary care update\nViews my own.');
  assert.equal(adapter.readText(editor), 'Primary care update\nViews my own.');
  adapter.findPostButton(editor).click();
  assert.deepEqual(plain(window.__posted), [{ kind: 'post', posts: ['Primary care update\nViews my own.', ''] }]);
});

test('bluesky: the account is the stored session\'s current handle; tokens are not read', () => {
  const { adapter, window, document } = home();
  const storage = window.localStorage;
  const raw = storage.getItem('BSKY_STORAGE');
  assert.match(raw, /accessJwt/);
  assert.deepEqual(plain(adapter.account(document, adapter.findEditors(document)[0])), { handle: '@rajmehta.bsky.social' });
  // The handle is all the adapter returns: nothing of the session's tokens leaves it.
  assert.doesNotMatch(JSON.stringify(adapter.account(document)), /Jwt|NOT-A-REAL/);
  storage.removeItem('BSKY_STORAGE');
  // Without a stored session, the navigation's Profile link says who is signed in.
  assert.deepEqual(plain(adapter.account(document)), { handle: '@rajmehta.bsky.social' });
  storage.setItem('BSKY_STORAGE', '{not json');
  assert.deepEqual(plain(adapter.account(document)), { handle: '@rajmehta.bsky.social' });
  document.querySelector('nav a[aria-label="Profile"]').remove();
  assert.equal(adapter.account(document), null);
});

test('bluesky: a reply is context reply, to the author shown above the editor', () => {
  const { adapter, document } = loadSite('bluesky', 'reply-2026-11-20.html',
    'https://bsky.app/profile/helenward.bsky.social/post/3lbxyz');
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.context(editor), 'reply');
  assert.equal(adapter.replyTo(editor), 'Helen Ward');
  assert.equal(adapter.findPostButton(editor).getAttribute('aria-label'), 'Publish reply');
  // When the author's profile is linked, the handle is used.
  const shown = document.querySelector('[aria-label="Expand or collapse the full post you are replying to"]');
  const link = document.createElement('a');
  link.href = '/profile/helenward.bsky.social';
  shown.prepend(link);
  assert.equal(adapter.replyTo(editor), '@helenward.bsky.social');
});

test('bluesky: a new post has no reply target; the card follows the editor', () => {
  const { adapter, document } = home();
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.replyTo(editor), null);
  const anchor = adapter.anchor(editor);
  assert.ok(anchor !== editor && anchor.contains(editor));
  assert.equal(adapter.isSendKey({ key: 'Enter' }, editor), false);
});

test('bluesky: held until the disclaimer is pasted into ProseMirror, then posted', async () => {
  await heldThenFixed({
    site: 'bluesky', file: 'home-2026-11-20.html', url: 'https://bsky.app/',
    expect: { account: '@rajmehta.bsky.social', context: 'post', reply_to: null },
  });
});
