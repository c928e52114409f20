'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

function home(url = 'https://mastodon.social/home') {
  return loadSite('mastodon', 'home-2026-11-20.html', url);
}

test('mastodon: recognised by its markup on any instance, not by host name', () => {
  const { adapter, window, document } = home('https://health.example.org/home');
  assert.equal(adapter.detect(window.location, document), true);
  const other = loadSite('linkedin', 'feed-2026-11-20.html', 'https://www.linkedin.com/feed/');
  assert.equal(adapter.detect(other.window.location, other.document), false);
});

test('mastodon: the compose textarea is the one editor; the spoiler field is not', () => {
  const { adapter, document } = home();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  assert.equal(adapter.editorKind(editors[0]), 'textarea');
  const spoiler = document.createElement('input');
  spoiler.className = 'spoiler-input__input';
  document.querySelector('.compose-form__scrollable').prepend(spoiler);
  assert.equal(adapter.findEditors(document).length, 1);
});

test('mastodon: the account is @acct@domain from #initial-state meta.me, and the token is not touched', () => {
  const { adapter, window, document } = home();
  const [editor] = adapter.findEditors(document);
  const seen = [];
  // Every property read of the parsed state's meta is recorded: the adapter must never ask for the token.
  const JSON = window.JSON;
  const parse = JSON.parse;
  JSON.parse = (text) => {
    const value = parse(text);
    if (value && value.meta) {
      value.meta = new Proxy(value.meta, { get(target, prop) { seen.push(prop); return target[prop]; } });
    }
    return value;
  };
  try {
    const account = adapter.account(document, editor);
    assert.deepEqual(plain(account), { handle: '@rajmehta@mastodon.social', name: 'Raj Mehta' });
  } finally {
    JSON.parse = parse;
  }
  assert.ok(seen.includes('me'), 'the adapter read meta.me through the parsed state');
  assert.ok(!seen.includes('access_token'));
});

test('mastodon: without "me" in the state, the compose column\'s avatar link; without either, none', () => {
  const { adapter, document } = home();
  document.getElementById('initial-state').textContent = '{"meta":{"domain":"mastodon.social"},"accounts":{}}';
  assert.deepEqual(plain(adapter.account(document, adapter.findEditors(document)[0])), { handle: '@rajmehta@mastodon.social' });
  document.querySelector('.navigation-bar').remove();
  assert.equal(adapter.account(document, adapter.findEditors(document)[0]), null);
});

test('mastodon: typing reaches the React state; the publish button posts it', () => {
  const { adapter, window, document } = home();
  const [editor] = adapter.findEditors(document);
  typeInto(window, editor, 'Clinic waiting times are down');
  assert.equal(window.__composeState.text, 'Clinic waiting times are down');
  assert.equal(adapter.readText(editor), 'Clinic waiting times are down');
  const button = adapter.findPostButton(editor);
  assert.equal(button.textContent, 'Post');
  assert.equal(button.disabled, false);
  button.click();
  assert.deepEqual(plain(window.__posted), [{ kind: 'post', text: 'Clinic waiting times are down' }]);
});

test('mastodon: the fixture textarea is React-like: only the prototype setter and input reach the state', () => {
  const { adapter, window, document } = home();
  const [editor] = adapter.findEditors(document);
  editor.value = 'set on the element';
  editor.dispatchEvent(new window.Event('input', { bubbles: true }));
  assert.equal(window.__composeState.text, '');
  Object.getOwnPropertyDescriptor(window.HTMLTextAreaElement.prototype, 'value').set.call(editor, 'set through the prototype');
  editor.dispatchEvent(new window.Event('input', { bubbles: true }));
  assert.equal(window.__composeState.text, 'set through the prototype');
});

test('mastodon: a new post is context post with no reply target; the card goes after the box', () => {
  const { adapter, document } = home();
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.context(editor), 'post');
  assert.equal(adapter.replyTo(editor), null);
  assert.ok(adapter.anchor(editor).matches('.autosuggest-textarea'));
  assert.equal(adapter.isSendKey({ key: 'Enter' }, editor), false);
});

test('mastodon: a reply names the author as @user@instance', () => {
  const { adapter, document } = loadSite('mastodon', 'reply-2026-11-20.html',
    'https://mastodon.social/@helenward@nhs.social/113512345678901234');
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.context(editor), 'reply');
  assert.equal(adapter.replyTo(editor), '@helenward@nhs.social');
  assert.equal(adapter.readText(editor), '@helenward@nhs.social ');
  assert.equal(adapter.findPostButton(editor).textContent, 'Reply');
  // A local author's link has no instance: the reader's own instance is theirs.
  document.querySelector('.display-name__account').remove();
  for (const a of document.querySelectorAll('.reply-indicator a')) a.setAttribute('href', '/@samp');
  assert.equal(adapter.replyTo(editor), '@samp@mastodon.social');
});

test('mastodon: editing a post is context edit', () => {
  const { adapter, document } = home();
  const [editor] = adapter.findEditors(document);
  const edit = document.createElement('div');
  edit.className = 'edit-indicator';
  document.querySelector('.compose-form').prepend(edit);
  assert.equal(adapter.context(editor), 'edit');
});

test('mastodon: held until the disclaimer goes in through the value setter, then posted', async () => {
  await heldThenFixed({
    site: 'mastodon', file: 'home-2026-11-20.html', url: 'https://mastodon.social/home',
    expect: { account: '@rajmehta@mastodon.social', context: 'post', reply_to: null },
  });
});
