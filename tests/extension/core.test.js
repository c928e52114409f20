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

// What the background decides when the helper cannot be reached and posts are to be held then.
const UNCHECKED_HOLD = { id: 'onrecord.unchecked.hold', category: 'permanence', severity: 'warn', title: 'Not checked',
  message: 'OnRecord could not check this draft. You asked for posts to be held when they cannot be checked.',
  source: "Your organisation's social media policy" };
const HOLD_NOTICE = { message: 'The OnRecord helper is not running, so this draft was not checked.' };

test('core: when the background holds an unchecked draft, the post is held until sent with a reason, and focus comes back', async () => {
  const held = (m) => (m.type === 'content/check' ? { status: 'not-running', unchecked: true,
    account: { site: 'x', handle: m.draft.account, channel: 'unknown' }, prompts: [UNCHECKED_HOLD], notice: HOLD_NOTICE }
    : { ok: true, recorded: false, kept: true });
  const p = await page(held);
  type(p.window, p.editor, WORK);
  await checked(p.window);
  assert.match(p.inCard('[data-onrecord="notice"]').textContent, /was not checked/);
  const line = p.inCard('[data-onrecord-rule="onrecord.unchecked.hold"]');
  assert.equal(line.querySelector('h3').textContent, 'Warning Not checked');
  p.post().click();
  assert.equal(p.window.__posted.length, 0, 'the unchecked post went out');
  assert.ok(p.document.querySelector('[data-onrecord="hold"]'));
  line.querySelector('[data-onrecord-action="override"]').click();
  const reason = p.inCard('[data-onrecord="override-reason"]');
  assert.equal(p.card().shadowRoot.activeElement, reason);
  reason.value = 'Urgent correction, cleared by phone';
  reason.dispatchEvent(new p.window.Event('input', { bubbles: true }));
  reason.dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  assert.equal(p.document.activeElement, p.editor, 'focus went back to the editor');
  assert.equal(p.document.querySelector('[data-onrecord="hold"]'), null, 'the hold dialog stayed');
  p.post().click();
  assert.equal(p.window.__posted.length, 1);
  const override = p.chrome.sent.find((m) => m.type === 'content/decision' && m.decision.decision === 'overridden');
  assert.equal(override.decision.reason, 'Urgent correction, cleared by phone');
  assert.deepEqual([...override.decision.rule_ids], ['onrecord.unchecked.hold']);
  assert.ok(!JSON.stringify(p.chrome.sent.filter((m) => m.type === 'content/decision')).includes('wellbeing'),
    'the draft text went into a decision');
});

test('core: when the background stops answering, the card shows what it said it would decide then', async () => {
  let alive = true;
  const answer = (m) => {
    if (m.type === 'content/when-unanswered') {
      return { status: 'extension', account: null, prompts: [UNCHECKED_HOLD], unchecked: true,
        notice: { message: 'OnRecord cannot check this draft right now, so it was not checked. Reload the page to try again.' } };
    }
    if (!alive) return undefined; // the extension was reloaded under the page: nobody answers
    return helperLike(m);
  };
  const p = await page(answer);
  type(p.window, p.editor, 'Lemon drizzle');
  await checked(p.window);
  assert.ok(p.chrome.sent.some((m) => m.type === 'content/when-unanswered'), 'the background was not asked');
  alive = false;
  type(p.window, p.editor, ' cake');
  await checked(p.window);
  assert.match(p.inCard('[data-onrecord="notice"]').textContent, /Reload the page/);
  assert.ok(p.inCard('[data-onrecord-rule="onrecord.unchecked.hold"]'), 'the background\'s decision was not shown');
  assert.equal(p.inCard('[data-onrecord="channel"]').textContent, 'Undeclared account · @amyclarke');
  p.post().click();
  assert.equal(p.window.__posted.length, 0);
});

test('core: a background that never answered on this page: the card says the draft was not checked, and holds nothing', async () => {
  const p = await page(() => undefined);
  type(p.window, p.editor, WORK);
  await checked(p.window);
  assert.match(p.inCard('[data-onrecord="notice"]').textContent, /not checked/);
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

// ---------------------------------------------------------------- the hold's edge cases

// A background whose answers to the drafts `slow(draft)` picks wait until the test lets them go.
function controlled(slow) {
  const waiting = [];
  const answer = (message) => {
    if (message.type !== 'content/check' || !slow(message.draft)) return helperLike(message);
    return new Promise((resolve) => waiting.push(() => resolve(helperLike(message))));
  };
  return { answer, release: () => { while (waiting.length) waiting.shift()(); }, waiting };
}

test('core: an older check\'s answer that arrives after a newer one is not applied', async () => {
  const bg = controlled((draft) => !/Views my own/.test(draft.text));
  const p = await page(bg.answer);
  type(p.window, p.editor, WORK);
  await until(() => bg.waiting.length === 1, 5000, 'the first check');
  type(p.window, p.editor, ' Views my own.');
  await checked(p.window); // the newer draft's answer: nothing holds it
  assert.equal(p.inCard('[data-onrecord-category="disclaimer"]'), null);
  bg.release(); // the older draft's answer, which asked for the disclaimer, comes last
  await wait(50);
  assert.equal(p.inCard('[data-onrecord-category="disclaimer"]'), null, 'the older answer replaced the newer one');
  p.post().click();
  assert.equal(p.window.__posted.length, 1, 'the post was held on the older draft\'s answer');
  assert.equal(p.document.querySelector('[data-onrecord="hold"]'), null);
});

test('core: a draft edited after its last check, within the debounce, is checked before it is posted', async () => {
  const p = await page();
  type(p.window, p.editor, 'Sunday bake: lemon drizzle');
  await checked(p.window);
  type(p.window, p.editor, ' OFFICIAL-SENSITIVE');
  p.post().click(); // before the debounce has sent the edited draft
  assert.equal(p.window.__posted.length, 0, 'the edited draft went out on the answer to the draft before it');
  await until(() => p.checks().length === 2, 5000, 'the edited draft to be checked');
  await checked(p.window);
  assert.equal(p.window.__posted.length, 0, 'the edited draft went out unanswered');
  assert.ok(p.document.querySelector('[data-onrecord="hold"]'), 'no hold for the edited draft');
  assert.ok(p.inCard('[data-onrecord-category="classified"]'));
});

test('core: a draft edited while the held post waits for its check is checked again before it is sent', async () => {
  const bg = controlled((draft) => draft.text === 'Sunday bake: lemon drizzle');
  const p = await page(bg.answer);
  type(p.window, p.editor, 'Sunday bake: lemon drizzle');
  p.post().click(); // held: the draft was never checked
  await until(() => bg.waiting.length === 1, 5000, 'the check');
  type(p.window, p.editor, ' OFFICIAL-SENSITIVE');
  bg.release(); // the answer to the draft without the marking: nothing to hold
  await until(() => p.checks().length === 2, 5000, 'the edited draft to be checked');
  await checked(p.window);
  await wait(20);
  assert.equal(p.window.__posted.length, 0, 'the edited draft was sent on the older draft\'s answer');
  assert.ok(p.inCard('[data-onrecord-category="classified"]'));
});

// ---------------------------------------------------------------- the card, one line per prompt

const NHS = 'Patient 943 476 5919 on ward 7. OFFICIAL-SENSITIVE';
function withMatches(message) {
  const answer = helperLike(message);
  if (message.type !== 'content/check') return answer;
  const text = message.draft.text;
  const cp = (s) => [...s].length; // offsets in code points, as the helper gives them
  const span = (words) => { // the last occurrence, so a test can tell it from an earlier one
    const at = text.lastIndexOf(words);
    return { start: cp(text.slice(0, at)), end: cp(text.slice(0, at)) + cp(words) };
  };
  if (text.includes('943 476 5919')) {
    answer.prompts.push({ id: 'nhse.patient-data', category: 'patient_data', severity: 'warn',
      message: 'This may identify a patient.', source: 'NHS England social media policy 3.1',
      link: 'https://www.england.nhs.uk/social-media-policy#3.1', matches: [span('943 476 5919'), span('ward 7')] });
  }
  for (const prompt of answer.prompts) {
    if (prompt.category === 'classified') prompt.matches = [span('OFFICIAL-SENSITIVE')];
  }
  return answer;
}

test('core: each prompt is one line with its severity word, short title, the quoted words and its own action', async () => {
  const p = await page(withMatches);
  type(p.window, p.editor, `🏥 ${NHS} at the Department of Health`);
  await checked(p.window);
  const patient = p.inCard('[data-onrecord-category="patient_data"]');
  assert.equal(patient.querySelector('h3').textContent, 'Warning Patient data');
  assert.deepEqual(Array.from(patient.querySelectorAll('q'), (q) => q.textContent), ['943 476 5919', 'ward 7']);
  assert.equal(patient.querySelectorAll('[data-onrecord-action]').length, 1);
  assert.equal(patient.querySelector('[data-onrecord-action="override"]').textContent, 'Post anyway…');
  const link = patient.querySelector('a[href]');
  assert.equal(link.href, 'https://www.england.nhs.uk/social-media-policy#3.1');
  assert.equal(link.textContent, 'Read the policy');
  assert.match(link.closest('.src').textContent, /^Source: NHS England social media policy 3\.1 · Read the policy$/);
  assert.ok(link.closest('[hidden]'), 'the source is behind "Why?", one click away');
  patient.querySelector('button[aria-expanded]').click();
  assert.equal(p.inCard('[data-onrecord-category="patient_data"] a[href]').closest('[hidden]'), null);
  // Warnings first, then what to confirm, then the reminders folded into one line.
  const order = Array.from(p.card().shadowRoot.querySelectorAll('[data-onrecord-category]'), (e) => e.getAttribute('data-onrecord-category'));
  assert.deepEqual(order, ['classified', 'patient_data', 'disclaimer', 'permanence']);
  // One element per prompt carries the contract's attributes, both of them.
  for (const node of p.card().shadowRoot.querySelectorAll('[data-onrecord-severity], [data-onrecord-category]')) {
    assert.ok(node.hasAttribute('data-onrecord-severity') && node.hasAttribute('data-onrecord-category'), node.outerHTML.slice(0, 80));
  }
  const disclaimer = p.inCard('[data-onrecord-category="disclaimer"]');
  assert.deepEqual(Array.from(disclaimer.querySelectorAll('[data-onrecord-action]'), (b) => b.getAttribute('data-onrecord-action')),
    ['insert-disclaimer', 'acknowledge']);
  // Each line's action answers its own prompt, and only it.
  disclaimer.querySelector('[data-onrecord-action="acknowledge"]').click();
  assert.ok(p.inCard('[data-onrecord-category="disclaimer"]').textContent.includes('Answered'));
  assert.equal(p.inCard('[data-onrecord-category="patient_data"]').textContent.includes('Answered'), false);
  const acks = p.chrome.sent.filter((m) => m.type === 'content/decision' && m.decision.decision === 'acknowledged');
  assert.deepEqual([...acks[0].decision.categories], ['disclaimer']);
});

test('core: the card says quietly which pack checked the draft and when it was last confirmed', async () => {
  const pack = { url: 'https://intranet.example/acme.yaml', id: 'acme', version: 12, signature: 'verified',
    last_confirmed: '2026-12-03T16:04:05Z', problem: null };
  const p = await page((m) => ({ ...helperLike(m), ...(m.type === 'content/check' ? { pack } : {}) }));
  type(p.window, p.editor, WORK);
  await checked(p.window);
  const shown = p.inCard('header [data-onrecord="pack"]');
  assert.equal(shown.textContent, 'Policy: acme, version 12, confirmed 3 Dec 2026, 16:04 UTC');
  assert.equal(p.card().shadowRoot.querySelectorAll('[data-onrecord="pack"]').length, 1);
  // An answer without a pack (the helper could not be asked) names none.
  const q = await page();
  type(q.window, q.editor, WORK);
  await checked(q.window);
  assert.equal(q.inCard('[data-onrecord="pack"]'), null);
});

test('core: "Read the policy" beside the source, for an https link only, naming the policy, in a new tab', async () => {
  const links = {
    'dh.classified': 'http://intranet.example/policy', // not https: no link
    'dh.permanence': 'https://www.gov.uk/government/publications/civil-service-code',
  };
  const p = await page((m) => {
    const answer = withMatches(m);
    if (m.type !== 'content/check') return answer;
    answer.prompts = answer.prompts.map((q) => (links[q.id] ? { ...q, link: links[q.id] } : q));
    answer.prompts.push({ id: 'dh.conduct', category: 'conduct', severity: 'confirm', message: 'Be civil.',
      source: 'DH guidance', link: 'javascript:alert(1)' });
    return answer;
  });
  type(p.window, p.editor, `${NHS} at the Department of Health`);
  await checked(p.window);
  const patient = p.inCard('[data-onrecord-category="patient_data"] [data-onrecord="policy-link"]');
  assert.equal(patient.getAttribute('target'), '_blank');
  assert.deepEqual(patient.getAttribute('rel').split(' ').sort(), ['noopener', 'noreferrer']);
  assert.equal(patient.getAttribute('aria-label'), 'Read the policy: NHS England social media policy 3.1 (opens in a new tab)');
  // A prompt with no link, an http one or a script one: the source in words, and no link at all.
  for (const category of ['disclaimer', 'classified', 'conduct']) {
    const line = p.inCard(`[data-onrecord-category="${category}"]`);
    assert.equal(line.querySelector('a'), null, `${category} has a link`);
    assert.match(line.querySelector('.src').textContent, /^Source: /);
  }
  // A reminder's link is in its fold.
  const reminder = p.inCard('[data-onrecord-category="permanence"] [data-onrecord="policy-link"]');
  assert.equal(reminder.href, 'https://www.gov.uk/government/publications/civil-service-code');
  assert.equal(reminder.getAttribute('aria-label'), 'Read the policy: Civil Service Code (opens in a new tab)');
});

test('core: "Post anyway…" asks for the reason in place, and answers its own warning only', async () => {
  const p = await page(withMatches);
  type(p.window, p.editor, NHS);
  await checked(p.window);
  assert.equal(p.inCard('[data-onrecord="override-reason"]'), null);
  p.inCard('[data-onrecord-category="patient_data"] [data-onrecord-action="override"]').click();
  const reason = p.inCard('[data-onrecord-category="patient_data"] [data-onrecord="override-reason"]');
  assert.equal(p.card().shadowRoot.activeElement, reason, 'the reason is asked for where the user is');
  p.inCard('[data-onrecord-category="patient_data"] [data-onrecord-action="override"]').click();
  assert.equal(reason.getAttribute('aria-invalid'), 'true');
  reason.value = 'The number is a made-up example';
  reason.dispatchEvent(new p.window.Event('input', { bubbles: true }));
  reason.dispatchEvent(new p.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  const override = p.chrome.sent.find((m) => m.type === 'content/decision' && m.decision.decision === 'overridden');
  assert.deepEqual([...override.decision.categories], ['patient_data']);
  assert.equal(override.decision.reason, 'The number is a made-up example');
  // Focus goes on to the next prompt still to answer.
  const next = p.card().shadowRoot.activeElement;
  assert.equal(next.getAttribute('data-onrecord-action'), 'override');
  assert.ok(next.closest('[data-onrecord-category="classified"]'));
  p.post().click();
  assert.equal(p.window.__posted.length, 0, 'one override let the other warning through');
});

test('core: the live region says which prompts are answered and when posting is ready', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  const live = p.inCard('[role="status"]');
  assert.match(live.textContent, /2 prompts .*1 to answer before posting\./);
  p.inCard('[data-onrecord-action="acknowledge"]').click();
  assert.equal(live.textContent, 'OnRecord: Disclaimer needed: answered. Ready to post.');
  // The last prompt answered: focus goes back to the editor, not to the page's body.
  assert.equal(p.document.activeElement, p.editor);
});

test('core: after "Add disclaimer" focus stays in the editor, caret after the text, and the hold dialog leaves quietly', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  p.post().click();
  const hold = p.document.querySelector('[data-onrecord="hold"]');
  assert.equal(hold.nextElementSibling, p.card(), 'the hold dialog comes just before the card in the tab order');
  assert.equal(p.document.activeElement, hold, 'the dialog takes focus when the post is held');
  hold.shadowRoot.querySelector('[data-onrecord-hold-action="review"]').click();
  assert.equal(p.card().shadowRoot.activeElement.getAttribute('data-onrecord-action'), 'insert-disclaimer');
  const focusMoves = [];
  p.document.addEventListener('focusin', (e) => focusMoves.push(e.target), true);
  p.inCard('[data-onrecord-action="insert-disclaimer"]').click();
  await until(() => p.chrome.sent.some((m) => m.type === 'content/decision'), 5000, 'the fix');
  await checked(p.window);
  assert.equal(p.document.querySelector('[data-onrecord="hold"]'), null);
  assert.equal(p.document.activeElement, p.editor, 'focus left the editor');
  assert.ok(!focusMoves.some((t) => t.getAttribute && t.getAttribute('data-onrecord') === 'hold'), 'the hold dialog took focus again');
  const sel = p.window.getSelection();
  assert.ok(p.editor.contains(sel.anchorNode));
  const range = p.document.createRange();
  range.selectNodeContents(p.editor);
  range.setEnd(sel.anchorNode, sel.anchorOffset);
  assert.ok(range.toString().endsWith('Views my own.'), `the caret is not after the inserted text: ${range.toString()}`);
});

test('core: re-rendering the card leaves focus where it was', async () => {
  const p = await page(withMatches);
  type(p.window, p.editor, `${NHS} at the Department of Health`);
  await checked(p.window);
  const why = () => p.inCard('[data-onrecord-category="classified"] button[aria-expanded]');
  why().focus();
  // Another prompt answered (a re-render of every line) keeps focus on what had it.
  p.window.OnRecordContent.act(p.editor, 'acknowledge', { id: 'dh.disclaimer.personal-work' });
  await wait(0);
  assert.ok(p.inCard('[data-onrecord-category="disclaimer"]').classList.contains('answered'));
  assert.equal(p.card().shadowRoot.activeElement, why());
  // A card that does not have focus never takes it.
  p.editor.focus();
  type(p.window, p.editor, ' More.');
  await checked(p.window);
  assert.equal(p.document.activeElement, p.editor);
});

// ---------------------------------------------------------------- the words marked in the editor

// jsdom has no CSS Custom Highlight API; this registry keeps what the extension registers, as Chromium's
// does (a Highlight is a set of ranges; CSS.highlights maps names to them). The browser tests use the real one.
function withHighlightApi(window) {
  window.Highlight = class Highlight extends window.Set {};
  if (!window.CSS) window.CSS = {};
  window.CSS.highlights = new Map();
}

async function markedPage() {
  const chrome = fakeChrome(withMatches);
  const p = loadPage('x', 'home-2026-11-20.html', 'https://x.com/home', { scripts: 'all', chrome, beforeParse: withHighlightApi });
  await wait(10);
  const [editor] = p.sites.get('x').findEditors(p.document);
  const marked = (name) => Array.from(p.window.CSS.highlights.get(name) || [], (r) => r.toString());
  return { ...p, chrome, editor, marked, card: () => p.document.querySelector('[data-onrecord="card"]') };
}

test('core: the quoted words are marked in the editor by the Highlight API, its DOM untouched', async () => {
  const p = await markedPage();
  // An emoji first: the helper's code point offsets and the editor's UTF-16 text differ from there on;
  // "ward 7" twice, across two blocks: the second is the one the helper names.
  type(p.window, p.editor, '🏥 A ward 7 visit\nPatient 943 476 5919 on ward 7. OFFICIAL-SENSITIVE');
  await wait(20);
  const before = p.editor.innerHTML;
  await checked(p.window);
  assert.deepEqual(p.marked('onrecord-warn').sort(), ['943 476 5919', 'OFFICIAL-SENSITIVE', 'ward 7']);
  const ward = Array.from(p.window.CSS.highlights.get('onrecord-warn')).find((r) => r.toString() === 'ward 7');
  const blocks = p.editor.querySelectorAll('[data-block="true"]');
  assert.equal(blocks.length, 2);
  assert.ok(blocks[1].contains(ward.startContainer), 'the first "ward 7" was marked, not the one the helper named');
  assert.equal(p.editor.innerHTML, before, 'marking the words changed the editor\'s DOM');
  // An edit takes the marks away at once (they would sit on the wrong words); the new answer puts them back.
  type(p.window, p.editor, '!');
  await wait(20); // the edit is seen by the mutation observer
  assert.deepEqual(p.marked('onrecord-warn'), []);
  await checked(p.window);
  assert.equal(p.marked('onrecord-warn').length, 3);
});

test('core: a textarea gets the quote in the card and no marks', async () => {
  const p = await markedPage();
  const area = p.document.createElement('textarea');
  p.document.body.append(area);
  const ranges = p.window.OnRecordHighlight.mark(area, 'Patient 943 476 5919', [{ severity: 'warn', matches: [{ start: 8, end: 20 }] }],
    p.window.OnRecordLogic.utf16Spans);
  assert.equal(ranges, 0);
  assert.deepEqual(p.marked('onrecord-warn'), []);
});

test('core: an edit marks the card as checking at once, and the answer clears it', async () => {
  const p = await page();
  type(p.window, p.editor, WORK);
  await checked(p.window);
  const box = () => p.inCard('section');
  assert.equal(box().getAttribute('aria-busy'), null);
  type(p.window, p.editor, '!');
  await wait(20);
  assert.equal(box().getAttribute('aria-busy'), 'true');
  assert.match(p.inCard('header').textContent, /checking…/);
  assert.ok(p.inCard('[data-onrecord-category="disclaimer"]'), 'the prompts went away while checking');
  await checked(p.window);
  assert.equal(box().getAttribute('aria-busy'), null);
  assert.doesNotMatch(p.inCard('header').textContent, /checking/);
});
