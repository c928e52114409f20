'use strict';
// Every adapter of this folder's sites answers on a page it knows nothing of, for an editor in no known
// box, without throwing: a throw would stop the draft being checked at all.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');
const { SITES } = require('./load-site');
const { adapterSites } = require('./site-table');

// Every site with an adapter, on the first of its example addresses from the site table.
for (const { id, examples: [url] } of adapterSites()) {
  test(`${id}: answers without throwing for editors in no known box`, () => {
    const { window } = new JSDOM('<!DOCTYPE html><body><div contenteditable="true" role="textbox"></div>' +
      '<textarea></textarea></body>', { url, runScripts: 'outside-only' });
    for (const file of ['../core/registry.js', '_read.js', `${id}.js`]) {
      window.eval(fs.readFileSync(path.join(SITES, file), 'utf8'));
    }
    const adapter = window.OnRecordSites.get(id);
    const { document } = window;
    assert.equal(typeof adapter.detect(window.location, document), 'boolean');
    const editors = [...document.querySelectorAll('[contenteditable], textarea'), ...adapter.findEditors(document)];
    for (const editor of editors) {
      assert.equal(typeof adapter.readText(editor), 'string');
      assert.ok(window.OnRecordSites.EDITOR_KINDS.includes(adapter.editorKind(editor)));
      assert.ok(window.OnRecordSites.CONTEXTS.includes(adapter.context(editor)), adapter.context(editor));
      adapter.findPostButton(editor);
      adapter.account(document, editor);
      adapter.replyTo(editor);
      adapter.isSendKey(new window.KeyboardEvent('keydown', { key: 'Enter' }), editor);
      const anchor = adapter.anchor(editor);
      assert.ok(anchor === null || anchor.nodeType === 1);
    }
    assert.doesNotThrow(() => adapter.account(document, null));
  });
}
