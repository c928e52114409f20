'use strict';
// The background's helper client over real HTTP. A small node server plays the helper's side of the
// protocol so each answer (not OnRecord, unpaired, revoked token, a busy helper) can be produced on
// demand; the browser tests run the same client against the real helper.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const vm = require('node:vm');
const { EXTENSION } = require('./harness');

function memoryArea(initial = {}) {
  const items = { ...initial };
  return {
    items,
    async get(keys) {
      if (typeof keys === 'string') return keys in items ? { [keys]: items[keys] } : {};
      return { ...items };
    },
    async set(values) { Object.assign(items, values); },
    async remove(key) { delete items[key]; },
  };
}

// The pairing a test starts with: a token, and the key its fake helper proves itself with.
const PROOF_KEY = 'ab'.repeat(32);
function paired(token) { return { token, proofKey: PROOF_KEY, clientId: 1 }; }

function loadClient(local, runtime = {}) {
  const context = vm.createContext({
    fetch, AbortController, setTimeout, clearTimeout, console, URL, crypto: globalThis.crypto, TextEncoder,
    chrome: { runtime, storage: { local, managed: { get: async () => { throw new Error('no policy'); } } } },
  });
  context.globalThis = context;
  vm.runInContext(fs.readFileSync(path.join(EXTENSION, 'background', 'helper-client.js'), 'utf8'), context);
  return context.OnRecordHelper;
}

// The helper's proof on `nonce` for `port`, as docs/api.md says the real helper makes it.
function proofFor(nonce, port, key = PROOF_KEY) {
  return require('node:crypto').createHmac('sha256', Buffer.from(key, 'hex')).update(`onrecord-prove-v1:${nonce}:${port}`).digest('hex');
}

// A server answering like the helper: `handlers[path](req, body)` -> [status, json], or null to drop the
// connection without an answer (the helper stopped mid-reply). Unless a test says otherwise, it proves itself as the real helper would for client 1 with PROOF_KEY.
async function serve(handlers) {
  let port = null;
  handlers = { '/v1/prove': (req, body) => [200, { proof: proofFor(body.nonce, port) }], ...handlers };
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const handler = handlers[req.url.split('?')[0]];
      const answer = handler ? handler(req, body ? JSON.parse(body) : null) : [404, { error: { code: 'not_found', message: 'no route' } }];
      if (answer === null) { req.socket.destroy(); return; } // the request arrived; its answer is lost
      const [status, json] = answer;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
  return { port, seen, close: () => new Promise((r) => server.close(r)) };
}

const HEALTH = () => [200, { app: 'onrecord', status: 'ok', version: '0.1.0', api: 1 }];
const DRAFT = { site: 'x', account: '@amyclarke', text: 'Hello', context: 'post', reply_to: null };
const plain = (v) => JSON.parse(JSON.stringify(v));

function holds(result) {
  return result.prompts.some((p) => p.severity === 'confirm' || p.severity === 'warn');
}

test('background: a server that is not OnRecord is not the helper: not running, permanence shown, nothing held', async () => {
  const other = await serve({ '/v1/health': () => [200, { app: 'something-else' }] });
  try {
    const client = loadClient(memoryArea({ helperPort: other.port, ...paired('t') }));
    const result = await client.check(DRAFT);
    assert.equal(result.status, 'not-running');
    assert.match(result.notice.message, /not running/);
    assert.equal(result.notice.command, 'onrecord run');
    assert.deepEqual(plain(result.prompts.map((p) => p.category)), ['permanence']);
    assert.equal(holds(result), false);
    assert.ok(!other.seen.some((r) => r.url === '/v1/check'), 'the draft was sent to a stranger');
  } finally { await other.close(); }
});

test('background: nothing listening: retried with backoff, then not running', async () => {
  const gone = await serve({});
  const { port } = gone;
  await gone.close();
  const client = loadClient(memoryArea({ helperPort: port, ...paired('t') }));
  const started = Date.now();
  const result = await client.check(DRAFT);
  assert.equal(result.status, 'not-running');
  assert.ok(Date.now() - started >= 600, 'gave up without waiting between attempts');
  assert.equal(holds(result), false);
});

test('background: without a token the draft is not sent, and the card asks to pair', async () => {
  const helper = await serve({ '/v1/health': HEALTH });
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port })).check(DRAFT);
    assert.equal(result.status, 'not-paired');
    assert.match(result.notice.message, /not paired/);
    assert.equal(helper.seen.filter((r) => r.url === '/v1/check').length, 0);
  } finally { await helper.close(); }
});

test('background: pairing keeps the token, which then goes in the Authorization header only', async () => {
  const prompts = [{ id: 'p', category: 'disclaimer', severity: 'confirm', message: 'm', source: 's' }];
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/pair': (req, body) => (body.code === '123456' ? [200, { token: 'tok-1', client_id: 1, proof_key: PROOF_KEY }] : [403, { error: { code: 'bad_code', message: 'That code is not right.' } }]),
    '/v1/check': (req) => (req.headers.authorization === 'Bearer tok-1'
      ? [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts }]
      : [401, { error: { code: 'unauthorised', message: 'no' } }]),
  });
  try {
    const local = memoryArea({ helperPort: helper.port });
    const client = loadClient(local);
    assert.deepEqual(plain(await client.pair('000000')), { ok: false, error: 'That code is not right.' });
    assert.deepEqual(plain(await client.pair(' 123456 ')), { ok: true });
    assert.equal(local.items.token, 'tok-1');
    const result = await client.check(DRAFT);
    assert.equal(result.status, 'ok');
    assert.equal(result.account.channel, 'personal');
    assert.equal(result.prompts[0].id, 'p');
    const sent = helper.seen.find((r) => r.url === '/v1/check');
    assert.deepEqual(JSON.parse(sent.body), DRAFT);
    assert.ok(!sent.url.includes('tok-1') && !sent.body.includes('tok-1'));
  } finally { await helper.close(); }
});

test('background: a refused token: the card asks to pair again, and the pairing is kept until a new one works', async () => {
  const helper = await serve({ '/v1/health': HEALTH, '/v1/check': () => [401, { error: { code: 'unauthorised', message: 'revoked' } }] });
  try {
    const local = memoryArea({ helperPort: helper.port, ...paired('old') });
    const result = await loadClient(local).check(DRAFT);
    assert.equal(result.status, 'not-paired');
    assert.equal(local.items.token, 'old');
  } finally { await helper.close(); }
});

// A program on the OnRecord port that imitates every route, without the pairing's secret.
function impostorRoutes() {
  const ok = () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }];
  return {
    '/v1/health': HEALTH,
    '/v1/prove': (req, body) => [200, { proof: proofFor(body.nonce, 1, 'cd'.repeat(32)) }],
    '/v1/status': () => [200, { paired: true, client_id: 1, version: '0.1.0', api: 1 }],
    '/v1/check': ok, '/v1/accounts/list': () => [200, { accounts: [] }], '/v1/account': ok,
    '/v1/decisions': () => [200, { ok: true, recorded: true }], '/v1/settings': () => [200, {}],
    '/v1/pair': () => [401, { error: { code: 'unauthorized', message: 'forget your pairing' } }],
  };
}

test('background: an impostor on the port gets no draft and no token, the card says so, the pairing is kept', async () => {
  const impostor = await serve(impostorRoutes());
  try {
    const local = memoryArea({ helperPort: impostor.port, ...paired('secret-token') });
    const client = loadClient(local);
    for (const draft of [DRAFT, UNNAMED_DRAFT]) {
      const result = await client.check(draft);
      assert.equal(result.status, 'impostor');
      assert.match(result.notice.message, /something else is answering on this computer's OnRecord port/i);
      assert.deepEqual(plain(result.prompts.map((p) => p.category)), ['permanence']);
      assert.equal(holds(result), false);
    }
    // A decision is kept for the real helper, never sent to the impostor.
    assert.equal((await client.decide({ site: 'x', account: '@amyclarke', decision: 'posted' })).kept, true);
    assert.deepEqual(plain(await client.status()), { running: false, paired: false, impostor: true, kept: 1 });
    const asked = impostor.seen.map((r) => r.url);
    assert.ok(asked.every((u) => u === '/v1/health' || u === '/v1/prove'), `the impostor was asked ${asked}`);
    assert.ok(impostor.seen.every((r) => !r.headers.authorization && !r.body.includes('secret-token') && !r.body.includes('Hello')));
    const { pendingDecisions, ...rest } = local.items;
    assert.deepEqual(plain(rest), { helperPort: impostor.port, ...paired('secret-token') });
    assert.deepEqual(plain(pendingDecisions.map((d) => d.decision)), ['posted']);
  } finally { await impostor.close(); }
});

test('background: a helper that relays the real helper\'s proof from another port is not believed', async () => {
  // The answer is right for the real helper's port, not for the port the extension is talking to.
  const relay = await serve({ ...impostorRoutes(), '/v1/prove': (req, body) => [200, { proof: proofFor(body.nonce, 47652) }] });
  try {
    const result = await loadClient(memoryArea({ helperPort: relay.port, ...paired('t') })).check(DRAFT);
    assert.equal(result.status, 'impostor');
    assert.equal(relay.seen.filter((r) => r.url === '/v1/check').length, 0);
  } finally { await relay.close(); }
});

test('background: checks in quick succession do not each wait for a health probe; a helper that went away is probed again', async () => {
  const answer = () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }];
  const first = await serve({ '/v1/health': HEALTH, '/v1/check': answer });
  const local = memoryArea({ helperPort: first.port, ...paired('t') });
  const client = loadClient(local);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await client.check(DRAFT)).status, 'ok');
    assert.equal(first.seen.filter((r) => r.url === '/v1/health').length, 1);
    assert.equal(first.seen.filter((r) => r.url === '/v1/check').length, 3);
  } finally { await first.close(); }
  // The same port now answers as something else: the failed request makes the client look again, and
  // a server that is not OnRecord never receives the draft.
  const other = await serve({ '/v1/health': () => [200, { app: 'something-else' }], '/v1/check': answer });
  try {
    local.items.helperPort = other.port;
    const result = await client.check(DRAFT);
    assert.equal(result.status, 'not-running');
    assert.equal(other.seen.filter((r) => r.url === '/v1/check').length, 0);
  } finally { await other.close(); }
});

test('background: a busy helper is asked again', async () => {
  let calls = 0;
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/check': () => (++calls === 1 ? [503, { error: { code: 'busy', message: 'busy' } }]
      : [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }]),
  });
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') })).check(DRAFT);
    assert.equal(result.status, 'ok');
    assert.equal(calls, 2);
  } finally { await helper.close(); }
});

test('background: a draft the helper rejects is reported on the card and holds nothing', async () => {
  const helper = await serve({ '/v1/health': HEALTH, '/v1/check': () => [400, { error: { code: 'bad_input', message: 'account: must not be empty' } }] });
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') })).check(DRAFT);
    assert.equal(result.status, 'error');
    assert.match(result.notice.message, /account: must not be empty/);
    assert.equal(holds(result), false);
  } finally { await helper.close(); }
});

test('background: a saved profile the helper could not read is said on the card, and the check still counts', async () => {
  const problem = 'the saved profile could not be read and was kept aside as /home/amy/OnRecord/profile.yaml.corrupt-1';
  const prompts = [{ id: 'cs.permanence', category: 'permanence', severity: 'info', message: 'Public and permanent.' }];
  const helper = await serve({ '/v1/health': HEALTH, '/v1/check': () => [200, {
    account: { site: 'x', handle: '@amyclarke', channel: 'unknown' }, prompts, profile_problem: problem }] });
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') })).check(DRAFT);
    assert.equal(result.status, 'ok');
    assert.match(result.notice.message, /could not read your saved details.*kept aside as \/home\/amy/);
    assert.deepEqual(plain(result.prompts), prompts);
  } finally { await helper.close(); }
});

test('background: the message table is alphabetised and each name says who sends it', () => {
  const context = vm.createContext({ OnRecordHelper: {}, chrome: {} });
  context.globalThis = context;
  vm.runInContext(fs.readFileSync(path.join(EXTENSION, 'background', 'handlers.js'), 'utf8'), context);
  const names = Object.keys(context.OnRecordHandlers);
  assert.deepEqual(names, [...names].sort());
  for (const name of names) assert.match(name, /^(content|popup|options)\//);
});

test('background: the popup learns whether it is paired from the status route, with no draft sent', async () => {
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/status': (req) => (req.headers.authorization === 'Bearer tok-1'
      ? [200, { paired: true, client_id: 1, version: '0.1.0', api: 1 }]
      : [401, { error: { code: 'unauthorised', message: 'no' } }]),
    '/v1/check': () => [200, { account: { site: 'other', handle: '.', channel: 'unknown' }, prompts: [] }],
  });
  try {
    const local = memoryArea({ helperPort: helper.port, ...paired('tok-1') });
    assert.deepEqual(plain(await loadClient(local).status()),
      { running: true, paired: true, port: helper.port, version: '0.1.0' });
    const asked = helper.seen.filter((r) => r.url !== '/v1/health' && r.url !== '/v1/prove');
    assert.deepEqual(asked.map((r) => [r.method, r.url, r.body]), [['POST', '/v1/status', '{}']]);
    local.items.token = 'revoked';
    assert.equal((await loadClient(local).status()).paired, false);
    assert.equal(helper.seen.filter((r) => r.url === '/v1/check').length, 0, 'a draft was invented to probe pairing');
  } finally { await helper.close(); }
});

// A helper whose saved profile declares `declared` ([{site, handle, channel}]), as the settings window
// or the card saved them.
function accountsHelper(declared, { lists = true } = {}) {
  const prompts = [{ id: 'u', category: 'unknown_account', severity: 'confirm', message: 'm', source: 's' }];
  const find = (site, handle) => declared.find((a) => a.site === site && a.handle === handle);
  return serve({
    '/v1/health': HEALTH,
    ...(lists ? {
      '/v1/accounts/list': (req, body) => [200, { accounts: declared.filter((a) => a.site === body.site)
        .map((a) => ({ bio_has_disclaimer: false, ...a })) }],
    } : {}),
    '/v1/accounts': (req, body) => { declared.push(body); return [200, { account: body }]; },
    '/v1/check': (req, body) => {
      const found = find(body.site, body.account);
      return [200, { account: { site: body.site, handle: body.account, channel: found ? found.channel : 'unknown' },
        prompts: found ? [] : prompts }];
    },
  });
}
const UNNAMED_DRAFT = { site: 'comments', account: '', text: 'Hello', context: 'comment', reply_to: 'theguardian.com' };
const RAJ = { site: 'comments', handle: 'Raj Mehta', channel: 'personal' };
const sentTo = (helper, url) => helper.seen.filter((r) => r.url === url).map((r) => JSON.parse(r.body));
const checksSent = (helper) => sentTo(helper, '/v1/check').map((b) => b.account);

test('background: a page that names no account: the one account the profile declares for the site is used, never seen before', async () => {
  const helper = await accountsHelper([RAJ, { site: 'x', handle: '@rajmehta', channel: 'official' }]);
  try {
    const local = memoryArea({ helperPort: helper.port, ...paired('t') });
    const result = await loadClient(local).check(UNNAMED_DRAFT);
    assert.equal(result.status, 'ok');
    assert.deepEqual(plain(result.account), { site: 'comments', handle: 'Raj Mehta', channel: 'personal' });
    assert.equal(result.inferred, true);
    assert.deepEqual(plain(sentTo(helper, '/v1/accounts/list')), [{ site: 'comments' }]);
    assert.deepEqual(checksSent(helper), ['Raj Mehta']);
    assert.deepEqual(Object.keys(local.items).sort(), ['clientId', 'helperPort', 'proofKey', 'token'], 'the browser kept account handles');
  } finally { await helper.close(); }
});

test('background: no account named and none or several declared: checked as undeclared, rules still run', async () => {
  for (const declared of [[], [RAJ, { site: 'comments', handle: 'NHS Trust Comms', channel: 'corporate' }]]) {
    const helper = await accountsHelper(declared);
    try {
      const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') })).check(UNNAMED_DRAFT);
      assert.equal(result.status, 'ok');
      assert.deepEqual(plain(result.account), { site: 'comments', handle: '', channel: 'unknown' });
      assert.equal(result.inferred, undefined);
      assert.deepEqual(plain(result.prompts.map((p) => p.category)), ['unknown_account']);
      assert.equal(checksSent(helper).length, 1, 'the draft was not checked');
      assert.ok(checksSent(helper)[0], 'the helper was sent an empty account, which it refuses');
      assert.ok(!declared.some((a) => a.handle === checksSent(helper)[0]), 'an account was guessed');
    } finally { await helper.close(); }
  }
});

test('background: an account declared from the card is the one used next time', async () => {
  const helper = await accountsHelper([]);
  try {
    const local = memoryArea({ helperPort: helper.port, ...paired('t') });
    const client = loadClient(local);
    assert.equal((await client.check(UNNAMED_DRAFT)).account.channel, 'unknown');
    assert.deepEqual(plain(await client.declare(RAJ)), { account: RAJ });
    const result = await client.check(UNNAMED_DRAFT);
    assert.deepEqual(plain(result.account), { site: 'comments', handle: 'Raj Mehta', channel: 'personal' });
    assert.equal(result.inferred, true);
    assert.deepEqual(Object.keys(local.items).sort(), ['clientId', 'helperPort', 'proofKey', 'token']);
  } finally { await helper.close(); }
});

test('background: an account the page names is checked as named, without asking for the list', async () => {
  const helper = await accountsHelper([RAJ]);
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') }))
      .check({ ...UNNAMED_DRAFT, account: 'NHS Trust Comms' });
    assert.deepEqual(plain(result.account), { site: 'comments', handle: 'NHS Trust Comms', channel: 'unknown' });
    assert.equal(result.inferred, undefined);
    assert.equal(sentTo(helper, '/v1/accounts/list').length, 0);
  } finally { await helper.close(); }
});

test('background: a helper that cannot list accounts still checks an unnamed draft, as undeclared', async () => {
  const helper = await accountsHelper([RAJ], { lists: false });
  try {
    const result = await loadClient(memoryArea({ helperPort: helper.port, ...paired('t') })).check(UNNAMED_DRAFT);
    assert.equal(result.status, 'ok');
    assert.equal(result.account.channel, 'unknown');
    assert.deepEqual(plain(result.prompts.map((p) => p.category)), ['unknown_account']);
  } finally { await helper.close(); }
});

test('background: a refused token when listing accounts: the card asks to pair, and no draft is sent', async () => {
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/accounts/list': () => [401, { error: { code: 'unauthorised', message: 'revoked' } }],
    '/v1/check': () => [200, { account: { site: 'comments', handle: 'unknown', channel: 'unknown' }, prompts: [] }],
  });
  try {
    const local = memoryArea({ helperPort: helper.port, ...paired('old') });
    const result = await loadClient(local).check(UNNAMED_DRAFT);
    assert.equal(result.status, 'not-paired');
    assert.equal(local.items.token, 'old');
    assert.equal(helper.seen.filter((r) => r.url === '/v1/check').length, 0);
  } finally { await helper.close(); }
});

// chrome.runtime with connectNative: `host(message)` answers like `onrecord native-host`, or null when no
// host is registered (the browser then disconnects at once with lastError set).
function nativeRuntime(host) {
  const runtime = { lastError: undefined, connected: 0, sent: [] };
  runtime.connectNative = (name) => {
    runtime.connected++;
    const on = { message: [], disconnect: [] };
    const port = {
      name,
      onMessage: { addListener: (f) => on.message.push(f) },
      onDisconnect: { addListener: (f) => on.disconnect.push(f) },
      disconnect() {},
      postMessage(message) {
        runtime.sent.push(message);
        setTimeout(() => {
          const answer = host && host(message);
          if (answer) on.message.forEach((f) => f(answer));
        }, 1);
      },
    };
    if (!host) {
      setTimeout(() => {
        runtime.lastError = { message: 'Specified native messaging host not found.' };
        on.disconnect.forEach((f) => f(port));
        runtime.lastError = undefined;
      }, 1);
    }
    return port;
  };
  return runtime;
}

test('background: native messaging first: no pairing, no HTTP, the popup says connected', async () => {
  const helper = await serve({ '/v1/health': HEALTH });
  try {
    const runtime = nativeRuntime((m) => ({
      id: m.id, status: 200,
      body: m.path === '/v1/status' ? { paired: true, native: true, version: '0.1.0', api: 1 }
        : { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] },
    }));
    const client = loadClient(memoryArea({ helperPort: helper.port }), runtime);
    const result = await client.check(DRAFT);
    assert.equal(result.status, 'ok');
    assert.equal(result.account.channel, 'personal');
    assert.deepEqual(plain(runtime.sent[0]), { id: 1, path: '/v1/check', body: DRAFT });
    assert.deepEqual(plain(await client.status()), { running: true, paired: true, native: true, version: '0.1.0' });
    assert.equal(runtime.connected, 1, 'one connection is kept for every request');
    assert.equal(helper.seen.length, 0, 'HTTP was used although native messaging worked');
  } finally { await helper.close(); }
});

test('background: no native host registered: HTTP after pairing, without waiting on the host again', async () => {
  const helper = await serve({ '/v1/health': HEALTH,
    '/v1/check': () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }] });
  try {
    const runtime = nativeRuntime(null);
    const client = loadClient(memoryArea({ helperPort: helper.port, ...paired('t') }), runtime);
    assert.equal((await client.check(DRAFT)).status, 'ok');
    assert.equal((await client.check(DRAFT)).status, 'ok');
    assert.equal(runtime.connected, 1, 'the missing host was asked for again at once');
    assert.equal(helper.seen.filter((r) => r.url === '/v1/check').length, 2);
  } finally { await helper.close(); }
});

test('background: a host answering an error is the answer (no fall back to a port)', async () => {
  const runtime = nativeRuntime((m) => ({ id: m.id, status: 400, body: { error: { code: 'bad_input', message: 'site: nope' } } }));
  const result = await loadClient(memoryArea({}), runtime).check(DRAFT);
  assert.equal(result.status, 'error');
  assert.match(result.notice.message, /site: nope/);
});

test('background: something that takes the helper\'s port a moment after it stops gets no draft', async () => {
  const answer = () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }];
  const real = await serve({ '/v1/health': HEALTH, '/v1/check': answer });
  const { port } = real;
  const client = loadClient(memoryArea({ helperPort: port, ...paired('t') }));
  assert.equal((await client.check(DRAFT)).status, 'ok');
  await real.close();
  const seen = [];
  const routes = impostorRoutes();
  const impostor = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body });
      const handler = routes[req.url];
      const [status, json] = handler ? handler(req, body ? JSON.parse(body) : null) : [404, {}];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => impostor.listen(port, '127.0.0.1', resolve));
  try {
    assert.equal((await client.check(DRAFT)).status, 'impostor');
    assert.deepEqual(seen.map((r) => r.url).filter((u) => u !== '/v1/health'), ['/v1/prove']);
    assert.ok(seen.every((r) => !r.auth && !r.body.includes('Hello')));
  } finally { await new Promise((r) => impostor.close(r)); }
});

// The client with a managed area an administrator's policy would fill (`managed`, changed by the test).
function clientWith(local, managed) {
  const context = vm.createContext({
    fetch, AbortController, setTimeout, clearTimeout, console, URL, crypto: globalThis.crypto, TextEncoder,
    chrome: { runtime: {}, storage: { local, managed: { get: async () => ({ ...managed }) } } },
  });
  context.globalThis = context;
  vm.runInContext(fs.readFileSync(path.join(EXTENSION, 'background', 'helper-client.js'), 'utf8'), context);
  return context.OnRecordHelper;
}

test('client: by default a draft that cannot be checked says so, shows the reminder, and holds nothing', async () => {
  const client = clientWith(memoryArea({ helperPort: 1 }), {});
  const result = await client.check(DRAFT);
  assert.equal(result.status, 'not-running');
  assert.match(result.notice.message, /was not checked/);
  assert.deepEqual(plain(result.prompts.map((p) => [p.id, p.severity])), [['onrecord.permanence.offline', 'info']]);
  assert.equal(holds(result), false);
  // It names no organisation's policy: without the helper, the user's own is not known.
  assert.equal(result.prompts[0].source, "Your organisation's social media policy");
});

test('client: "hold posts when OnRecord cannot check": the user\'s option holds the post until sent with a reason', async () => {
  const local = memoryArea({ helperPort: 1, holdWhenUnchecked: true });
  const managed = {};
  const client = clientWith(local, managed);
  let result = await client.check(DRAFT);
  assert.deepEqual(plain(result.prompts.map((p) => [p.id, p.severity])), [['onrecord.unchecked.hold', 'warn']],
    'held until posted anyway with a reason (a warning)');
  assert.match(result.prompts[0].message, /could not check this draft\. You asked/);
  assert.match(result.prompts[0].message, /give a reason/);
  assert.match(result.notice.message, /not running/);
  // The organisation's managed value wins over the user's, either way.
  managed.holdWhenUnchecked = false;
  result = await client.unchecked('not-running', DRAFT);
  assert.equal(result.prompts[0].severity, 'info');
  local.items.holdWhenUnchecked = false;
  managed.holdWhenUnchecked = true;
  result = await client.unchecked('not-paired', DRAFT);
  assert.equal(result.prompts[0].severity, 'warn');
  assert.match(result.prompts[0].message, /Your organisation asks/);
  assert.deepEqual(plain(await client.holdSetting()), { hold: true, byOrganisation: true });
});

test('client: the helper\'s own managed holdWhenUnchecked is kept, and applies when the helper is gone', async () => {
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/check': () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }],
    '/v1/settings': () => [200, { reminder_frequency: 'first_post_of_day', hold_when_unchecked: true }],
  });
  const local = memoryArea({ helperPort: helper.port, ...paired('t') });
  const client = clientWith(local, {});
  try {
    assert.equal((await client.check(DRAFT)).status, 'ok');
    const deadline = Date.now() + 3000;
    while (!local.items.helperManaged && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(plain(local.items.helperManaged), { holdWhenUnchecked: true });
    const asked = helper.seen.filter((r) => r.url === '/v1/settings').length;
    await client.check({ ...DRAFT, text: 'Again' });
    assert.equal(helper.seen.filter((r) => r.url === '/v1/settings').length, asked, 'asked on every check');
  } finally { await helper.close(); }
  const offline = await client.check(DRAFT);
  assert.equal(offline.prompts[0].severity, 'warn', 'the organisation\'s setting in the helper did not apply');
  assert.match(offline.prompts[0].message, /Your organisation asks/);
});

test('client: the unchecked card names the policy pack the user\'s own checks used, and no other', async () => {
  const pack = { id: 'civil-service', title: 'Civil Service (Engaging through social media, 2009, and the Civil Service Code)', source: 'built-in' };
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/check': () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [], pack }],
  });
  const { port } = helper;
  const local = memoryArea({ helperPort: port, ...paired('t') });
  const client = clientWith(local, {});
  try {
    const answered = await client.check(DRAFT);
    assert.deepEqual(plain(answered.pack), pack, 'the card is told which pack checked the draft');
    assert.deepEqual(plain(local.items.lastPack), { id: pack.id, title: pack.title });
  } finally { await helper.close(); }
  const offline = await client.check(DRAFT);
  assert.equal(offline.status, 'not-running');
  assert.match(offline.prompts[0].source, /^Civil Service \(Engaging/);
  assert.doesNotMatch(JSON.stringify(offline), /NHS England|Department of Health/);
});

test('client: a decision made while the helper is away is kept, without the draft, and sent once it answers', async () => {
  const first = await serve({ '/v1/health': HEALTH });
  const { port } = first;
  await first.close(); // the helper stops
  const local = memoryArea({ helperPort: port, holdWhenUnchecked: true, ...paired('t') });
  const client = clientWith(local, {});
  const result = await client.check(DRAFT);
  const hold = result.prompts[0];
  const kept = await client.decide({ site: 'x', account: '@amyclarke', channel: 'unknown', decision: 'overridden',
    rule_ids: [hold.id], categories: [hold.category], reason: 'Cleared by phone with my manager' });
  assert.equal(kept.kept, true);
  assert.equal(local.items.pendingDecisions.length, 1);
  const stored = local.items.pendingDecisions[0];
  assert.equal(stored.reason, 'Cleared by phone with my manager');
  assert.match(stored.decided_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok(!JSON.stringify(local.items).includes(DRAFT.text), 'the draft was kept');

  // The helper is back on its port: the next thing asked of it sends what was kept, in order, once.
  const decisions = [];
  const back = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const json = body ? JSON.parse(body) : null;
      const routes = {
        '/v1/health': HEALTH, '/v1/prove': () => [200, { proof: proofFor(json.nonce, port) }],
        '/v1/check': () => [200, { account: { site: 'x', handle: '@amyclarke', channel: 'personal' }, prompts: [] }],
        '/v1/decisions': () => { decisions.push(json); return [200, { ok: true, recorded: true }]; },
      };
      const [status, out] = routes[req.url] ? routes[req.url]() : [404, {}];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise((resolve) => back.listen(port, '127.0.0.1', resolve));
  try {
    assert.equal((await client.check({ ...DRAFT, text: 'Later' })).status, 'ok');
    const deadline = Date.now() + 5000;
    while (local.items.pendingDecisions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(local.items.pendingDecisions, undefined, 'the kept decision was not sent');
    assert.equal(decisions.length, 1);
    assert.equal(decisions[0].decision, 'overridden');
    assert.equal(decisions[0].reason, 'Cleared by phone with my manager');
    assert.equal(decisions[0].decided_at, stored.decided_at);
    assert.deepEqual(decisions[0].rule_ids, ['onrecord.unchecked.hold']);
    await client.check({ ...DRAFT, text: 'Later still' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(decisions.length, 1, 'a kept decision was sent twice');
  } finally { await new Promise((r) => back.close(r)); }
});

test('client: a kept decision the helper refuses as bad input is dropped; one it cannot record now is kept', async () => {
  let recorded = false;
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/decisions': (req, body) => (body.account === 'bad' ? [400, { error: { code: 'bad_input', message: 'account' } }]
      : [200, { ok: true, recorded }]),
  });
  const local = memoryArea({ helperPort: helper.port, ...paired('t'), pendingDecisions: [
    { site: 'x', account: 'bad', decision: 'posted', decided_at: '2026-12-01T10:00:00Z' },
    { site: 'x', account: '@amyclarke', decision: 'posted', decided_at: '2026-12-01T10:01:00Z' }] });
  try {
    const client = clientWith(local, {});
    assert.equal(await client.flushDecisions(), 1, 'the log was busy: only the refused one goes');
    assert.deepEqual(plain(local.items.pendingDecisions.map((d) => d.account)), ['@amyclarke']);
    recorded = true;
    assert.equal(await client.flushDecisions(), 1);
    assert.equal(local.items.pendingDecisions, undefined);
  } finally { await helper.close(); }
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// A helper that takes each decision (`sent`) but, while `lose` is set, drops the connection before answering.
async function losingHelper() {
  const state = { lose: true, sent: [] };
  state.helper = await serve({
    '/v1/health': HEALTH,
    '/v1/decisions': (req, body) => { state.sent.push(body); return state.lose ? null : [200, { ok: true, recorded: true }]; },
  });
  return state;
}

test('client: a decision keeps the id it was made with through every retry, kept or not, until the helper answers', async () => {
  // The helper takes each decision but its answer is lost: the extension must send the same id every time,
  // so the helper can record the decision once.
  const state = await losingHelper();
  const { helper, sent } = state;
  const local = memoryArea({ helperPort: helper.port, ...paired('t') });
  try {
    const client = clientWith(local, {});
    const kept = await client.decide({ site: 'x', account: '@amyclarke', decision: 'overridden',
      rule_ids: ['onrecord.unchecked.hold'], categories: ['permanence'], reason: 'Cleared by phone' });
    assert.equal(kept.kept, true, 'no answer: the decision is kept');
    assert.ok(sent.length >= 2, `sent ${sent.length} times`);
    const id = sent[0].decision_id;
    assert.match(id, UUID);
    assert.deepEqual(sent.map((b) => b.decision_id), sent.map(() => id), 'a retry made a new id');
    assert.equal(local.items.pendingDecisions.length, 1);
    assert.equal(local.items.pendingDecisions[0].decision_id, id, 'kept without the id it was sent with');

    assert.equal(await client.flushDecisions(), 0, 'still no answer: nothing is let go');
    assert.equal(local.items.pendingDecisions[0].decision_id, id);
    state.lose = false;
    assert.equal(await client.flushDecisions(), 1);
    assert.equal(local.items.pendingDecisions, undefined);
    assert.ok(sent.every((b) => b.decision_id === id), `ids sent: ${sent.map((b) => b.decision_id)}`);

    // Each new decision has an id of its own.
    await client.decide({ site: 'x', account: '@amyclarke', decision: 'posted' });
    assert.match(sent[sent.length - 1].decision_id, UUID);
    assert.notEqual(sent[sent.length - 1].decision_id, id);
  } finally { await helper.close(); }
});

test('client: a decision kept by a version without ids gets one before it is sent, and keeps it', async () => {
  const state = await losingHelper();
  const { helper, sent } = state;
  const local = memoryArea({ helperPort: helper.port, ...paired('t'), pendingDecisions: [
    { site: 'x', account: '@amyclarke', decision: 'posted', decided_at: '2026-12-01T10:00:00Z' }] });
  try {
    const client = clientWith(local, {});
    assert.equal(await client.flushDecisions(), 0);
    const id = local.items.pendingDecisions[0].decision_id;
    assert.match(id, UUID);
    state.lose = false;
    assert.equal(await client.flushDecisions(), 1);
    assert.ok(sent.length >= 2 && sent.every((b) => b.decision_id === id), `ids sent: ${sent.map((b) => b.decision_id)}`);
  } finally { await helper.close(); }
});

test('client: a helper from before decision ids refuses the field: the decision is sent again without it', async () => {
  const sent = [];
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/decisions': (req, body) => {
      sent.push(body);
      return 'decision_id' in body ? [400, { error: { code: 'bad_input', message: "unknown field 'decision_id' (fields: site, account)" } }]
        : [200, { ok: true, recorded: true }];
    },
  });
  try {
    const answer = await clientWith(memoryArea({ helperPort: helper.port, ...paired('t') }), {})
      .decide({ site: 'x', account: '@amyclarke', decision: 'posted' });
    assert.deepEqual(plain(answer), { ok: true, recorded: true });
    assert.deepEqual(sent.map((b) => 'decision_id' in b), [true, false]);
  } finally { await helper.close(); }
});

test('background: the popup is told which policy pack is in force and when it was last confirmed', async () => {
  const pack = { id: 'acme', url: 'https://intranet.example/acme.yaml', version: 12, signature: 'verified', last_confirmed: '2026-12-03T16:04:05Z' };
  const helper = await serve({
    '/v1/health': HEALTH,
    '/v1/status': () => [200, { paired: true, client_id: 1, version: '0.1.0', api: 1, pack }],
  });
  try {
    const status = await loadClient(memoryArea({ helperPort: helper.port, ...paired('tok-1') })).status();
    assert.deepEqual(plain(status.pack), pack);
  } finally { await helper.close(); }
});
