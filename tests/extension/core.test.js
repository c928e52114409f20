'use strict';
// The content script's controller against the saved X page in jsdom: when it checks, what the card
// shows, when a post is held, and what an answer covers. The background is replaced by a function
// that answers as the helper would (the browser tests use the real background and helper).
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadPage, type, fakeChrome, wait, until, checked } = require('./harness');

const WORK = 'Proud that our health and wellbeing boards guidance went live today at the Department of Health.';
const DISCLAIMER = {
  id: 'dh.disclaimer.personal-work', category: 'disclaimer', severity: 'confirm',
  message: 'You are posting about work from a personal account: add a disclaimer.',
  source: 'NHS England social media policy 3.1', fix: { type: 'append', text: 'Views my own.' },
};
const PERMANENCE = { id: 'dh.permanence', category: 'permanence', severity: 'info',
  message: 'Posts are public and permanent.', source: 'Civil Service Code' };
const SECRET = { id: 'dh.classified', category: 'classified', severity: 'warn',
  message: 'This looks like classified material.', source: 'Official attributed content 11' };

const MEDIA = { id: 'dh.media.personal', category: 'media', severity: 'confirm',
  message: 'You are replying to the media: say you speak for yourself.', source: 'Civil Service Code',
  fix: { type: 'append', text: 'I am speaking for myself, not my department.' } };

// Answers like the helper: a work draft without a disclaimer needs one; OFFICIAL-SENSITIVE warns.
function helperLike(message) {
  if (message.type !== 'content/check') return { ok: true };
  const { text, account } = message.draft;
  const prompts = [PERMANENCE];
  if (/Department of Health/.test(text) && !/Views my own/.test(text)) prompts.push(DISCLAIMER);
  if (/OFFICIAL-SENSITIVE/.test(text)) prompts.push(SECRET);
  if (/journalist/.test(text) && !/speaking for myself/.test(text)) prompts.push(MEDIA);
  const channel = account === '@AmyatDH' ? 'official' : 'personal';
  return { status: 'ok', account: { site: 'x', handle: account, channel }, prompts };
}

async function page(answer = helperLike) {
  const chrome = fakeChrome(answer);
  const p = loadPage('x', 'home-2026-11-20.html', 'https://x.com/home', { scripts: 'all', chrome });
  await wait(10); // storage read, first scan
  const [editor] = p.sites.get('x').findEditors(p.document);
  const checks = () => chrome.sent.filter((m) => m.type === 'content/check');
  const card = () => p.document.querySelector('[data-onrecord="card"]');
  const inCard = (sel) => card() && card().shadowRoot.querySelector(sel);
  const post = () => p.document.querySelector('[data-testid="tweetButtonInline"]');
  return { ...p, chrome, editor, checks, card, inCard, post };
}

test('core: checks once, about 300 ms after typing stops, with the draft and who is posting', async () => {
  const p = await page();
  type(p.window, p.editor, 'Proud of');
  await wait(150);
  type(p.window, p.editor, ' the team');
  await wait(150);
  assert.equal(p.checks().length, 0, 'checked while still typing');
  await until(() => p.checks().length >= 1, 5000, 'a check');
  await wait(350);
  assert.equal(p.checks().length, 1);
  assert.deepEqual({ ...p.checks()[0].draft }, {
    site: 'x', account: '@amyclarke', text: 'Proud of the team', context: 'post', reply_to: null });
});

test('core: an unchanged draft is not checked again; an empty one is never checked', async () => {
  const p = await page();
  p.editor.focus();
  p.editor.dispatchEvent(new p.window.InputEvent('beforeinput', { inputType: 'insertText', data: ' ', bubbles: true, cancelable: true }));
  await checked(p.window);
  assert.equal(p.checks().length, 0, 'a blank draft was sent');
  type(p.window, p.editor, 'Hi');
  await checked(p.window);
  p.editor.dispatchEvent(new p.window.Event('input', { bubbles: true }));
  p.editor.setAttribute('data-x', '1'); // unrelated mutation inside the editor
  await checked(p.window);
  assert.equal(p.checks().length, 1);
});

test('core: the card shows the channel badge and each prompt with its severity and source', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  assert.equal(p.inCard('[data-onrecord="channel"]').textContent, 'Personal · @amyclarke');
  const prompt = p.inCard('[data-onrecord-category="disclaimer"]');
  assert.equal(prompt.getAttribute('data-onrecord-severity'), 'confirm');
  assert.match(prompt.textContent, /NHS England social media policy 3\.1/);
  assert.ok(p.inCard('[data-onrecord-category="permanence"]'));
  assert.match(p.inCard('[role="status"]').textContent, /2 prompts/);
  // In the page's flow after the editor's label: it never covers the text.
  assert.equal(p.card().previousElementSibling.getAttribute('data-testid'), 'tweetTextarea_0_label');
});

test('core: Post is held while a confirm prompt is unanswered, and the page\'s handler does not run', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  p.post().click();
  assert.equal(p.window.__posted.length, 0);
  assert.ok(p.document.querySelector('[data-onrecord="hold"]'), 'no hold dialog');
  // Ctrl+Enter is held too.
  p.editor.dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
  assert.equal(p.window.__posted.length, 0);
});

test('core: Add disclaimer goes into the editor\'s own state, the prompt clears, Post goes through', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  p.post().click();
  p.inCard('[data-onrecord-action="insert-disclaimer"]').click();
  await until(() => p.chrome.sent.some((m) => m.type === 'content/decision'), 5000, 'the fix');
  await checked(p.window);
  assert.equal(p.sites.get('x').readText(p.editor), `${WORK} Views my own.`);
  assert.equal(p.inCard('[data-onrecord-category="disclaimer"]'), null);
  assert.equal(p.document.querySelector('[data-onrecord="hold"]'), null, 'hold dialog still shown');
  p.post().click();
  assert.equal(p.window.__posted.length, 1);
  assert.deepEqual([...p.window.__posted[0].parts], [`${WORK} Views my own.`]);
  const decisions = p.chrome.sent.filter((m) => m.type === 'content/decision').map((m) => m.decision.decision);
  assert.deepEqual(decisions, ['fixed', 'posted']);
});

test('core: an acknowledgement covers this account and this text only: an edit asks again', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  p.inCard('[data-onrecord-action="acknowledge"]').click();
  type(p.window, p.editor, '!');
  await checked(p.window);
  p.post().click();
  assert.equal(p.window.__posted.length, 0, 'the edited draft went through on an old answer');
  p.inCard('[data-onrecord-action="acknowledge"]').click();
  p.post().click();
  assert.equal(p.window.__posted.length, 1);
});

test('core: a warn prompt needs a reason; the override is recorded with it', async () => {
  const p = await page();
  type(p.window, p.editor, 'Draft marked OFFICIAL-SENSITIVE');
  await checked(p.window);
  p.inCard('[data-onrecord-action="override"]').click();
  p.post().click();
  assert.equal(p.window.__posted.length, 0, 'an override without a reason let the post through');
  const reason = p.inCard('[data-onrecord="override-reason"]');
  reason.value = 'Marking is quoted from a public report';
  reason.dispatchEvent(new p.window.Event('input', { bubbles: true }));
  p.inCard('[data-onrecord-action="override"]').click();
  p.post().click();
  assert.equal(p.window.__posted.length, 1);
  const override = p.chrome.sent.find((m) => m.type === 'content/decision' && m.decision.decision === 'overridden');
  assert.equal(override.decision.reason, 'Marking is quoted from a public report');
  assert.deepEqual([...override.decision.categories], ['classified']);
  assert.ok(!JSON.stringify(override).includes('OFFICIAL-SENSITIVE'), 'the draft text went into a decision');
});

test('core: a Post pressed before the check finished is held, checked at once, then sent if clear', async () => {
  const p = await page();
  type(p.window, p.editor, 'Sunday bake: lemon drizzle');
  p.post().click();
  assert.equal(p.window.__posted.length, 0);
  await until(() => p.window.__posted.length === 1, 5000, 'the clear draft to be sent on');
});

test('core: when the background says the helper is not running, the card says so and nothing is held', async () => {
  const offline = () => ({ status: 'not-running', account: { site: 'x', handle: '@amyclarke', channel: 'unknown' },
    prompts: [{ ...PERMANENCE, id: 'onrecord.permanence.offline' }],
    notice: { message: 'The OnRecord helper is not running.', command: 'onrecord run' } });
  const p = await page(offline);
  type(p.window, p.editor, WORK);
  await checked(p.window);
  assert.match(p.inCard('[data-onrecord="notice"]').textContent, /not running.*onrecord run/);
  assert.ok(p.inCard('[data-onrecord-category="permanence"]'));
  p.post().click();
  assert.equal(p.window.__posted.length, 1);
});

test('core: a disabled Post button is left disabled and nothing is held', async () => {
  const p = await page();
  assert.equal(p.post().disabled, true);
  p.post().click();
  await wait(50);
  assert.equal(p.post().disabled, true);
  assert.equal(p.document.querySelector('[data-onrecord="hold"]'), null);
});

test('core: the card follows a dark theme', async () => {
  const chrome = fakeChrome(helperLike);
  const p = loadPage('x', 'status-2026-11-20.html', 'https://x.com/guardian/status/1', { scripts: 'all', chrome });
  p.document.body.style.backgroundColor = 'rgb(0, 0, 0)'; // jsdom does not load the stylesheet
  await wait(10);
  const [editor] = p.sites.get('x').findEditors(p.document);
  type(p.window, editor, WORK);
  await checked(p.window);
  assert.equal(p.document.querySelector('[data-onrecord="card"]').getAttribute('data-theme'), 'dark');
  assert.equal(chrome.sent.find((m) => m.type === 'content/check').draft.reply_to, '@guardian');
});

test('core: "Post all" on a thread is held when any part needs an answer', async () => {
  const p = await page();
  p.document.getElementById('compose-layer').hidden = false;
  const thread = p.document.querySelector('[data-composer="thread"]');
  const [first, second] = thread.querySelectorAll('[data-testid^="tweetTextarea_"][contenteditable="true"]');
  type(p.window, first, 'A thread on boards');
  type(p.window, second, WORK);
  await checked(p.window);
  thread.querySelector('[data-testid="tweetButton"]').click();
  assert.equal(p.window.__posted.length, 0, 'the thread went out with an unanswered part');
  assert.ok(thread.querySelector('[data-onrecord="hold"]'));
});

test('core: switching account re-checks the same draft under the new account', async () => {
  const p = await page();
  type(p.window, p.editor, 'Hello all');
  await checked(p.window);
  p.document.querySelector('[data-testid="SideNav_AccountSwitcher_Button"]').click();
  p.document.querySelector('[data-switch-to="@AmyatDH"]').click();
  await until(() => p.checks().length === 2, 5000, 'a second check');
  assert.equal(p.checks()[1].draft.account, '@AmyatDH');
  await checked(p.window);
  assert.equal(p.inCard('[data-onrecord="channel"]').textContent, 'Official · @AmyatDH');
});

test('core: a card thrown away by the site\'s re-render is put back', async () => {
  const p = await page();
  type(p.window, p.editor, 'Hello all');
  await checked(p.window);
  p.card().remove();
  await until(() => p.card(), 5000, 'the card to come back');
  assert.equal(p.card().previousElementSibling.getAttribute('data-testid'), 'tweetTextarea_0_label');
});

test('core: Ctrl+Enter pressed before the check finished is sent on as the same keys once clear', async () => {
  const p = await page();
  type(p.window, p.editor, 'Sunday bake: lemon drizzle');
  p.editor.dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
  assert.equal(p.window.__posted.length, 0);
  await until(() => p.window.__posted.length === 1, 5000, 'the clear draft to be sent on');
});

test('core: a fix other than the disclaimer is shown in its prompt and can be added the same way', async () => {
  const p = await page();
  type(p.window, p.editor, 'Thanks to the journalist who asked');
  await checked(p.window);
  assert.match(p.inCard('[data-onrecord-category="media"]').textContent, /Suggested: “I am speaking for myself, not my department\.”/);
  assert.equal(p.inCard('[data-onrecord-action="insert-disclaimer"]'), null);
  p.inCard('[data-onrecord-action="apply-fix"]').click();
  await until(() => p.chrome.sent.some((m) => m.type === 'content/decision'), 5000, 'the fix');
  await checked(p.window);
  assert.equal(p.sites.get('x').readText(p.editor), 'Thanks to the journalist who asked I am speaking for myself, not my department.');
  assert.equal(p.inCard('[data-onrecord-category="media"]'), null);
});

test('core: a site the administrator turned off in managed storage stays off whatever the user chose', async () => {
  const chrome = fakeChrome(helperLike, { managed: { sites: { x: false } } });
  const p = loadPage('x', 'home-2026-11-20.html', 'https://x.com/home', { scripts: 'all', chrome });
  await wait(50);
  const [editor] = p.sites.get('x').findEditors(p.document);
  type(p.window, editor, WORK);
  await wait(600);
  assert.equal(chrome.sent.filter((m) => m.type === 'content/check').length, 0, 'checked on a site turned off');
  assert.equal(p.document.querySelector('[data-onrecord="card"]'), null);
});

test('core: a site the administrator turned on runs although the user had turned it off', async () => {
  const chrome = fakeChrome(helperLike, { local: { disabledSites: ['x'] }, managed: { sites: { x: true } } });
  const p = loadPage('x', 'home-2026-11-20.html', 'https://x.com/home', { scripts: 'all', chrome });
  await wait(50);
  const [editor] = p.sites.get('x').findEditors(p.document);
  type(p.window, editor, WORK);
  await checked(p.window);
  assert.ok(p.document.querySelector('[data-onrecord="card"]'), 'no card on a site the administrator turned on');
});
