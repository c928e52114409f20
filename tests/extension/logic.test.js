'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { EXTENSION } = require('./harness');

function load(file) {
  const context = vm.createContext({ setTimeout, clearTimeout, console });
  vm.runInContext(fs.readFileSync(path.join(EXTENSION, 'content', 'core', file), 'utf8'), context);
  return context;
}
const L = load('logic.js').OnRecordLogic;
// Arrays made inside the script's own context, as plain values of this one.
const plain = (value) => JSON.parse(JSON.stringify(value));

const p = (id, severity, category = 'disclaimer') => ({ id, severity, category, message: id, source: 's' });

test('logic: info never holds; confirm and warn hold until answered', () => {
  const result = { prompts: [p('a', 'info'), p('b', 'confirm'), p('c', 'warn')] };
  assert.deepEqual(plain(L.unanswered(result, undefined).map((x) => x.id)), ['b', 'c']);
  assert.deepEqual(plain(L.unanswered(result, new Set(['b'])).map((x) => x.id)), ['c']);
  assert.deepEqual(plain(L.unanswered(result, new Set(['b', 'c']))), []);
  assert.deepEqual(plain(L.unanswered(null, undefined)), []);
});

test('logic: acknowledge answers confirm prompts only; an override answers everything that holds', () => {
  const open = [p('b', 'confirm'), p('c', 'warn')];
  assert.deepEqual(plain(L.answeredBy('acknowledge', open)), ['b']);
  assert.deepEqual(plain(L.answeredBy('override', open)), ['b', 'c']);
  assert.deepEqual(plain(L.answeredBy('something-else', open)), []);
});

test('logic: an answer is bound to the account and the exact text', () => {
  const key = L.answerKey('x', '@amyclarke', 'Hello');
  assert.equal(key, L.answerKey('x', '@amyclarke', 'Hello'));
  assert.notEqual(key, L.answerKey('x', '@AmyatDH', 'Hello'));
  assert.notEqual(key, L.answerKey('x', '@amyclarke', 'Hello!'));
  assert.notEqual(key, L.answerKey('linkedin', '@amyclarke', 'Hello'));
});

test('logic: the request key covers everything the helper looks at', () => {
  const base = { site: 'x', account: '@a', text: 't', context: 'post', reply_to: null };
  const key = L.requestKey(base);
  for (const change of [{ site: 'linkedin' }, { account: '@b' }, { text: 'u' }, { context: 'reply' }, { reply_to: '@g' }]) {
    assert.notEqual(L.requestKey({ ...base, ...change }), key, JSON.stringify(change));
  }
});

test('logic: a fix is appended once, after one space', () => {
  assert.equal(L.withFix('Proud of the team', 'Views my own.'), 'Proud of the team Views my own.');
  assert.equal(L.withFix('Proud of the team\n', 'Views my own.'), 'Proud of the team Views my own.');
  assert.equal(L.withFix('Proud. Views my own.', 'Views my own.'), 'Proud. Views my own.');
  assert.equal(L.fixSuffix('Proud of the team', 'Views my own.'), ' Views my own.');
  assert.equal(L.fixSuffix('Proud of the team ', 'Views my own.'), 'Views my own.');
  assert.equal(L.fixSuffix('Proud. Views my own.', 'Views my own.'), '');
  assert.equal(L.fixSuffix('', 'Views my own.'), 'Views my own.');
  assert.equal(L.hasFix('a\nViews  my own.', 'Views my own.'), true);
  assert.equal(L.hasFix('a', 'Views my own.'), false);
});

test('logic: the badge names the channel and the handle', () => {
  assert.equal(L.badge({ channel: 'personal', handle: '@amyclarke' }), 'Personal · @amyclarke');
  assert.equal(L.badge({ channel: 'official', handle: '@AmyatDH' }), 'Official · @AmyatDH');
  assert.equal(L.badge({ channel: 'unknown', handle: '@new' }), 'Undeclared account · @new');
  assert.equal(L.badge({ handle: '@amyclarke' }), '@amyclarke', 'a channel not yet known is not "undeclared"');
  assert.equal(L.badge(null), 'Account not recognised');
});

test('logic: prompts are ordered warn, confirm, info and announced in one polite line', () => {
  const sorted = L.sortPrompts([p('a', 'info', 'permanence'), p('b', 'warn', 'classified'), p('c', 'confirm')]);
  assert.deepEqual(plain(sorted.map((x) => x.id)), ['b', 'c', 'a']);
  const first = L.announcement(sorted, new Set(['b', 'c']), null);
  assert.equal(first.text, 'OnRecord: 3 prompts (Warning: Security marking; Confirm: Disclaimer needed; '
    + 'Reminder: Public and permanent). 2 to answer before posting.');
  assert.equal(L.announcement(sorted, new Set(['b', 'c']), first.said).text, null, 'said twice');
  const one = L.announcement(sorted, new Set(['b']), first.said);
  assert.equal(one.text, 'OnRecord: Disclaimer needed: answered. 1 to answer before posting.');
  assert.equal(L.announcement(sorted, new Set(), one.said).text, 'OnRecord: Security marking: answered. Ready to post.');
  assert.equal(L.announcement([], new Set(), null).text, 'OnRecord: nothing to flag in this draft. Ready to post.');
  assert.equal(L.announcement([p('a', 'info', 'permanence')], new Set(), null).text,
    'OnRecord: 1 prompt (Reminder: Public and permanent). Ready to post.');
});

test('logic: each action answers its own prompt; without one, all it can', () => {
  const open = [p('b', 'confirm'), p('c', 'warn'), p('d', 'confirm', 'media')];
  assert.deepEqual(plain(L.answeredBy('acknowledge', open, 'd')), ['d']);
  assert.deepEqual(plain(L.answeredBy('acknowledge', open, 'c')), [], 'OK does not answer a warning');
  assert.deepEqual(plain(L.answeredBy('override', open, 'c')), ['c']);
  assert.deepEqual(plain(L.answeredBy('override', open, 'nope')), []);
});

test('logic: matches in code points become UTF-16 spans, and quotes of the words', () => {
  // "🏥" is one code point and two UTF-16 units: every offset after it moves by one.
  const text = '🏥 Patient 943 476 5919 on ward 7, ward 7 again';
  const nhs = { start: 10, end: 22 };
  assert.deepEqual(plain(L.utf16Spans(text, [nhs])), [{ start: 11, end: 23 }]);
  assert.equal(text.slice(11, 23), '943 476 5919');
  assert.deepEqual(plain(L.quotes(text, [nhs, { start: 26, end: 32 }, { start: 34, end: 40 }])),
    ['943 476 5919', 'ward 7'], 'the same words are quoted once');
  assert.deepEqual(plain(L.utf16Spans(text, [{ start: 5, end: 500 }, { start: 3, end: 3 }, { start: -1, end: 2 }, null])), []);
  assert.deepEqual(plain(L.utf16Spans('abc', [{ start: 0, end: 3 }])), [{ start: 0, end: 3 }], 'a span to the very end');
  assert.deepEqual(plain(L.quotes('a\n  long   words', [{ start: 0, end: 16 }])), ['a long words']);
  assert.equal(L.quotes('x'.repeat(100), [{ start: 0, end: 100 }])[0].length, 48);
  assert.deepEqual(plain(L.quotes('abc', undefined)), []);
});

test('logic: a short title per category, and the severity as a word', () => {
  assert.equal(L.titleOf(p('a', 'warn', 'patient_data')), 'Patient data');
  assert.equal(L.titleOf({ ...p('a', 'warn', 'patient_data'), title: 'NHS number' }), 'NHS number');
  assert.equal(L.titleOf(p('a', 'warn', 'something_new')), 'something new');
  assert.equal(L.severityWord('warn'), 'Warning');
  assert.equal(L.severityWord('confirm'), 'Confirm');
  assert.equal(L.severityWord('info'), 'Reminder');
});

test('logic: the debouncer runs once, after the last call, per key', () => {
  let now = 0;
  const timers = new Map();
  let next = 1;
  const clock = {
    setTimeout(fn, ms) { const id = next++; timers.set(id, { fn, at: now + ms }); return id; },
    clearTimeout(id) { timers.delete(id); },
  };
  const tick = (ms) => {
    now += ms;
    for (const [id, t] of [...timers]) if (t.at <= now) { timers.delete(id); t.fn(); }
  };
  const d = L.debouncer(300, clock);
  const runs = [];
  d.schedule(1, () => runs.push('a1'));
  tick(200);
  d.schedule(1, () => runs.push('a2'));
  d.schedule(2, () => runs.push('b'));
  tick(299);
  assert.deepEqual(runs, []);
  assert.equal(d.isPending(1), true);
  tick(1);
  assert.deepEqual(runs.sort(), ['a2', 'b']);
  d.schedule(1, () => runs.push('c'));
  d.cancel(1);
  tick(1000);
  assert.equal(runs.includes('c'), false);
});

test('logic: the theme comes from the background colour', () => {
  assert.ok(L.luminance('rgb(0, 0, 0)') < 0.5);
  assert.ok(L.luminance('rgb(21, 32, 43)') < 0.5);
  assert.ok(L.luminance('rgb(255, 255, 255)') > 0.5);
  assert.equal(L.luminance('rgba(0, 0, 0, 0)'), null);
  assert.equal(L.luminance('transparent'), null);
});

test('registry: adapters are checked when they register, and the first that detects the page wins', () => {
  const R = load('registry.js').OnRecordSites;
  const base = {
    selectors: {}, findEditors: () => [], editorKind: () => 'textarea', readText: () => '',
    findPostButton: () => null, isSendKey: () => false, account: () => null, context: () => 'post',
    replyTo: () => null, anchor: (e) => e,
  };
  assert.throws(() => R.register({ ...base, id: 'x' }), /missing "detect"/);
  assert.throws(() => R.register({ ...base, id: 'myspace', detect: () => true }), /unknown site id "myspace"/);
  assert.throws(() => R.register({ ...base, id: 'blog', detect: () => true, readText: 'no' }), /"readText" must be a function/);
  R.register({ ...base, id: 'x', detect: (loc) => loc.hostname === 'x.com' });
  R.register({ ...base, id: 'mastodon', detect: () => { throw new Error('bug'); } });
  R.register({ ...base, id: 'blog', detect: () => true });
  assert.throws(() => R.register({ ...base, id: 'x', detect: () => true }), /registered twice/);
  const quiet = console.warn;
  console.warn = () => {};
  try {
    assert.equal(R.pick({ hostname: 'x.com' }, {}).id, 'x');
    assert.equal(R.pick({ hostname: 'example.org' }, {}).id, 'blog');
    assert.equal(R.pick({ hostname: 'x.com' }, {}, ['x']).id, 'blog');
  } finally {
    console.warn = quiet;
  }
});

test('logic: an administrator\'s managed sites win over the user\'s; sites they leave out follow the user', () => {
  const off = (user, managed) => plain(L.disabledSites(user, managed)).sort();
  assert.deepEqual(off(['x', 'blog'], undefined), ['blog', 'x']);
  assert.deepEqual(off(['x', 'blog'], { x: true, facebook: false }), ['blog', 'facebook']);
  assert.deepEqual(off([], { linkedin: 'no', x: 0, threads: false }), ['threads'], 'only booleans count');
  assert.deepEqual(off(['x'], ['x']), ['x'], 'a list is not a policy this extension knows');
});

test('logic: the card names the pack in force, its version, and when the organisation\'s was last confirmed', () => {
  assert.deepEqual({ ...L.packLine({ id: 'dh', title: 'Department of Health', source: 'built-in' }) },
    { text: 'Policy: dh (built in)', title: 'Department of Health' });
  assert.equal(L.packLine({ id: 'acme', title: 'Acme', source: 'file', version: 7 }).text, 'Policy: acme, version 7');
  const signed = { url: 'https://intranet.example/acme.yaml', id: 'acme', version: 12, signature: 'verified',
    last_confirmed: '2026-12-03T16:04:05Z', problem: null };
  assert.equal(L.packLine(signed).text, 'Policy: acme, version 12, confirmed 3 Dec 2026, 16:04 UTC');
  assert.equal(L.packLine({ ...signed, signature: 'expired' }).text, 'Policy: acme, version 12 is not in force (expired)');
  assert.equal(L.packLine({ ...signed, id: null, version: null, signature: 'none' }).text,
    "Policy: your organisation's pack is not fetched yet");
  assert.equal(L.packLine({ ...signed, last_confirmed: 'soon' }).text, 'Policy: acme, version 12');
  assert.equal(L.packLine(null), null);
  assert.equal(L.packLine({}), null);
});
