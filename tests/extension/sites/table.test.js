'use strict';
// The extension against the one site table (helper/onrecord/sites.json): its copy of the table, its
// adapters, the manifest, the options page and the managed-storage schema all name the same sites, and
// each adapter recognises its site at the addresses the table gives and at no other site's.
// tests/test_sites.py checks the helper's side of the same table.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');
const { EXTENSION, contentScripts } = require('../harness');
const { siteTable, adapterSites } = require('./site-table');

const SITES_DIR = path.join(EXTENSION, 'content', 'sites');
const ADAPTER_FILES = fs.readdirSync(SITES_DIR).filter((f) => f.endsWith('.js') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

// Every content script of the isolated world, run in one blank page at `url`, as the manifest loads them.
function blankPage(url) {
  const { window } = new JSDOM('<!DOCTYPE html><body></body>', { url, runScripts: 'outside-only' });
  for (const js of contentScripts()) {
    if (js.endsWith('registry.js') || js.startsWith('content/sites/')) {
      window.eval(fs.readFileSync(path.join(EXTENSION, js), 'utf8'));
    }
  }
  return window;
}

test('site table: the registry\'s copy is the helper\'s table (run scripts/sync_sites.py after editing it)', () => {
  const window = blankPage('https://example.org/');
  assert.deepEqual(JSON.parse(JSON.stringify(window.OnRecordSites.TABLE)), siteTable());
  assert.deepEqual([...window.OnRecordSites.ADAPTER_IDS], adapterSites().map((s) => s.id));
});

test('site table: every site with an adapter has its file, in the manifest, and every adapter file is in the table', () => {
  const wanted = adapterSites().map((s) => s.id);
  assert.deepEqual([...ADAPTER_FILES].sort(), [...wanted].sort());
  for (const id of wanted) {
    assert.equal(contentScripts().filter((js) => js === `content/sites/${id}.js`).length, 1,
      `content/sites/${id}.js is not in manifest.json exactly once`);
  }
  const window = blankPage('https://example.org/');
  assert.deepEqual([...window.OnRecordSites.all().map((a) => a.id)].sort(), [...wanted].sort());
});

test('site table: the managed-storage schema offers a switch for every site with an adapter, by its label', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'managed-schema.json'), 'utf8'));
  const props = schema.properties.sites.properties;
  assert.deepEqual(Object.keys(props), adapterSites().map((s) => s.id));
  for (const s of adapterSites()) assert.equal(props[s.id].title, s.label);
});

for (const site of adapterSites()) {
  test(`site table: ${site.id} is recognised at its own addresses and at no other site's`, () => {
    assert.ok(site.examples.length, `${site.id} has no example address in the site table`);
    for (const host of site.hosts) {
      assert.ok(site.examples.some((u) => new URL(u).hostname.replace(/^www\./, '').endsWith(host)),
        `${site.id}: no example address on ${host}`);
    }
    for (const other of siteTable()) {
      for (const url of other.examples) {
        const window = blankPage(url);
        const adapter = window.OnRecordSites.get(site.id);
        const found = adapter.detect(window.location, window.document);
        if (other.id === site.id && site.hosts.length) {
          assert.equal(found, true, `${site.id} does not recognise ${url}, an address of its own in the site table`);
        } else {
          // A site recognised by its markup is not recognised by the address of a blank page.
          assert.equal(found, false, `${site.id} claims a blank page at ${url}`);
        }
      }
    }
  });
}

// Object literals keyed by three or more site ids, one key a line, in the extension's tests: a test's
// per-site table, which must name every site (one robustness test once left X out).
function perSiteTables(source) {
  const ids = new Set(siteTable().map((s) => s.id));
  const found = [];
  let run = [];
  source.split('\n').forEach((line, i) => {
    const m = /^\s*['"]?([a-z]+)['"]?\s*:/.exec(line);
    if (m && ids.has(m[1])) { run.push([m[1], i + 1]); return; }
    if (run.length >= 3) found.push(run);
    run = [];
  });
  if (run.length >= 3) found.push(run);
  return found;
}

test('site table: every per-site table in the extension\'s tests names every site with an adapter', () => {
  const root = path.resolve(__dirname, '..');
  const files = fs.readdirSync(root, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => path.join(root, f));
  const missing = [];
  for (const file of files) {
    for (const run of perSiteTables(fs.readFileSync(file, 'utf8'))) {
      const keys = new Set(run.map(([id]) => id));
      const lacking = adapterSites().map((s) => s.id).filter((id) => !keys.has(id));
      if (lacking.length) missing.push(`${path.relative(root, file)}:${run[0][1]} lacks ${lacking.join(', ')}`);
    }
  }
  assert.deepEqual(missing, []);
});
