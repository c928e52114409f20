'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadPage, type, paste } = require('../harness');

const HOME = 'https://x.com/home';
const STATUS = 'https://x.com/guardian/status/1859000000000000000';

function home() { return loadPage('x', 'home-2026-11-20.html', HOME); }
function status() { return loadPage('x', 'status-2026-11-20.html', STATUS); }
function x(page) { return page.sites.get('x'); }

test('x: detected on x.com and twitter.com, not on look-alikes', () => {
  const page = home();
  const adapter = page.sites.pick(page.window.location, page.document);
  assert.equal(adapter && adapter.id, 'x');
  assert.equal(x(page).detect(new URL('https://twitter.com/home'), page.document), true);
  assert.equal(x(page).detect(new URL('https://mobile.x.com/home'), page.document), true);
  assert.equal(x(page).detect(new URL('https://notx.com/home'), page.document), false);
  assert.equal(x(page).detect(new URL('https://x.com.evil.example/'), page.document), false);
});

test('x: finds the home box, the reply modal and both parts of a thread, never the labels', () => {
  const page = home();
  const editors = x(page).findEditors(page.document);
  assert.deepEqual([...editors.map((e) => e.getAttribute('data-testid'))],
    ['tweetTextarea_0', 'tweetTextarea_0', 'tweetTextarea_0', 'tweetTextarea_1']);
  assert.ok(editors.every((e) => e.getAttribute('contenteditable') === 'true'));
  assert.ok(editors.every((e) => x(page).editorKind(e) === 'draftjs'));
});

test('x: reads the draft from the editor after typing, line by line', () => {
  const page = home();
  const [editor] = x(page).findEditors(page.document);
  assert.equal(x(page).readText(editor), '');
  type(page.window, editor, 'Proud of the team\nViews my own');
  assert.equal(x(page).readText(editor), 'Proud of the team\nViews my own');
});

test('x: the fixture editor keeps its own state: DOM edits are undone, paste goes in', async () => {
  const page = home();
  const [editor] = x(page).findEditors(page.document);
  type(page.window, editor, 'Hello');
  editor.querySelector('[data-text="true"]').textContent = 'Hacked';
  await new Promise((r) => setTimeout(r, 0)); // mutation observers run
  assert.equal(x(page).readText(editor), 'Hello');
  paste(page.window, editor, ' world');
  assert.equal(x(page).readText(editor), 'Hello world');
});

test('x: the post button is the one of the editor\'s own compose box', () => {
  const page = home();
  const [homeBox, reply, thread0, thread1] = x(page).findEditors(page.document);
  assert.equal(x(page).findPostButton(homeBox).getAttribute('data-testid'), 'tweetButtonInline');
  assert.equal(x(page).findPostButton(reply).textContent.trim(), 'Reply');
  assert.equal(x(page).findPostButton(thread0).textContent.trim(), 'Post all');
  assert.equal(x(page).findPostButton(thread1), x(page).findPostButton(thread0));
});

test('x: the account comes from the account switcher, and follows a switch', () => {
  const page = home();
  const [editor] = x(page).findEditors(page.document);
  assert.deepEqual({ ...x(page).account(page.document, editor) }, { handle: '@amyclarke', name: 'Amy Clarke' });
  page.document.querySelector('[data-testid="SideNav_AccountSwitcher_Button"]').click();
  page.document.querySelector('[data-switch-to="@AmyatDH"]').click();
  assert.equal(x(page).account(page.document, editor).handle, '@AmyatDH');
});

test('x: a collapsed switcher (avatar only) still names the account', () => {
  const page = home();
  const switcher = page.document.querySelector('[data-testid="SideNav_AccountSwitcher_Button"]');
  switcher.lastElementChild.remove(); // the name and @handle
  const [editor] = x(page).findEditors(page.document);
  assert.equal(x(page).account(page.document, editor).handle, '@amyclarke');
});

test('x: without the switcher, the compose box\'s avatar names the account', () => {
  const page = home();
  page.document.querySelector('[data-testid="SideNav_AccountSwitcher_Button"]').remove();
  const [editor] = x(page).findEditors(page.document);
  assert.equal(x(page).account(page.document, editor).handle, '@amyclarke');
});

test('x: the home box is a post; the reply modal replies to the author it names', () => {
  const page = home();
  const [homeBox, reply, thread0] = x(page).findEditors(page.document);
  assert.equal(x(page).context(homeBox), 'post');
  assert.equal(x(page).replyTo(homeBox), null);
  assert.equal(x(page).context(reply), 'reply');
  assert.equal(x(page).replyTo(reply), '@guardian');
  assert.equal(x(page).context(thread0), 'post');
});

test('x: an inline reply on a post\'s page replies to that post\'s author', () => {
  const page = status();
  const [editor] = x(page).findEditors(page.document);
  assert.equal(x(page).context(editor), 'reply');
  assert.equal(x(page).replyTo(editor), '@guardian');
  assert.equal(x(page).findPostButton(editor).getAttribute('data-testid'), 'tweetButtonInline');
});

test('x: the card goes after the editor\'s label, outside the text', () => {
  const page = home();
  const [editor] = x(page).findEditors(page.document);
  const anchor = x(page).anchor(editor);
  assert.equal(anchor.getAttribute('data-testid'), 'tweetTextarea_0_label');
  assert.ok(anchor.contains(editor));
});

test('x: only Ctrl/Cmd+Enter sends (handled by core); plain Enter is a new line', () => {
  const page = home();
  const [editor] = x(page).findEditors(page.document);
  const enter = new page.window.KeyboardEvent('keydown', { key: 'Enter' });
  assert.equal(x(page).isSendKey(enter, editor), false);
});

test('x: every selector matches something in the fixtures', () => {
  const pages = [home(), status()];
  const { selectors } = x(pages[0]);
  for (const [name, selector] of Object.entries(selectors)) {
    assert.ok(pages.some((p) => p.document.querySelector(selector)), `selector ${name} matches nothing`);
  }
});
