'use strict';
// One alphabetised table of the messages the background answers. Names are prefixed with where they
// come from (content/, popup/, options/), so a handler's callers are clear from its name.
globalThis.OnRecordHandlers = (function () {
  const H = globalThis.OnRecordHelper;
  return Object.freeze({
    'content/check': (msg) => H.check(msg.draft),
    'content/decision': (msg) => H.decide(msg.decision),
    'content/declare-account': (msg) => H.declare(msg.account),
    'content/when-unanswered': (msg) => H.whenUnanswered(msg.draft),
    'options/forget-helper': async () => { await globalThis.chrome.storage.local.remove(['token', 'proofKey', 'clientId']); return { ok: true }; },
    'popup/pair': (msg) => H.pair(msg.code),
    'popup/status': () => H.status(),
  });
})();
