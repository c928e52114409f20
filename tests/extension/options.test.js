'use strict';
// The options page in jsdom with the scripts it names: which sites are on, and what an administrator
// set in managed storage (shown as theirs, not changeable, and winning over the user's choice).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');
const { EXTENSION, fakeChrome, until } = require('./harness');
const { adapterSites } = require('./sites/site-table');

const PAGE = path.join(EXTENSION, 'options', 'options.html');

async function options(storage) {
  const chrome = fakeChrome(() => ({}), storage);
  const html = fs.readFileSync(PAGE, 'utf8');
  const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
  const dom = new JSDOM(html.replace(/<script src="[^"]+"><\/script>/g, ''), { runScripts: 'outside-only' });
  const { window } = dom;
  window.chrome = chrome;
  for (const src of scripts) window.eval(fs.readFileSync(path.join(path.dirname(PAGE), src), 'utf8'));
  const box = (id) => window.document.querySelector(`[data-onrecord-site="${id}"]`);
  const saveButton = window.document.querySelector('[data-onrecord-action="save-options"]');
  const beforeLoad = { save: saveButton.disabled, port: window.document.getElementById('helper-port').disabled, x: box('x').disabled };
  await new Promise((resolve) => setTimeout(resolve, 20)); // the page's storage reads
  return { window, document: window.document, chrome, box, beforeLoad };
}

async function save(page) {
  page.document.querySelector('[data-onrecord-action="save-options"]').click();
  await until(() => /Saved/.test(page.document.getElementById('saved').textContent), 2000, 'the save');
}

test('options: without a policy every site is the user\'s to turn off, and is saved as theirs', async () => {
  const page = await options({ local: { disabledSites: ['facebook'] } });
  assert.equal(page.box('facebook').checked, false);
  assert.equal(page.box('x').checked, true);
  assert.equal(page.box('x').disabled, false);
  assert.equal(page.document.getElementById('managed-sites').hidden, true);
  page.box('x').checked = false;
  page.box('facebook').checked = true;
  await save(page);
  assert.deepEqual([...page.chrome.store.disabledSites], ['x']);
});

test('options: every site with an adapter in the site table can be turned off, named as people know it', async () => {
  const page = await options({});
  const boxes = [...page.document.querySelectorAll('[data-onrecord-site]')];
  assert.deepEqual(boxes.map((b) => b.value), adapterSites().map((s) => s.id));
  for (const s of adapterSites()) assert.equal(page.box(s.id).closest('label').textContent.trim().split(' (set by')[0], s.label);
});

test('options: managed sites are shown as set by the administrator, disabled, and win over the user', async () => {
  const page = await options({ local: { disabledSites: ['x', 'blog'] }, managed: { sites: { x: true, linkedin: false } } });
  assert.equal(page.box('x').checked, true, 'the administrator turned X on');
  assert.equal(page.box('linkedin').checked, false, 'the administrator turned LinkedIn off');
  for (const id of ['x', 'linkedin']) {
    assert.equal(page.box(id).disabled, true, `${id} can be changed by the user`);
    assert.match(page.box(id).closest('label').textContent, /set by your administrator/);
  }
  assert.equal(page.box('blog').checked, false);
  assert.equal(page.box('blog').disabled, false);
  assert.doesNotMatch(page.box('blog').closest('label').querySelector('.hint:not([hidden])')?.textContent || '', /administrator/);
  assert.equal(page.document.getElementById('managed-sites').hidden, false);
  // Saving keeps the user's own choice under the administrator's, for when the policy is lifted.
  page.box('blog').checked = true;
  await save(page);
  assert.deepEqual([...page.chrome.store.disabledSites].sort(), ['x']);
});

test('options: a managed helper port is shown as set by the administrator and cannot be changed', async () => {
  const page = await options({ managed: { helperPort: 47660 } });
  const port = page.document.querySelector('[data-onrecord="helper-port"]');
  assert.equal(port.value, '47660');
  assert.equal(port.disabled, true);
  assert.equal(page.document.getElementById('managed').hidden, false);
  assert.match(page.document.getElementById('managed').textContent, /administrator/);
});

test('options: nothing can be changed or saved until the page shows what is saved', async () => {
  const page = await options({ local: { disabledSites: ['facebook'], helperPort: 47660 } });
  // A save from the blank form would have turned every site off and forgotten the port.
  assert.deepEqual({ ...page.beforeLoad }, { save: true, port: true, x: true });
  assert.equal(page.document.querySelector('[data-onrecord-action="save-options"]').disabled, false);
  assert.equal(page.document.getElementById('helper-port').value, '47660');
  assert.equal(page.box('x').disabled, false);
});

test('options: the organisation and hold-when-unchecked are shown as the organisation\'s, and not changeable', async () => {
  const page = await options({ managed: { organisation: 'NHS England', holdWhenUnchecked: true } });
  const summary = page.document.querySelector('[data-onrecord="managed-summary"]');
  assert.equal(summary.hidden, false);
  assert.match(summary.textContent, /NHS England manages some of these settings/);
  const hold = page.document.querySelector('[data-onrecord="hold-when-unchecked"]');
  assert.equal(hold.checked, true);
  assert.equal(hold.disabled, true);
  const described = hold.getAttribute('aria-describedby').split(' ').map((id) => page.document.getElementById(id).textContent).join(' ');
  assert.match(described, /Set by your organisation/);
});

test('options: "hold posts when OnRecord cannot check" is the user\'s to choose, and saved for the background', async () => {
  const page = await options({});
  const hold = page.document.querySelector('[data-onrecord="hold-when-unchecked"]');
  assert.equal(hold.disabled, false);
  assert.equal(hold.checked, false, 'off unless chosen');
  assert.equal(hold.closest('label').hidden, false);
  assert.doesNotMatch(hold.getAttribute('aria-describedby'), /hold-unchecked-hint/, 'a hidden "set by your organisation" is read out');
  assert.match(page.document.getElementById('hold-unchecked-about').textContent, /reason \(never the post\)/);
  hold.checked = true;
  await save(page);
  assert.equal(page.chrome.store.holdWhenUnchecked, true);
  const again = await options({ local: { holdWhenUnchecked: true } });
  assert.equal(again.document.querySelector('[data-onrecord="hold-when-unchecked"]').checked, true);
});

test('options: the organisation\'s holdWhenUnchecked locks the option, and the user\'s own choice is kept under it', async () => {
  const page = await options({ local: { holdWhenUnchecked: true }, managed: { holdWhenUnchecked: false } });
  const hold = page.document.querySelector('[data-onrecord="hold-when-unchecked"]');
  assert.equal(hold.checked, false, 'the organisation\'s value is shown');
  assert.equal(hold.disabled, true);
  assert.equal(page.document.getElementById('hold-unchecked-hint').hidden, false);
  await save(page);
  assert.equal(page.chrome.store.holdWhenUnchecked, true, 'saving under the lock changed the user\'s own choice');
  // The policy is lifted: the user's own choice is back, and theirs to change.
  page.chrome.changeManaged({});
  await until(() => !hold.disabled, 2000, 'the lifted policy');
  assert.equal(hold.checked, true);
});

test('options: without a policy nothing is shown as the organisation\'s', async () => {
  const page = await options({});
  assert.equal(page.document.querySelector('[data-onrecord="managed-summary"]').hidden, true);
});

test('options: a policy that changes while the page is open is shown at once, and said', async () => {
  const page = await options({ local: { disabledSites: ['x'] } });
  assert.equal(page.box('x').disabled, false);
  page.chrome.changeManaged({ sites: { x: true }, helperPort: 47700 });
  await until(() => page.box('x').disabled, 2000, 'the new policy');
  assert.equal(page.box('x').checked, true);
  assert.equal(page.document.getElementById('helper-port').value, '47700');
  assert.equal(page.document.getElementById('helper-port').disabled, true);
  assert.match(page.document.querySelector('[data-onrecord="policy-changed"]').textContent, /Your organisation changed these settings/);
});

test('options: holdWhenUnchecked set in the helper\'s managed settings (as the helper last said) locks the option too', async () => {
  const page = await options({ local: { holdWhenUnchecked: false, helperManaged: { holdWhenUnchecked: true } } });
  const hold = page.document.querySelector('[data-onrecord="hold-when-unchecked"]');
  assert.equal(hold.checked, true);
  assert.equal(hold.disabled, true);
  assert.equal(page.document.getElementById('hold-unchecked-hint').hidden, false);
});
