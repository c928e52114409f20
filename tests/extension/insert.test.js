'use strict';
// core/insert.js on its own: the order of the ways it tries, and that a scripted paste which carries no
// text (Firefox's ClipboardEvent constructor drops clipboardData) is never sent. The real editors are
// exercised in real Chromium and Firefox by tests/e2e/test_real_editors.py and test_firefox.py.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');
const { EXTENSION } = require('./harness');

function page({ clipboardKeepsData }) {
  const { window } = new JSDOM('<!DOCTYPE html><div id="ed" contenteditable="true"><p>Draft</p></div>',
    { runScripts: 'outside-only', pretendToBeVisual: true, url: 'https://example.org/' });
  window.DataTransfer = class DataTransfer {
    constructor() { this.map = new Map(); }
    setData(type, value) { this.map.set(type, String(value)); }
    getData(type) { return this.map.get(type) || ''; }
  };
  window.ClipboardEvent = class ClipboardEvent extends window.Event {
    constructor(type, init = {}) {
      super(type, init);
      // Firefox: the constructor ignores clipboardData and gives an empty one.
      this.clipboardData = clipboardKeepsData ? init.clipboardData : new window.DataTransfer();
    }
  };
  window.eval(fs.readFileSync(path.join(EXTENSION, 'content', 'core', 'insert.js'), 'utf8'));
  const editor = window.document.getElementById('ed');
  const pastes = [];
  // An editor that takes pasted text into its content, and opens an undo step for any paste it sees.
  editor.addEventListener('paste', (e) => {
    e.preventDefault();
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    pastes.push(text);
    editor.lastElementChild.append(text);
  });
  const read = () => editor.textContent;
  return { window, editor, pastes, read, Insert: window.OnRecordInsert };
}

test('insert: every editor kind but Gutenberg tries the browser\'s own insertText first', () => {
  const { Insert } = page({ clipboardKeepsData: true });
  for (const [kind, ways] of Object.entries(Insert.STRATEGIES)) {
    if (kind === 'gutenberg') continue;
    assert.equal(ways[0], 'execCommand', `${kind} does not start with execCommand`);
  }
  assert.deepEqual(Array.from(Insert.STRATEGIES.textarea), ['execCommand', 'value'],
    'a field\'s value is set directly only when insertText is refused');
});

test('insert: a scripted paste that would carry no text is never sent', async () => {
  const { editor, pastes, read, Insert } = page({ clipboardKeepsData: false });
  const result = await Insert.append(editor, 'lexical', ' Views my own.', {
    read, expect: (t) => t.includes('Views my own.'),
  });
  assert.equal(result.ok, false);
  assert.deepEqual(pastes, [], 'an empty paste reached the editor, which may open an undo step for it');
  assert.equal(read(), 'Draft');
});

test('insert: where a scripted paste keeps its text, it is the fallback and the text is read back', async () => {
  const { editor, pastes, read, Insert } = page({ clipboardKeepsData: true });
  const result = await Insert.append(editor, 'lexical', ' Views my own.', {
    read, expect: (t) => t.includes('Views my own.'),
  });
  assert.equal(result.ok, true);
  assert.equal(result.way, 'paste'); // jsdom has no execCommand
  assert.deepEqual(pastes, [' Views my own.']);
  assert.equal(read(), 'Draft Views my own.');
});
