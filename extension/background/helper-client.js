'use strict';
// The only code that talks to the helper. Content scripts cannot: their requests carry the page's
// origin, which the helper refuses. This file also decides, in one place (`unchecked`), what the user
// sees when the helper cannot be reached or is not paired, and the content script only shows it: by
// default the card says the draft was not checked, shows the permanence reminder and holds nothing;
// with "hold posts when OnRecord cannot check" (the user's option, or the organisation's managed
// `holdWhenUnchecked`, which wins) the post is held until the user posts it anyway with a reason. A
// decision that cannot reach the helper (that reason among them) is kept and sent once it answers again.
//
// Two ways to the helper, tried in this order for every request:
// 1. Native messaging (host `org.onrecord.helper`): the browser starts `onrecord native-host` as this
//    user's own process, for this extension only. No port, no pairing. One connection is kept open
//    and requests are matched to answers by id.
// 2. HTTP on 127.0.0.1, after pairing, for browsers where the host is not registered or cannot start
//    (sandboxed packages). No token and no draft goes to a port until the helper there has proven, on a
//    fresh nonce, that it holds the secret from pairing (docs/api.md, "Proving the helper").
globalThis.OnRecordHelper = (function () {
  const DEFAULT_PORTS = Object.freeze([47651, 47652, 47653, 47654, 47655]);
  const HEALTH_TIMEOUT_MS = 800;
  const REQUEST_TIMEOUT_MS = 5000;
  const BACKOFF_MS = Object.freeze([150, 500]); // waits between the attempts of one request
  const NATIVE_HOST = 'org.onrecord.helper';
  // The first native request starts the host (about half a second, more on a busy machine).
  const NATIVE_TIMEOUT_MS = 10000;
  // After the host could not be started, HTTP is used for this long before native messaging is tried again.
  const NATIVE_RETRY_MS = 30000;
  const PROOF_LABEL = 'onrecord-prove-v1';
  // A proof costs the helper one keyed hash, but a busy machine may take a while to answer it.
  const PROOF_TIMEOUT_MS = 2000;

  // What the card names as the source of a reminder it shows without the helper: the policy pack of the
  // user's own profile when a check has told us which one it is (kept, as its id and title, in
  // storage.local `lastPack`), else no organisation's name at all.
  const GENERIC_SOURCE = "Your organisation's social media policy";

  // Shown by default when the helper cannot be asked: posts are public and permanent whatever it says.
  function permanence(source) {
    return {
      id: 'onrecord.permanence.offline', category: 'permanence', severity: 'info',
      message: 'Posts are public and permanent: write as if for a media interview.', source,
    };
  }

  // Shown instead with "hold posts when OnRecord cannot check": the post is held until the user posts it
  // anyway with a reason (a `warn` prompt), since nobody checked it.
  function uncheckedHold(source, byOrganisation) {
    const who = byOrganisation ? 'Your organisation asks' : 'You asked';
    return {
      id: 'onrecord.unchecked.hold', category: 'permanence', severity: 'warn', title: 'Not checked',
      message: `OnRecord could not check this draft. ${who} for posts to be held when they cannot be checked: `
        + 'posts are public and permanent. To post it anyway, give a reason. The reason (never the draft) is '
        + 'kept and recorded in your OnRecord activity log when OnRecord answers again.',
      source,
    };
  }

  const NOTICES = Object.freeze({
    'not-running': { message: 'The OnRecord helper is not running, so this draft was not checked. Start OnRecord from your applications menu, or run:', command: 'onrecord run' },
    'not-paired': { message: 'This browser is not paired with OnRecord, so this draft was not checked. Open the OnRecord button in the toolbar and enter the pairing code that OnRecord shows (or run onrecord pair).' },
    'impostor': { message: "Something else is answering on this computer's OnRecord port, so this draft was not sent to it and was not checked. Your pairing is kept. Tell your IT support; restarting OnRecord may move it to a free port." },
    'error': { message: 'The OnRecord helper could not check this draft.' },
    // The content script shows this one when the background itself stops answering (the extension was
    // updated or reloaded under an open page).
    'extension': { message: 'OnRecord cannot check this draft right now, so it was not checked. Reload the page to try again.' },
  });

  const storage = () => globalThis.chrome.storage;

  // "Hold posts when OnRecord cannot check": the organisation's managed `holdWhenUnchecked` when it sets
  // one (locked): in the browser's managed storage, else in the helper's managed settings as the helper
  // last said (kept in storage.local `helperManaged`, since it must apply when the helper cannot be
  // asked); else the user's option (storage.local `holdWhenUnchecked`); else off. Read when needed: the
  // background may have been asleep while any of them changed.
  async function holdSetting() {
    let managed;
    try {
      managed = storage().managed ? (await storage().managed.get('holdWhenUnchecked')).holdWhenUnchecked : undefined;
    } catch (err) { managed = undefined; /* no policy installed (Firefox says so with an error) */ }
    if (typeof managed === 'boolean') return { hold: managed, byOrganisation: true };
    const local = await storage().local.get(['holdWhenUnchecked', 'helperManaged']);
    const helper = local.helperManaged && typeof local.helperManaged === 'object' ? local.helperManaged.holdWhenUnchecked : undefined;
    if (typeof helper === 'boolean') return { hold: helper, byOrganisation: true };
    return { hold: local.holdWhenUnchecked === true, byOrganisation: false };
  }

  // What the helper's managed settings say about the extension (`POST /v1/settings`), asked when the helper
  // answers, at most every few minutes, and kept for when it cannot be asked.
  const HELPER_SETTINGS_EVERY_MS = 5 * 60 * 1000;
  let helperSettingsAskedAt = 0;
  function refreshHelperSettings() {
    if (Date.now() - helperSettingsAskedAt < HELPER_SETTINGS_EVERY_MS) return;
    helperSettingsAskedAt = Date.now();
    request('POST', '/v1/settings', {}, { flush: false }).then((answer) => {
      if (answer.status !== 'ok' || !answer.body || typeof answer.body !== 'object') return null;
      const hold = answer.body.hold_when_unchecked;
      return storage().local.set({ helperManaged: typeof hold === 'boolean' ? { holdWhenUnchecked: hold } : {} });
    }).catch(() => { helperSettingsAskedAt = 0; });
  }

  if (storage().onChanged) {
    storage().onChanged.addListener((changes, area) => {
      if (area === 'managed' && changes.helperPort) forgetPort(); // the next request looks on the port set
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

  // The port of a running OnRecord helper, or null. With `creds`, only a helper that proves it holds
  // this browser's pairing will do, proven afresh for every request (a proof is not kept: the helper may
  // stop and something else take its port at any moment): {port, health} for the first that proves,
  // else {impostor: true} when something answered as OnRecord but could not prove it, {notPaired: true}
  // when a helper said it does not know this browser. Without `creds` (pairing, the popup), a port that
  // answered as OnRecord moments ago is trusted for a few seconds, so it is not probed again at once.
  async function find(creds) {
    const ports = await portsToTry();
    const fresh = knownPort && knownHealth && ports[0] === knownPort && Date.now() - verifiedAt < VERIFIED_FOR_MS;
    if (fresh && !creds) return { port: knownPort, health: knownHealth };
    let impostor = false;
    let notPaired = false;
    for (const port of ports) {
      // The port that proved itself last time is asked for its proof straight away.
      const health = fresh && port === knownPort ? knownHealth : await isOnRecord(port);
      if (!health) continue;
      if (creds) {
        const proof = await prove(port, creds);
        if (proof === 'not-paired') { notPaired = true; continue; }
        if (proof === 'unreachable') continue;
        if (proof !== 'proven') { impostor = true; continue; }
      }
      knownPort = port; knownHealth = health; verifiedAt = Date.now();
      return { port, health };
    }
    forgetPort();
    if (impostor) return { impostor: true };
    if (notPaired) return { notPaired: true };
    return null;
  }

  function forgetPort() {
    knownPort = null;
    knownHealth = null;
    verifiedAt = 0;
  }

  // ---- native messaging
  let nativePort = null;
  let nativeNextId = 1;
  let nativeDownUntil = 0;
  let nativeConnected = false; // the host has answered on the open connection
  const nativePending = new Map();

  function nativeFailed(reason) {
    nativePort = null;
    nativeConnected = false;
    nativeDownUntil = Date.now() + NATIVE_RETRY_MS;
    for (const [, pending] of nativePending) pending(null, reason);
    nativePending.clear();
  }

  function openNative() {
    const runtime = globalThis.chrome.runtime;
    if (!runtime || typeof runtime.connectNative !== 'function') return null;
    let port;
    try { port = runtime.connectNative(NATIVE_HOST); } catch (err) { nativeFailed(String(err)); return null; }
    port.onMessage.addListener((message) => {
      const pending = message && nativePending.get(message.id);
      if (pending) { nativePending.delete(message.id); nativeConnected = true; pending(message); return; }
      // An answer to no request: the host refused this extension (id null) or something is wrong.
      if (message && message.id === null && message.status === 403) port.disconnect();
    });
    port.onDisconnect.addListener(() => {
      const error = globalThis.chrome.runtime.lastError; // read, so the browser does not report it unread
      if (nativePort === port) nativeFailed((error && error.message) || 'the OnRecord host stopped');
    });
    return port;
  }

  // The answer over native messaging as {status, body} (HTTP's status), or null when the host could not be
  // reached (not registered, refused, stopped), in which case the caller uses HTTP.
  function nativeRequest(path, body) {
    if (Date.now() < nativeDownUntil) return Promise.resolve(null);
    if (!nativePort) nativePort = openNative();
    const port = nativePort;
    if (!port) return Promise.resolve(null);
    const id = nativeNextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        nativePending.delete(id);
        // A host that does not answer at all is treated as gone; one that answered before is only slow.
        if (!nativeConnected && nativePort === port) { port.disconnect(); nativeFailed('no answer'); }
        resolve(null);
      }, NATIVE_TIMEOUT_MS);
      nativePending.set(id, (message) => { clearTimeout(timer); resolve(message || null); });
      try {
        port.postMessage({ id, path, body: body === undefined ? {} : body });
      } catch (err) {
        nativePending.delete(id);
        clearTimeout(timer);
        nativeFailed(String(err));
        resolve(null);
      }
    });
  }

  function answerOf(status, body) {
    if (status >= 200 && status < 300) return { status: 'ok', body };
    const error = (body && body.error) || { code: String(status), message: `status ${status}` };
    return { status: 'error', error, httpStatus: status };
  }

  // ---- the pairing kept for HTTP, and the helper's proof that it holds it
  async function credentials() {
    const got = await storage().local.get(['token', 'proofKey', 'clientId']);
    return got.token ? { token: got.token, proofKey: got.proofKey || null, clientId: got.clientId || null } : null;
  }

  async function token() {
    const c = await credentials();
    return c ? c.token : null;
  }

  function hex(bytes) {
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function expectedProof(proofKey, nonce, port) {
    const raw = new Uint8Array(proofKey.match(/../g).map((h) => parseInt(h, 16)));
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${PROOF_LABEL}:${nonce}:${port}`));
    return hex(mac);
  }

  // 'proven', 'not-paired' (the helper there does not know this browser: 401), 'unreachable' (no answer
  // at all) or 'failed' (anything else: a wrong answer, an error). Only the client id and a random nonce
  // are sent.
  async function prove(port, creds) {
    if (!creds || !creds.proofKey || !/^[0-9a-f]{64}$/.test(creds.proofKey) || !Number.isInteger(creds.clientId)) {
      return 'not-paired'; // paired before proofs existed, or never: pair again
    }
    const nonce = hex(crypto.getRandomValues(new Uint8Array(32)));
    let res;
    try {
      res = await fetchWithTimeout(`http://127.0.0.1:${port}/v1/prove`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ client_id: creds.clientId, nonce }),
      }, PROOF_TIMEOUT_MS);
    } catch (err) { return 'unreachable'; }
    if (res.status === 401) return 'not-paired';
    if (!res.ok) return 'failed';
    let answer = null;
    try { answer = await res.json(); } catch (err) { return 'failed'; }
    const wanted = await expectedProof(creds.proofKey, nonce, port);
    return answer && typeof answer.proof === 'string' && answer.proof === wanted ? 'proven' : 'failed';
  }

  // One request, with retries and backoff when the helper cannot be reached. Resolves to
  // {status: 'ok', body, via} or {status: 'not-running' | 'not-paired' | 'impostor' | 'error', error?}.
  // Native messaging first; HTTP when the host cannot be reached (pairing is HTTP's alone).
  async function request(method, path, body, { auth = true, flush = true } = {}) {
    const answer = await ask(method, path, body, auth);
    // The helper answers again: what was decided while it could not be reached goes to it now.
    if (answer.status === 'ok' && auth && flush) afterAnswer();
    return answer;
  }

  async function ask(method, path, body, auth) {
    if (auth) {
      const native = await nativeRequest(path, body);
      if (native) return { ...answerOf(native.status, native.body), via: 'native' };
    }
    let last = { status: 'not-running' };
    for (let attempt = 0; attempt <= BACKOFF_MS.length; attempt++) {
      if (attempt) await sleep(BACKOFF_MS[attempt - 1]);
      const creds = auth ? await credentials() : null;
      const found = await find(creds);
      if (!found) { last = { status: 'not-running' }; continue; }
      if (auth && !creds) return { status: 'not-paired' };
      // Nothing is sent to a helper that has not proven itself, and the pairing is kept.
      if (found.impostor) return { status: 'impostor' };
      if (found.notPaired) return { status: 'not-paired' };
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (auth) headers.Authorization = `Bearer ${creds.token}`;
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
      if (res.ok) return { status: 'ok', body: answer, via: 'http' };
      const error = (answer && answer.error) || { code: String(res.status), message: res.statusText };
      if (res.status === 401 && auth) {
        // The helper that proved itself no longer takes this token (revoked): pair again.
        forgetPort();
        return { status: 'not-paired', error };
      }
      if (res.status === 429 || res.status >= 500) { last = { status: 'error', error }; continue; }
      return { status: 'error', error, httpStatus: res.status };
    }
    return last;
  }

  // The one decision about an unreachable or unpaired helper (and the answer the content script keeps
  // for when the background itself stops answering, status `extension`): a card that says the draft was
  // not checked and how to fix that, and either the permanence reminder (nothing held) or, with "hold
  // posts when OnRecord cannot check", a warning that holds the post until it is sent with a reason.
  async function unchecked(status, draft, error) {
    const notice = { ...(NOTICES[status] || NOTICES.error) };
    if (status === 'error' && error && error.message) notice.message = `${notice.message} ${error.message}`;
    const [{ hold, byOrganisation }, source] = await Promise.all([holdSetting(), knownSource()]);
    return {
      status,
      account: draft && draft.account ? { site: draft.site, handle: draft.account, channel: 'unknown' } : null,
      prompts: [hold ? uncheckedHold(source, byOrganisation) : permanence(source)],
      notice,
      unchecked: true,
    };
  }

  // ---- the policy pack of the user's profile, as the last check answered it

  async function knownSource() {
    let pack = null;
    try { pack = (await storage().local.get('lastPack')).lastPack; } catch (err) { pack = null; }
    const name = pack && typeof pack === 'object' ? (pack.title || pack.id) : null;
    return typeof name === 'string' && name.trim() ? name.trim().slice(0, 160) : GENERIC_SOURCE;
  }

  let lastPackKey = null;
  function rememberPack(pack) {
    if (!pack || typeof pack !== 'object' || typeof pack.id !== 'string') return;
    const kept = { id: pack.id, ...(typeof pack.title === 'string' ? { title: pack.title } : {}) };
    const key = JSON.stringify(kept);
    if (key === lastPackKey) return; // checks come on every pause in typing: write only a change
    lastPackKey = key;
    storage().local.set({ lastPack: kept }).catch(() => { lastPackKey = null; });
  }

  // ---- decisions kept while the helper cannot be reached
  //
  // A decision (an override with its reason, an acknowledgement, a post) that cannot reach the helper is
  // kept in storage.local `pendingDecisions`, with the time it was made, and sent in order the next time
  // the helper answers any request (a check, the popup's status) or the background starts. What is kept
  // is what /v1/decisions takes: site, account, rule ids, categories, the decision and the reason, never
  // the draft. At most PENDING_MAX are kept; the oldest go first.
  //
  // Every decision has a random `decision_id`, made when the user decides and kept with it: when the
  // helper stored a decision but its answer was lost (a timeout, the helper stopping mid-reply), the
  // decision is sent again with the same id and the helper records it once (docs/api.md, "Decision ids").
  const PENDING_MAX = 200;
  const UNREACHABLE = Object.freeze(['not-running', 'not-paired', 'impostor']);
  let pendingChain = Promise.resolve();
  // Changes to the kept list run one after another, so a decision made while the list is sent is not lost.
  function withPending(fn) {
    const next = pendingChain.then(async () => {
      const got = await storage().local.get('pendingDecisions');
      const list = Array.isArray(got.pendingDecisions) ? got.pendingDecisions : [];
      return fn(list);
    });
    pendingChain = next.catch(() => {});
    return next;
  }

  const newDecisionId = () => crypto.randomUUID();

  // One decision to the helper. A helper from before decision ids refuses the field by name (400): the
  // decision goes again without it rather than being lost.
  async function sendDecision(body, options) {
    const answer = await request('POST', '/v1/decisions', body, options);
    const refused = answer.status === 'error' && answer.httpStatus === 400 && body.decision_id !== undefined
      && /decision_id/.test(String((answer.error && answer.error.message) || ''));
    if (!refused) return answer;
    const without = { ...body };
    delete without.decision_id;
    return request('POST', '/v1/decisions', without, options);
  }

  function keepDecision(body) {
    return withPending(async (list) => {
      const kept = list.concat([{ ...body, decided_at: body.decided_at || new Date().toISOString() }]).slice(-PENDING_MAX);
      await storage().local.set({ pendingDecisions: kept });
      return kept.length;
    });
  }

  let flushing = null;
  // Sends the kept decisions, oldest first; stops at the first the helper cannot take now. One the helper
  // refuses as bad input (it never will take it) is dropped, so it cannot block the rest.
  function flushDecisions() {
    if (flushing) return flushing;
    flushing = withPending(async (list) => {
      // Kept by a version that made no ids: each gets one now, stored before anything is sent, so that a
      // send whose answer is lost is repeated with the same id.
      if (list.some((body) => !body.decision_id)) {
        list = list.map((body) => (body.decision_id ? body : { ...body, decision_id: newDecisionId() }));
        await storage().local.set({ pendingDecisions: list });
      }
      let sent = 0;
      for (const body of list) {
        const answer = await sendDecision(body, { flush: false });
        if (answer.status === 'ok' && answer.body && answer.body.recorded === false) break; // the log is busy
        if (answer.status !== 'ok' && !(answer.status === 'error' && answer.httpStatus === 400)) break;
        if (answer.status !== 'ok') console.warn('OnRecord: a kept decision was refused', answer.error && answer.error.code);
        sent++;
      }
      if (sent) {
        const rest = list.slice(sent);
        if (rest.length) await storage().local.set({ pendingDecisions: rest });
        else await storage().local.remove('pendingDecisions');
      }
      return sent;
    }).finally(() => { flushing = null; });
    return flushing;
  }

  // Whether anything is kept, without a storage read on every request once the list is known to be empty.
  let maybePending = true;
  function sendKept() {
    storage().local.get('pendingDecisions').then((got) => {
      const list = got.pendingDecisions;
      maybePending = Array.isArray(list) && list.length > 0;
      if (maybePending) flushDecisions();
    }, () => {});
  }

  // The helper answered: what it says of the extension is asked again now and then, and what was decided
  // while it could not be reached goes to it.
  function afterAnswer() {
    refreshHelperSettings();
    if (maybePending) sendKept();
  }

  async function decide(decision) {
    const body = { ...decision, extension_version: extensionVersion(), decision_id: decision.decision_id || newDecisionId() };
    const answer = await sendDecision(body);
    if (answer.status === 'ok') return answer.body;
    if (UNREACHABLE.includes(answer.status) || (answer.status === 'error' && !answer.httpStatus)) {
      maybePending = true;
      await keepDecision(body);
      return { ok: true, recorded: false, kept: true };
    }
    return { error: (answer.error && answer.error.message) || NOTICES.error.message };
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
    if (['not-running', 'not-paired', 'impostor'].includes(answer.status)) return { handle: null, unreachable: answer };
    const accounts = answer.status === 'ok' && answer.body && Array.isArray(answer.body.accounts) ? answer.body.accounts : [];
    return { handle: accounts.length === 1 && accounts[0].handle ? accounts[0].handle : null };
  }

  async function check(draft) {
    const named = !!(draft && typeof draft.account === 'string' && draft.account.trim());
    const listed = named ? { handle: null } : await soleAccount(draft.site);
    if (listed.unreachable) return unchecked(listed.unreachable.status, draft, listed.unreachable.error);
    const sole = listed.handle;
    const sent = named ? draft : { ...draft, account: sole || UNNAMED };
    const answer = await request('POST', '/v1/check', sent);
    if (answer.status !== 'ok') return unchecked(answer.status, draft, answer.error);
    let account = answer.body.account;
    if (!named && !sole) account = { site: draft.site, handle: '', channel: 'unknown' };
    // The helper could not read the saved profile (it kept the file aside): every account counts as
    // undeclared until the user enters their details again, and the card says so.
    const problem = typeof answer.body.profile_problem === 'string' ? answer.body.profile_problem : null;
    // Which policy pack checked it, for the card's footer (and the name an unchecked card may use).
    const pack = answer.body.pack && typeof answer.body.pack === 'object' ? answer.body.pack : null;
    rememberPack(pack);
    return { status: 'ok', account, prompts: answer.body.prompts || [], ...(sole ? { inferred: true } : {}),
      ...(pack ? { pack } : {}),
      ...(problem ? { notice: { message: `OnRecord could not read your saved details: ${problem}` } } : {}) };
  }

  // Pairing is for HTTP only. The new pairing replaces the kept one only once the helper has proven it
  // holds it; a failed pairing leaves the old one as it was.
  async function pair(code) {
    const found = await find(null);
    if (!found) return { ok: false, error: 'The OnRecord helper is not running.' };
    const answer = await request('POST', '/v1/pair', { code: String(code || '').trim() }, { auth: false });
    if (answer.status === 'ok' && answer.body && answer.body.token) {
      const creds = { token: answer.body.token, proofKey: answer.body.proof_key, clientId: answer.body.client_id };
      if (knownPort === null || await prove(knownPort, creds) !== 'proven') {
        return { ok: false, error: "Something else is answering on this computer's OnRecord port: this browser was not paired with it." };
      }
      await storage().local.set({ token: creds.token, proofKey: creds.proofKey, clientId: creds.clientId });
      forgetPort();
      return { ok: true };
    }
    if (answer.status === 'not-running') return { ok: false, error: 'The OnRecord helper is not running.' };
    return { ok: false, error: (answer.error && answer.error.message) || 'Pairing failed.' };
  }

  // What the popup shows: connected by native messaging (no pairing needed), or over HTTP: is a helper
  // there, has it proven itself, and does it accept our token. The status route answers that without a
  // draft; it is a POST because Chromium leaves the Origin header off an extension's GET requests.
  async function status() {
    const found = await connection();
    // Decisions kept while the helper could not be reached, still to be sent (the popup says so).
    let kept = [];
    try { kept = (await storage().local.get('pendingDecisions')).pendingDecisions || []; } catch (err) { kept = []; }
    return Array.isArray(kept) && kept.length ? { ...found, kept: kept.length } : found;
  }

  async function connection() {
    const native = await nativeRequest('/v1/status', {});
    if (native && native.status === 200) {
      afterAnswer();
      const pack = native.body && native.body.pack ? native.body.pack : null;
      return { running: true, paired: true, native: true, version: native.body && native.body.version, ...(pack ? { pack } : {}) };
    }
    const creds = await credentials();
    const found = await find(creds);
    if (found && found.impostor) return { running: false, paired: false, impostor: true };
    if (!found || found.notPaired) {
      const plain = found ? await find(null) : null;
      return plain ? { running: true, paired: false, port: plain.port, version: plain.health.version }
        : { running: false, paired: false };
    }
    if (!creds) return { running: true, paired: false, port: found.port, version: found.health.version };
    const answer = await request('POST', '/v1/status', {});
    const paired = answer.status === 'ok' && !!(answer.body && answer.body.paired);
    const pack = paired && answer.body.pack ? answer.body.pack : null;
    return { running: true, paired, port: found.port, version: found.health.version, ...(pack ? { pack } : {}) };
  }

  async function simple(method, path, body) {
    const answer = await request(method, path, body);
    if (answer.status === 'ok') return answer.body;
    return { error: (answer.error && answer.error.message) || (NOTICES[answer.status] || NOTICES.error).message };
  }

  // Whatever woke the background, decisions kept from before are sent if the helper answers.
  Promise.resolve().then(sendKept);

  return Object.freeze({
    DEFAULT_PORTS, find, request, unchecked, check, pair, status, decide, flushDecisions, holdSetting,
    // What the content script shows when the background itself stops answering, asked while it does.
    whenUnanswered: (draft) => unchecked('extension', draft),
    declare: (account) => simple('POST', '/v1/accounts', account),
  });
})();
