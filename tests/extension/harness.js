// Loads a saved site page into jsdom under the site's real address with the page's own scripts running
// (they stand in for the site's editor and post action), then the extension's content scripts in the
// manifest's order. Shared by the core tests and the X adapter's tests.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');

const ROOT = path.resolve(__dirname, '..', '..');
const EXTENSION = path.join(ROOT, 'extension');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'sites');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8'));

// The isolated-world content scripts, in the order the manifest loads them.
function contentScripts() {
  const entry = MANIFEST.content_scripts.find((c) => c.world !== 'MAIN');
  return entry.js;
}

// jsdom does not fetch <script src> without a resource loader; the fixtures' own scripts sit beside
// the page, so they are inlined before parsing, which runs them in document order as a browser would.
function inlineScripts(html, dir) {
  return html.replace(/<script src="([^"]+)"><\/script>/g, (whole, src) => {
    const file = path.join(dir, src);
    return fs.existsSync(file) ? `<script>${fs.readFileSync(file, 'utf8')}</script>` : whole;
  });
}

// jsdom has no DataTransfer or ClipboardEvent constructor; these stand-ins carry text/plain only,
// which is all a paste handler reads. The real ones are exercised by the browser tests.
function addClipboard(window) {
  if (!window.DataTransfer) {
    window.DataTransfer = class DataTransfer {
      constructor() { this._data = new Map(); }
      setData(type, value) { this._data.set(type, String(value)); }
      getData(type) { return this._data.get(type) || ''; }
      get types() { return Array.from(this._data.keys()); }
    };
  }
  if (!window.ClipboardEvent) {
    window.ClipboardEvent = class ClipboardEvent extends window.Event {
      constructor(type, init = {}) { super(type, init); this.clipboardData = init.clipboardData || null; }
    };
  }
}

// `scripts`: 'none' (the page only), 'sites' (registry and adapters) or 'all' (every content script).
function loadPage(site, file, url, { scripts = 'sites', chrome = null, beforeParse } = {}) {
  const dir = path.join(FIXTURES, site);
  const html = inlineScripts(fs.readFileSync(path.join(dir, file), 'utf8'), dir);
  const dom = new JSDOM(html, {
    url,
    runScripts: 'dangerously',
    pretendToBeVisual: true,
    beforeParse(window) {
      addClipboard(window);
      if (chrome) window.chrome = chrome;
      if (beforeParse) beforeParse(window);
    },
  });
  const { window } = dom;
  if (scripts !== 'none') {
    for (const js of contentScripts()) {
      const isSiteOrRegistry = js.startsWith('content/sites/') || js.endsWith('registry.js');
      if (scripts === 'all' || isSiteOrRegistry) {
        window.eval(fs.readFileSync(path.join(EXTENSION, js), 'utf8'));
      }
    }
  }
  return { window, document: window.document, dom, sites: window.OnRecordSites };
}

// Types as a browser does: a cancelable beforeinput per character (the editor takes it or not).
function type(window, el, text) {
  el.focus();
  for (const ch of text) {
    const inputType = ch === '\n' ? 'insertParagraph' : 'insertText';
    el.dispatchEvent(new window.InputEvent('beforeinput', { inputType, data: ch, bubbles: true, cancelable: true }));
  }
}

function paste(window, el, text) {
  const data = new window.DataTransfer();
  data.setData('text/plain', text);
  return el.dispatchEvent(new window.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}

// What chrome.storage's get(key | [keys] | null) answers from `items`.
function pick(items, keys) {
  const names = typeof keys === 'string' ? [keys] : (keys || Object.keys(items));
  return Object.fromEntries(names.filter((k) => k in items).map((k) => [k, items[k]]));
}

// A chrome.* for the content script: runtime.sendMessage answered by `answer(message)`, with every
// message kept in `sent`, an in-memory storage.local (`local`, its first items) and a read-only
// storage.managed holding `managed` (what an administrator's policy would set).
function fakeChrome(answer, { local = {}, managed = {} } = {}) {
  const sent = [];
  const store = { ...local };
  const changeListeners = [];
  return {
    sent,
    store,
    // An administrator's policy changing while the page is open: the browser updates managed storage
    // and tells every listener, as Chrome does when it reloads policies.
    changeManaged(next) {
      const changes = {};
      for (const k of new Set([...Object.keys(managed), ...Object.keys(next)])) changes[k] = { oldValue: managed[k], newValue: next[k] };
      for (const k of Object.keys(managed)) delete managed[k];
      Object.assign(managed, next);
      for (const fn of changeListeners) fn(changes, 'managed');
    },
    runtime: {
      id: 'test-extension',
      sendMessage(message) { sent.push(message); return Promise.resolve(answer(message)); },
      onMessage: { addListener() {} },
    },
    storage: {
      local: {
        get(keys) {
          if (keys && typeof keys === 'object' && !Array.isArray(keys)) return Promise.resolve({ ...keys, ...store });
          return Promise.resolve(pick(store, keys));
        },
        set(items) { Object.assign(store, items); return Promise.resolve(); },
        remove(key) { delete store[key]; return Promise.resolve(); },
      },
      managed: {
        get(keys) { return Promise.resolve(pick(managed, keys)); },
      },
      onChanged: { addListener(fn) { changeListeners.push(fn); } },
    },
  };
}

function wait(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// Resolves once `condition()` holds, polling; fails after `ms` so a slow machine is not a failure.
async function until(condition, ms = 5000, what = 'a condition') {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(10);
  }
}

// Resolves when the content script has no check waiting or running (its debounce included).
async function checked(window) {
  await wait(20); // the mutation observer schedules the check in a microtask after the edit
  await until(() => window.OnRecordContent.idle(), 5000, 'the draft to be checked');
  await wait(0);
}

module.exports = { ROOT, EXTENSION, FIXTURES, MANIFEST, contentScripts, loadPage, type, paste, fakeChrome, wait, until, checked };
