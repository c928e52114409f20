'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

function home(url = 'https://www.threads.net/') {
  return loadSite('threads', 'home-2026-11-20.html', url);
}

test('threads: detected on threads.net and threads.com', () => {
  const { adapter, window } = home();
  assert.equal(adapter.detect(window.location, window.document), true);
  assert.equal(adapter.detect(new URL('https://www.threads.com/'), window.document), true);
  assert.equal(adapter.detect(new URL('https://threads.example.net/'), window.document), false);
});

test('threads: the composer is a Lexical editor; typing reaches its state, DOM edits do not', async () => {
  const { adapter, window, document } = home();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  const [editor] = editors;
  assert.equal(adapter.editorKind(editor), 'lexical');
  typeInto(window, editor, 'Clinic news');
  assert.equal(adapter.readText(editor), 'Clinic news');
  editor.querySelector('span').textContent = 'tampered';
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(adapter.readText(editor), 'Clinic news');
});

test('threads: "Post" is the send button, not "Add to thread"', () => {
  const { adapter, window, document } = home();
  const [editor] = adapter.findEditors(document);
  const button = adapter.findPostButton(editor);
  assert.equal(button.id, 'post');
  typeInto(window, editor, 'Hello');
  button.click();
  assert.deepEqual(plain(window.__posted), [{ kind: 'post', text: 'Hello' }]);
});

test('threads: the account is the nav profile link\'s username', () => {
  const { adapter, document } = home();
  assert.deepEqual(plain(adapter.account(document, adapter.findEditors(document)[0])), { handle: '@rajmehta' });
  document.querySelector('nav a[href="/@rajmehta"]').remove();
  assert.equal(adapter.account(document), null);
});

test('threads: a new thread is a post; a reply names whom it replies to', () => {
  const page = home();
  const [editor] = page.adapter.findEditors(page.document);
  assert.equal(page.adapter.context(editor), 'post');
  assert.equal(page.adapter.replyTo(editor), null);
  const reply = loadSite('threads', 'reply-2026-11-20.html', 'https://www.threads.net/@helenward/post/DCq1abcXYZ');
  const [r] = reply.adapter.findEditors(reply.document);
  assert.equal(reply.adapter.context(r), 'reply');
  assert.equal(reply.adapter.replyTo(r), '@helenward');
});

test('threads: the card follows the editor\'s wrapper', () => {
  const { adapter, document } = home();
  const [editor] = adapter.findEditors(document);
  const anchor = adapter.anchor(editor);
  assert.ok(anchor !== editor && anchor.contains(editor));
});

test('threads: held until the disclaimer goes in through beforeinput, then posted', async () => {
  await heldThenFixed({
    site: 'threads', file: 'home-2026-11-20.html', url: 'https://www.threads.net/',
    expect: { account: '@rajmehta', context: 'post', reply_to: null },
  });
});

test('threads: a malformed link does not break reading the account', () => {
  const { adapter, document } = home();
  document.querySelector('nav a[href="/@rajmehta"]').setAttribute('href', '/@raj%E0mehta');
  assert.deepEqual(plain(adapter.account(document)), { handle: '@raj%E0mehta' });
});

test('threads: with no profile link in the navigation, the composer names who posts', () => {
  const { adapter, document } = loadSite('threads', 'composer-lexical-2026-12-03.html', 'https://www.threads.com/');
  // The page's Lexical bundle is not run here; setRootElement marks its root like this.
  document.querySelector('[data-lexical-mount]').setAttribute('data-lexical-editor', 'true');
  const [editor] = adapter.findEditors(document);
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: '@rajmehta' });
  document.querySelector('nav a[href="/@rajmehta"]').remove();
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: '@rajmehta' }, 'the username above the editor');
  const column = editor.parentElement;
  column.querySelector('span[dir="auto"]').remove();
  const avatar = document.createElement('img');
  avatar.alt = "rajmehta's profile picture";
  column.prepend(avatar);
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: '@rajmehta' }, 'the avatar\'s alt text');
  avatar.remove();
  assert.equal(adapter.account(document, editor), null);
});
