// Loads a saved site page into jsdom under the site's real address, lets the page's own scripts run (they
// stand in for the site's editor and post action), then loads the extension's registry and one adapter, as
// the manifest does. Returns the adapter as registered, with the page's window and document.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SITES = path.join(ROOT, 'extension', 'content', 'sites');
const EXTENSION = path.join(ROOT, 'extension');
const REGISTRY = path.join(EXTENSION, 'content', 'core', 'registry.js');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'sites');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8'));

// Until the core registry is present, a registry with the same register() call.
const FALLBACK_REGISTRY = `
  window.OnRecordSites = window.OnRecordSites || { adapters: [], register(a) { this.adapters.push(a); return a; },
    get(id) { return this.adapters.find((a) => a.id === id) || null; } };
`;

function fixturePath(site, file) {
  return path.join(FIXTURES, site, file);
}

// jsdom has no DataTransfer or ClipboardEvent constructor; these carry text/plain, all a paste handler
// reads. The browser tests use the real ones.
function addClipboard(window) {
  if (!window.DataTransfer) {
    window.DataTransfer = class DataTransfer {
      constructor() { this.map = new Map(); }
      setData(type, value) { this.map.set(type, String(value)); }
      getData(type) { return this.map.get(type) || ''; }
      get types() { return Array.from(this.map.keys()); }
      get items() { return []; }
    };
  }
  if (!window.ClipboardEvent) {
    window.ClipboardEvent = class ClipboardEvent extends window.Event {
      constructor(type, init = {}) { super(type, init); this.clipboardData = init.clipboardData || null; }
    };
  }
}

// jsdom's postMessage leaves event.source and origin empty; the content script and its main-world
// script check both, as they must in a browser. This one fills them in as a browser would.
function samePagePostMessage(window) {
  window.postMessage = (data) => {
    window.setTimeout(() => {
      window.dispatchEvent(new window.MessageEvent('message', { data, source: window, origin: window.location.origin }));
    }, 0);
  };
}

// The manifest's scripts of one world, as paths under extension/.
function manifestScripts(mainWorld) {
  return MANIFEST.content_scripts.filter((c) => (c.world === 'MAIN') === mainWorld).flatMap((c) => c.js);
}

// options.core: also run the extension's core content scripts (and its main-world script, which in
// jsdom shares the page's one world) with `options.chrome` as chrome.*, so the whole path from typing
// to holding and inserting runs against this site's page.
function loadSite(site, file, url, options = {}) {
  const html = fs.readFileSync(fixturePath(site, file), 'utf8');
  const dom = new JSDOM(html, {
    url,
    referrer: options.referrer,
    runScripts: 'dangerously',
    pretendToBeVisual: true,
    beforeParse(window) {
      addClipboard(window);
      // jsdom has no CSS.escape, which the main-world script uses to find the element it acts on.
      if (!window.CSS) window.CSS = { escape: (v) => String(v).replace(/[^\w-]/g, (c) => `\\${c}`) };
      if (options.chrome) window.chrome = options.chrome;
      if (options.beforeParse) options.beforeParse(window);
    },
  });
  const { window } = dom;
  const run = (rel) => window.eval(fs.readFileSync(path.join(EXTENSION, rel), 'utf8'));
  window.eval(fs.existsSync(REGISTRY) ? fs.readFileSync(REGISTRY, 'utf8') : FALLBACK_REGISTRY);
  window.eval(fs.readFileSync(path.join(SITES, '_read.js'), 'utf8'));
  window.eval(fs.readFileSync(path.join(SITES, `${site}.js`), 'utf8'));
  if (options.core) {
    samePagePostMessage(window);
    for (const rel of manifestScripts(true)) run(rel);
    for (const rel of manifestScripts(false)) {
      if (!rel.startsWith('content/sites/') && !rel.endsWith('registry.js')) run(rel);
    }
  }
  const adapter = window.OnRecordSites.get(site);
  if (!adapter) throw new Error(`${site}.js did not register an adapter with id "${site}"`);
  return { adapter, window, document: window.document, dom };
}

// Runs the manifest's isolated-world content scripts in `window` with `chrome` as chrome.*: the copy of
// the extension a frame of the page (all_frames, match_about_blank) runs for itself.
function runContentScripts(window, chrome) {
  window.chrome = chrome;
  for (const rel of manifestScripts(false)) window.eval(fs.readFileSync(path.join(EXTENSION, rel), 'utf8'));
}

// Types text the way a browser does for a contenteditable or a textarea: a cancelable beforeinput per
// character; when the page does not take it, the DOM (or the field's value) changes and input follows.
function typeInto(window, el, text) {
  el.focus();
  for (const ch of text) {
    const inputType = ch === '\n' ? 'insertParagraph' : 'insertText';
    const before = new window.InputEvent('beforeinput', { inputType, data: ch, bubbles: true, cancelable: true, composed: true });
    if (!el.dispatchEvent(before)) continue;
    if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') {
      Object.getOwnPropertyDescriptor(window.HTMLTextAreaElement.prototype, 'value').set.call(el, el.value + ch);
    } else {
      const block = el.lastElementChild || el;
      block.appendChild(window.document.createTextNode(ch));
    }
    el.dispatchEvent(new window.InputEvent('input', { inputType, data: ch, bubbles: true }));
  }
}

// A paste carrying text, as a site's paste handler sees it (jsdom has no DataTransfer of its own).
function pasteInto(window, el, text) {
  const event = new window.Event('paste', { bubbles: true, cancelable: true });
  const data = { 'text/plain': text };
  Object.defineProperty(event, 'clipboardData', {
    value: { types: ['text/plain'], getData: (type) => data[type] || '', items: [] },
  });
  return el.dispatchEvent(event);
}

function key(window, el, name, mods = {}) {
  return new window.KeyboardEvent('keydown', { key: name, code: name, bubbles: true, cancelable: true, ...mods });
}

// Values made in the page's realm, as plain objects of this one, for deepEqual.
function plain(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

module.exports = { plain, loadSite, runContentScripts, typeInto, pasteInto, key, fixturePath, FIXTURES, SITES };
