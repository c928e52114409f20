'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

const ARTICLE = 'https://www.theguardian.com/society/2026/nov/20/nhs-primary-care-commissioning-framework';
const DISQUS = 'https://disqus.com/embed/comments/?base=default&f=examplenews&t_u=https%3A%2F%2Fwww.examplenews.co.uk%2Fhealth%2Fgp-funding&t_d=GP%20funding&s_o=default';

function guardian() { return loadSite('comments', 'guardian-2026-11-20.html', ARTICLE); }
function disqus(url = DISQUS, referrer) { return loadSite('comments', 'disqus-embed-2026-11-20.html', url, { referrer }); }

test('comments: detected on the Guardian and in the Disqus embed, not on disqus.com itself', () => {
  const g = guardian();
  assert.equal(g.adapter.detect(g.window.location, g.document), true);
  const d = disqus();
  assert.equal(d.adapter.detect(d.window.location, d.document), true);
  assert.equal(d.adapter.detect(new URL('https://disqus.com/home/'), d.document), false);
});

test('comments: the Guardian\'s comment and reply boxes are React textareas replying to theguardian.com', () => {
  const { adapter, document } = guardian();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 2);
  assert.deepEqual(plain(editors.map((e) => adapter.editorKind(e))), ['textarea', 'textarea']);
  assert.deepEqual(plain(editors.map((e) => adapter.context(e))), ['comment', 'reply']);
  assert.deepEqual(plain(editors.map((e) => adapter.replyTo(e))), ['theguardian.com', 'theguardian.com']);
  assert.deepEqual(plain(adapter.account(document, editors[0])), { handle: 'Raj Mehta', name: 'Raj Mehta' });
});

test('comments: the Guardian\'s "Post your comment" submits what reached the form state', () => {
  const { adapter, window, document } = guardian();
  const [editor] = adapter.findEditors(document);
  const button = adapter.findPostButton(editor);
  assert.equal(button.textContent, 'Post your comment');
  assert.equal(button.closest('form'), editor.closest('form'));
  typeInto(window, editor, 'Good news for GPs');
  assert.equal(adapter.readText(editor), 'Good news for GPs');
  button.click();
  assert.deepEqual(plain(window.__posted), [{ kind: 'comment', text: 'Good news for GPs' }]);
  assert.equal(adapter.anchor(editor), editor);
});

test('comments: Disqus\'s contenteditable box, "Post as", the signed-in user from the user menu', () => {
  const { adapter, document } = disqus();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 2);
  assert.deepEqual(plain(editors.map((e) => adapter.editorKind(e))), ['contenteditable', 'contenteditable']);
  assert.deepEqual(plain(editors.map((e) => adapter.context(e))), ['comment', 'reply']);
  assert.match(adapter.findPostButton(editors[0]).textContent, /^Post as/);
  assert.notEqual(adapter.findPostButton(editors[0]), adapter.findPostButton(editors[1]));
  // The commenter is the user menu's name, not the author of the comment shown (HelenW).
  assert.deepEqual(plain(adapter.account(document, editors[1])), { handle: 'Raj Mehta', name: 'Raj Mehta' });
  assert.ok(adapter.anchor(editors[0]).matches('.textarea-outer-wrapper, .textarea-wrapper'));
});

test('comments: Disqus replies to the embedding news domain: t_u first, then the referrer', () => {
  const { adapter, document } = disqus();
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.replyTo(editor), 'examplenews.co.uk');
  const byReferrer = disqus('https://disqus.com/embed/comments/?base=default&f=examplenews', 'https://www.othernews.com/story/1');
  assert.equal(byReferrer.adapter.replyTo(byReferrer.adapter.findEditors(byReferrer.document)[0]), 'othernews.com');
});

test('comments: Disqus reads the box\'s text, blocks as lines', () => {
  const { adapter, document } = disqus();
  const [editor] = adapter.findEditors(document);
  editor.innerHTML = '<p>First line</p><p>Second line</p>';
  assert.equal(adapter.readText(editor), 'First line\nSecond line');
});

test('comments: a Guardian comment is held until the disclaimer goes into the form state, then posted', async () => {
  await heldThenFixed({
    site: 'comments', file: 'guardian-2026-11-20.html', url: ARTICLE,
    expect: { account: 'Raj Mehta', context: 'comment', reply_to: 'theguardian.com' },
  });
});

test('comments: a Disqus comment is held until the disclaimer goes in, then posted', async () => {
  await heldThenFixed({
    site: 'comments', file: 'disqus-embed-2026-11-20.html', url: DISQUS,
    expect: { account: 'Raj Mehta', context: 'comment', reply_to: 'examplenews.co.uk' },
  });
});

const WP_ARTICLE = 'https://www.healthnewsdaily.example/2026/11/20/gp-funding/';
function wordpress() { return loadSite('comments', 'wordpress-comments-2026-11-20.html', WP_ARTICLE); }

test('comments: a WordPress comment form is recognised on any news site by its markup', () => {
  const { adapter, window, document } = wordpress();
  assert.equal(adapter.detect(window.location, document), true);
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  const [editor] = editors;
  assert.equal(adapter.editorKind(editor), 'textarea');
  assert.equal(adapter.context(editor), 'comment');
  assert.equal(adapter.replyTo(editor), 'healthnewsdaily.example');
  assert.equal(adapter.findPostButton(editor).id, 'submit');
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: 'Raj Mehta', name: 'Raj Mehta' });
});

test('comments: WordPress: replying to a comment, and a guest\'s name', () => {
  const { adapter, document } = wordpress();
  const [editor] = adapter.findEditors(document);
  // "Reply" moves the form under the comment and sets comment_parent, as comment-reply.js does.
  document.getElementById('div-comment-41').after(document.getElementById('respond'));
  document.getElementById('comment_parent').value = '41';
  assert.equal(adapter.context(editor), 'reply');
  document.querySelector('.logged-in-as').remove();
  document.querySelector('.comment-form-comment').insertAdjacentHTML('afterend',
    '<p class="comment-form-author"><label for="author">Name</label><input id="author" name="author" type="text" value="Raj M"></p>');
  assert.equal(adapter.account(document, editor).handle, 'Raj M');
});

test('comments: a WordPress comment is held until the disclaimer goes in, then posted', async () => {
  await heldThenFixed({
    site: 'comments', file: 'wordpress-comments-2026-11-20.html', url: WP_ARTICLE,
    expect: { account: 'Raj Mehta', context: 'comment', reply_to: 'healthnewsdaily.example' },
  });
});

test('comments: a Guardian page that names no commenter: checked as undeclared, and the card asks who to declare', async () => {
  const { fakeChrome } = require('../harness');
  const { until, WORK } = require('./flow');
  const UNKNOWN = { id: 'nhse.unknown-account', category: 'unknown_account', severity: 'confirm',
    message: 'Is this account personal, official or corporate?', source: 'Civil Service guidance' };
  const DISCLAIMER = { id: 'nhse.disclaimer', category: 'disclaimer', severity: 'confirm', message: 'Add a disclaimer.',
    source: 'NHS England social media policy 3.1', fix: { type: 'append', text: 'Views my own.' } };
  const declared = {};
  // Answers as the background does: the site's one declared account when the page names none.
  const chrome = fakeChrome((m) => {
    if (m.type === 'content/declare-account') { declared[m.account.handle] = m.account.channel; return { account: m.account }; }
    if (m.type !== 'content/check') return { ok: true };
    const [handle] = Object.keys(declared);
    if (!m.draft.account && handle) {
      return { status: 'ok', account: { site: 'comments', handle, channel: declared[handle] }, prompts: [DISCLAIMER], inferred: true };
    }
    return { status: 'ok', account: { site: 'comments', handle: '', channel: 'unknown' }, prompts: [UNKNOWN] };
  });
  const { adapter, window, document } = loadSite('comments', 'guardian-2026-11-20.html', ARTICLE, { core: true, chrome });
  document.querySelector('.d-comment-box__author').remove(); // the current page names nobody
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.account(document, editor), null);
  typeInto(window, editor, WORK);
  const card = () => document.querySelector('[data-onrecord="card"]');
  const inCard = (sel) => card() && card().shadowRoot.querySelector(sel);
  await until(() => inCard('[data-onrecord-category="unknown_account"]'), 'the undeclared account prompt');
  const checks = () => chrome.sent.filter((m) => m.type === 'content/check');
  assert.equal(checks()[0].draft.account, '');
  assert.equal(inCard('[data-onrecord="channel"]').textContent, 'Undeclared account');

  const handle = inCard('[data-onrecord="account-handle"]');
  assert.ok(handle, 'no field for the handle the page does not show');
  inCard('[data-onrecord-action="declare-personal"]').click();
  assert.equal(handle.getAttribute('aria-invalid'), 'true');
  assert.equal(chrome.sent.filter((m) => m.type === 'content/declare-account').length, 0, 'declared an empty handle');
  handle.value = 'Raj Mehta';
  handle.dispatchEvent(new window.Event('input', { bubbles: true }));
  inCard('[data-onrecord-action="declare-personal"]').click();
  await until(() => inCard('[data-onrecord-category="disclaimer"]'), 'the check under the declared account');
  assert.deepEqual(plain(chrome.sent.find((m) => m.type === 'content/declare-account').account),
    { site: 'comments', handle: 'Raj Mehta', channel: 'personal' });
  assert.equal(inCard('[data-onrecord="channel"]').textContent, 'Personal · Raj Mehta');
  assert.equal(inCard('[data-onrecord="account-handle"]'), null);
});
