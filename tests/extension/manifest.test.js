'use strict';
// The manifest and the site adapters stay in step: adding a site is one adapter file plus its fixture,
// its node test and its browser test, and this test fails when a step was skipped.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { JSDOM } = require('jsdom');
const { ROOT, EXTENSION, FIXTURES, MANIFEST, contentScripts } = require('./harness');

const SITES_DIR = path.join(EXTENSION, 'content', 'sites');
// Files starting with "_" hold helpers shared by the adapters, not adapters.
const ADAPTERS = fs.readdirSync(SITES_DIR).filter((f) => f.endsWith('.js') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3)).sort();

test('manifest: every file it names exists', () => {
  const files = [
    MANIFEST.background.service_worker, ...MANIFEST.background.scripts,
    MANIFEST.action.default_popup, MANIFEST.options_ui.page, MANIFEST.storage.managed_schema,
    ...Object.values(MANIFEST.icons || {}),
    ...MANIFEST.content_scripts.flatMap((c) => c.js),
  ];
  for (const file of files) assert.ok(fs.existsSync(path.join(EXTENSION, file)), `${file} is missing`);
});

test('manifest: registry first, shared helpers and adapters next, core after them, main.js last', () => {
  const js = contentScripts();
  assert.equal(js[0], 'content/core/registry.js');
  assert.equal(js[js.length - 1], 'content/core/main.js');
  const lastSite = Math.max(...js.map((f, i) => (f.startsWith('content/sites/') ? i : -1)));
  const firstCore = js.findIndex((f, i) => i > 0 && f.startsWith('content/core/'));
  assert.ok(lastSite < firstCore, 'an adapter is loaded after core');
  for (const entry of MANIFEST.content_scripts) {
    assert.equal(entry.run_at, 'document_start', 'the hold listeners must be in place before the page\'s own');
  }
});

test('manifest: Chrome, Edge and Firefox keys are all there', () => {
  assert.equal(MANIFEST.manifest_version, 3);
  assert.ok(MANIFEST.background.service_worker && MANIFEST.background.scripts.length);
  assert.match(MANIFEST.browser_specific_settings.gecko.id, /@/);
  assert.ok(MANIFEST.key && Buffer.from(MANIFEST.key, 'base64').length > 200, 'no public key fixing the Chrome id');
  assert.ok(MANIFEST.host_permissions.includes('http://127.0.0.1/*'));
});

for (const id of ADAPTERS) {
  test(`site ${id}: in the manifest, with a dated fixture, a node test and a browser test`, () => {
    assert.ok(contentScripts().includes(`content/sites/${id}.js`), `content/sites/${id}.js is not in manifest.json`);
    const fixtures = fs.existsSync(path.join(FIXTURES, id)) ? fs.readdirSync(path.join(FIXTURES, id)) : [];
    assert.ok(fixtures.some((f) => /\d{4}-\d{2}-\d{2}\.html$/.test(f)),
      `tests/fixtures/sites/${id}/ has no saved page with its capture date in the name`);
    assert.ok(fs.existsSync(path.join(ROOT, 'tests', 'extension', 'sites', `${id}.test.js`)),
      `tests/extension/sites/${id}.test.js is missing`);
    assert.ok(fs.existsSync(path.join(ROOT, 'tests', 'e2e', `test_site_${id}.py`)),
      `tests/e2e/test_site_${id}.py is missing`);
  });

  test(`site ${id}: registers an adapter of that id, each selector with a comment`, () => {
    const { window } = new JSDOM('<!DOCTYPE html><p>', { runScripts: 'outside-only', url: 'https://example.org/' });
    for (const js of contentScripts()) {
      if (js.endsWith('registry.js') || js.startsWith('content/sites/_') || js === `content/sites/${id}.js`) {
        window.eval(fs.readFileSync(path.join(EXTENSION, js), 'utf8'));
      }
    }
    const adapter = window.OnRecordSites.get(id);
    assert.ok(adapter, `${id}.js did not register an adapter with id "${id}"`);
    const source = fs.readFileSync(path.join(SITES_DIR, `${id}.js`), 'utf8').split('\n');
    for (const name of Object.keys(adapter.selectors)) {
      const at = source.findIndex((line) => new RegExp(`^\\s*['"]?${name}['"]?\\s*:`).test(line));
      assert.ok(at > 0, `selector ${name} not found in ${id}.js`);
      // A comment may cover a group of selectors: walk up through the group to the comment over it.
      let up = at - 1;
      while (up > 0 && source[up].trim() && !/^\s*(\/\/|\*|\/\*)/.test(source[up]) && !/[{]\s*$/.test(source[up])) up--;
      assert.match(source[up], /^\s*(\/\/|\*|\/\*)/, `selector ${name} in ${id}.js has no comment above it`);
    }
  });
}

test('manifest: web-ext lint finds no errors', () => {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'web-ext');
  assert.ok(fs.existsSync(bin), 'web-ext is not installed: run npm ci');
  let out;
  try {
    out = execFileSync(bin, ['lint', '--source-dir', EXTENSION, '--output', 'json', '--no-config-discovery'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (err) {
    out = err.stdout; // web-ext exits non-zero when it finds errors; the report says which
  }
  const report = JSON.parse(out);
  assert.deepEqual(report.errors.map((e) => `${e.code}: ${e.message} (${e.file})`), []);
});

test('manifest: the managed schema\'s sites are exactly the sites adapters are registered for', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(EXTENSION, MANIFEST.storage.managed_schema), 'utf8'));
  const sites = schema.properties.sites;
  assert.equal(sites.type, 'object');
  assert.deepEqual(Object.keys(sites.properties).sort(), [...ADAPTERS].sort());
  for (const [id, entry] of Object.entries(sites.properties)) assert.equal(entry.type, 'boolean', id);
});
