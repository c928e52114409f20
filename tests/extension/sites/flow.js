// The path a user takes, run through the extension's own content scripts against a site's saved page:
// a work-related draft on a personal account gets the disclaimer prompt, the send is held and the page's
// own handler does not run, "Add disclaimer" puts the text into the editor's state, and the send then
// goes through. The background is a function answering as the helper does for this draft (the browser
// tests use the real background and helper).
'use strict';
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { fakeChrome } = require('../harness');

const WORK = 'Our new primary care commissioning framework goes live next month at NHS England.';
const DISCLAIMER = {
  id: 'nhse.disclaimer.personal-work', category: 'disclaimer', severity: 'confirm',
  message: 'You are posting about work from a personal account: add a disclaimer.',
  source: 'NHS England social media policy 3.1', fix: { type: 'append', text: 'Views my own.' },
};

function helperLike(site) {
  return (message) => {
    if (message.type !== 'content/check') return { ok: true };
    const { text, account } = message.draft;
    const prompts = /primary care/i.test(text) && !/Views my own/.test(text) ? [DISCLAIMER] : [];
    return { status: 'ok', account: { site, handle: account, channel: 'personal' }, prompts };
  };
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until cond() is true, or fails after `ms`: jsdom's timing varies with the machine's load.
async function until(cond, what, ms = 4000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await wait(25);
  }
}

// site, file, url: the page; editor(editors): which editor; typeTarget(editor): where typing goes (a
// block inside Gutenberg's root); send(page, editor): the user's send; expect: the draft's context,
// account and reply target; locked: the site disables its button while held (Gutenberg).
async function heldThenFixed({ site, file, url, referrer, editor: pick = (e) => e[0], typeTarget = (e) => e,
  send = (page, e) => page.adapter.findPostButton(e).click(), expect, locked = false }) {
  const chrome = fakeChrome(helperLike(site));
  const page = loadSite(site, file, url, { core: true, chrome, referrer });
  const { window, document, adapter } = page;
  await wait(20);
  const editor = pick(adapter.findEditors(document));
  typeInto(window, typeTarget(editor), WORK);
  const checks = () => chrome.sent.filter((m) => m.type === 'content/check');
  const cardEl = () => document.querySelector('[data-onrecord="card"]');
  await until(() => checks().length && cardEl() && cardEl().shadowRoot.querySelector('[data-onrecord-category]'),
    'the check and its card');
  if (locked) {
    await until(() => adapter.findPostButton(editor).getAttribute('aria-disabled') === 'true', 'publishing to be locked');
  }

  const all = checks();
  const draft = plain(all[all.length - 1].draft);
  assert.equal(draft.site, site);
  assert.equal(draft.text.includes(WORK), true, `the checked text was ${JSON.stringify(draft.text)}`);
  assert.deepEqual({ account: draft.account, context: draft.context, reply_to: draft.reply_to }, expect);

  const card = cardEl();
  const inCard = (sel) => card.shadowRoot.querySelector(sel);
  assert.ok(inCard('[data-onrecord-category="disclaimer"]'), 'no disclaimer prompt');
  assert.ok(!editor.contains(card), 'the card was put inside the editor');

  send(page, editor);
  assert.deepEqual(plain(window.__posted), [], 'the page posted a held draft');
  if (locked) {
    assert.equal(adapter.findPostButton(editor).getAttribute('aria-disabled'), 'true', 'publishing is not locked');
  }
  // A button our lock disabled still answers the user's click with the hold dialog.
  assert.ok(document.querySelector('[data-onrecord="hold"]'), 'no hold dialog');

  inCard('[data-onrecord-action="insert-disclaimer"]').click();
  const current = () => adapter.findEditors(document).find((e) => e === editor) || pick(adapter.findEditors(document));
  await until(() => /Views my own\.$/.test(adapter.readText(current())) &&
    !inCard('[data-onrecord-category="disclaimer"]'), 'the disclaimer in the editor and the prompt cleared');
  if (locked) {
    await until(() => adapter.findPostButton(editor).getAttribute('aria-disabled') === 'false', 'publishing to be unlocked');
  }

  send(page, current());
  await until(() => window.__posted.length > 0, 'the fixed draft to be posted');
  assert.equal(window.__posted.length, 1);
  assert.match(JSON.stringify(window.__posted[0]), /primary care[\s\S]*Views my own\./);
  return page;
}

module.exports = { heldThenFixed, helperLike, wait, until, WORK };
