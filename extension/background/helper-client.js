'use strict';
// The only code that talks to the helper. Content scripts cannot: their requests carry the page's
// origin, which the helper refuses. This file also decides, in one place (`unreachable`), what the
// user sees when the helper cannot be reached or is not paired: the card says so and how to fix it,
// still shows the permanence reminder, and holds nothing back.
globalThis.OnRecordHelper = (function () {
  const DEFAULT_PORTS = Object.freeze([47651, 47652, 47653, 47654, 47655]);
  const HEALTH_TIMEOUT_MS = 800;
  const REQUEST_TIMEOUT_MS = 5000;
  const BACKOFF_MS = Object.freeze([150, 500]); // waits between the attempts of one request

  // Shown when the helper cannot be asked; posts are public and permanent whatever the helper says.
  const PERMANENCE = Object.freeze({
    id: 'onrecord.permanence.offline', category: 'permanence', severity: 'info',
    message: 'Posts are public and permanent: write as if for a media interview.',
    source: 'Civil Service Code; NHS England social media policy 3.1',
  });

  // Shown instead when the organisation's managed holdWhenUnchecked is true: the post is held until the
  // user confirms it, since nobody checked it.
  const UNCHECKED_HOLD = Object.freeze({
    id: 'onrecord.unchecked.hold', category: 'permanence', severity: 'confirm',
    message: 'OnRecord could not check this draft. Your organisation asks you to confirm before posting it: posts are public and permanent.',
    source: 'Your organisation\'s OnRecord settings',
  });

  const NOTICES = Object.freeze({
    'not-running': { message: 'The OnRecord helper is not running, so this draft was not checked. Start OnRecord from your applications menu, or run:', command: 'onrecord run' },
    'not-paired': { message: 'This browser is not paired with OnRecord, so this draft was not checked. Open the OnRecord button in the toolbar and enter the pairing code that OnRecord shows (or run onrecord pair).' },
    'error': { message: 'The OnRecord helper could not check this draft.' },
  });

  const storage = () => globalThis.chrome.storage;
  // The organisation's holdWhenUnchecked, read from managed storage at start and again when it changes.
  let holdWhenUnchecked = false;
  async function readManaged() {
    try {
      const got = storage().managed ? await storage().managed.get('holdWhenUnchecked') : {};
      holdWhenUnchecked = got.holdWhenUnchecked === true;
    } catch (err) { holdWhenUnchecked = false; /* no policy installed */ }
  }
  readManaged();
  if (storage().onChanged) {
    storage().onChanged.addListener((changes, area) => {
      if (area !== 'managed') return;
      if (changes.helperPort) forgetPort(); // the next request looks on the port the organisation set
      readManaged();
    });
  }
  let knownPort = null;
  let knownHealth = null;
  let verifiedAt = 0;
  const VERIFIED_FOR_MS = 10000;

  function extensionVersion() {
    try { return globalThis.chrome.runtime.getManifest().version; } catch (err) { return undefined; }
  }

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  async function fetchWithTimeout(url, options, ms) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), ms);
    try {
      return await fetch(url, { ...options, signal: ctrl.signal, credentials: 'omit', cache: 'no-store' });
    } finally {
      clearTimeout(timer);
    }
  }

  // An administrator's managed port wins over the user's option; either one is the only port tried,
  // since whoever set it means that helper and no other.
  async function configuredPort() {
    let managed = null;
    try {
      if (storage().managed) managed = (await storage().managed.get('helperPort')).helperPort;
    } catch (err) { managed = null; /* no policy installed */ }
    const local = (await storage().local.get('helperPort')).helperPort;
    const port = Number(managed || local);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  }

  async function isOnRecord(port) {
    try {
      const res = await fetchWithTimeout(`http://127.0.0.1:${port}/v1/health`, {}, HEALTH_TIMEOUT_MS);
      if (!res.ok) return null;
      const body = await res.json();
      return body && body.app === 'onrecord' ? body : null;
    } catch (err) {
      return null;
    }
  }

  async function portsToTry() {
    const configured = await configuredPort();
    if (configured) return [configured];
    return knownPort ? [knownPort, ...DEFAULT_PORTS.filter((p) => p !== knownPort)] : DEFAULT_PORTS.slice();
  }

  // The port of a running OnRecord helper, or null. A port that answered as OnRecord moments ago is
  // trusted for a few seconds, so a check does not wait for a health probe first; any failed request
  // forgets it, and so does a change of the configured port.
  async function find() {
    const ports = await portsToTry();
    if (knownPort && knownHealth && ports[0] === knownPort && Date.now() - verifiedAt < VERIFIED_FOR_MS) {
      return { port: knownPort, health: knownHealth };
    }
    for (const port of ports) {
      const health = await isOnRecord(port);
      if (health) { knownPort = port; knownHealth = health; verifiedAt = Date.now(); return { port, health }; }
    }
    forgetPort();
    return null;
  }

  function forgetPort() {
    knownPort = null;
    knownHealth = null;
    verifiedAt = 0;
  }

  async function token() {
    return (await storage().local.get('token')).token || null;
  }

  // One request, with retries and backoff when the helper cannot be reached. Resolves to
  // {status: 'ok', body} or {status: 'not-running' | 'not-paired' | 'error', error?}.
  async function request(method, path, body, { auth = true } = {}) {
    let last = { status: 'not-running' };
    for (let attempt = 0; attempt <= BACKOFF_MS.length; attempt++) {
      if (attempt) await sleep(BACKOFF_MS[attempt - 1]);
      const found = await find();
      if (!found) { last = { status: 'not-running' }; continue; }
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (auth) {
        const t = await token();
        if (!t) return { status: 'not-paired' };
        headers.Authorization = `Bearer ${t}`;
      }
      let res;
      try {
        res = await fetchWithTimeout(`http://127.0.0.1:${found.port}${path}`, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        }, REQUEST_TIMEOUT_MS);
      } catch (err) {
        forgetPort();
        last = { status: 'not-running' };
        continue;
      }
      let answer = null;
      try { answer = await res.json(); } catch (err) { answer = null; }
      if (res.ok) return { status: 'ok', body: answer };
      const error = (answer && answer.error) || { code: String(res.status), message: res.statusText };
      if (res.status === 401 && auth) {
        // The helper no longer knows this token (revoked, or a different helper): pair again.
        await storage().local.remove('token');
        return { status: 'not-paired', error };
      }
      if (res.status === 429 || res.status >= 500) { last = { status: 'error', error }; continue; }
      return { status: 'error', error, httpStatus: res.status };
    }
    return last;
  }

  // The one decision about an unreachable or unpaired helper: a card that says so, the permanence
  // reminder, and no prompt that holds the post.
  function unreachable(status, draft, error) {
    const notice = { ...(NOTICES[status] || NOTICES.error) };
    if (status === 'error' && error && error.message) notice.message = `${notice.message} ${error.message}`;
    return {
      status,
      account: draft && draft.account ? { site: draft.site, handle: draft.account, channel: 'unknown' } : null,
      prompts: [holdWhenUnchecked ? UNCHECKED_HOLD : PERMANENCE],
      notice,
    };
  }

  // ---- the account, when the page does not show it (the Guardian's comment box names nobody)
  //
  // The helper lists the accounts the saved profile declares for the site (POST /v1/accounts/list), so
  // one declared only in the settings window is found too. Exactly one is the one posting; otherwise the
  // draft is checked under an account nobody declared, so the content rules still run and the card offers
  // to declare it. Nothing about accounts is kept here: the profile is the one record of them.
  const UNNAMED = 'unknown'; // the helper needs some handle; this one is never declared, never shown

  // The handle of the one account the profile declares for `site`, else null (none, several, or a helper
  // too old to list them); with `unreachable` when the helper cannot be asked at all, which the check
  // would only meet again after the same waits.
  async function soleAccount(site) {
    const answer = await request('POST', '/v1/accounts/list', { site });
    if (answer.status === 'not-running' || answer.status === 'not-paired') return { handle: null, unreachable: answer };
    const accounts = answer.status === 'ok' && answer.body && Array.isArray(answer.body.accounts) ? answer.body.accounts : [];
    return { handle: accounts.length === 1 && accounts[0].handle ? accounts[0].handle : null };
  }

  async function check(draft) {
    const named = !!(draft && typeof draft.account === 'string' && draft.account.trim());
    const listed = named ? { handle: null } : await soleAccount(draft.site);
    if (listed.unreachable) return unreachable(listed.unreachable.status, draft, listed.unreachable.error);
    const sole = listed.handle;
    const sent = named ? draft : { ...draft, account: sole || UNNAMED };
    const answer = await request('POST', '/v1/check', sent);
    if (answer.status !== 'ok') return unreachable(answer.status, draft, answer.error);
    let account = answer.body.account;
    if (!named && !sole) account = { site: draft.site, handle: '', channel: 'unknown' };
    // The helper could not read the saved profile (it kept the file aside): every account counts as
    // undeclared until the user enters their details again, and the card says so.
    const problem = typeof answer.body.profile_problem === 'string' ? answer.body.profile_problem : null;
    return { status: 'ok', account, prompts: answer.body.prompts || [], ...(sole ? { inferred: true } : {}),
      ...(problem ? { notice: { message: `OnRecord could not read your saved details: ${problem}` } } : {}) };
  }

  async function pair(code) {
    const answer = await request('POST', '/v1/pair', { code: String(code || '').trim() }, { auth: false });
    if (answer.status === 'ok' && answer.body && answer.body.token) {
      await storage().local.set({ token: answer.body.token });
      return { ok: true };
    }
    if (answer.status === 'not-running') return { ok: false, error: 'The OnRecord helper is not running.' };
    return { ok: false, error: (answer.error && answer.error.message) || 'Pairing failed.' };
  }

  // What the popup shows: is a helper there, and does it accept our token. The helper's status route
  // answers that without a draft; it is a POST because Chromium leaves the Origin header off an
  // extension's GET requests, and the helper refuses a token without the origin it was paired from.
  async function status() {
    const found = await find();
    if (!found) return { running: false, paired: false };
    const answer = await request('POST', '/v1/status', {});
    const paired = answer.status === 'ok' && !!(answer.body && answer.body.paired);
    const pack = paired && answer.body.pack ? answer.body.pack : null;
    return { running: true, paired, port: found.port, version: found.health.version, ...(pack ? { pack } : {}) };
  }

  async function simple(method, path, body) {
    const answer = await request(method, path, body);
    if (answer.status === 'ok') return answer.body;
    return { error: (answer.error && answer.error.message) || unreachable(answer.status).notice.message };
  }

  return Object.freeze({
    DEFAULT_PORTS, PERMANENCE, find, request, unreachable, check, pair, status,
    decide: (decision) => simple('POST', '/v1/decisions', { ...decision, extension_version: extensionVersion() }),
    readManaged,
    declare: (account) => simple('POST', '/v1/accounts', account),
  });
})();
