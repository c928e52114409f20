'use strict';
// Pure decisions shared by the content script: what holds a post, when to check, what an answer covers.
// No DOM and no chrome.* here, so node --test exercises it directly.
globalThis.OnRecordLogic = (function () {
  // Severities that hold the post until answered (CONTRACT section 1); `info` never holds.
  const HOLDING = Object.freeze(['confirm', 'warn']);
  const SEVERITY_ORDER = Object.freeze({ warn: 0, confirm: 1, info: 2 });
  const CHANNEL_NAMES = Object.freeze({
    personal: 'Personal', official: 'Official', corporate: 'Corporate', unknown: 'Undeclared account',
  });
  const DEBOUNCE_MS = 300;

  // An answer is bound to who posts and exactly what they post: any edit of either asks again.
  function answerKey(site, account, text) {
    return JSON.stringify([site || '', account || '', text]);
  }

  // Two requests with the same key would get the same answer, so the second is never sent.
  function requestKey(request) {
    return JSON.stringify([request.site, request.account, request.context, request.reply_to || null,
      request.text]);
  }

  function isEmpty(text) {
    return !text || !text.trim();
  }

  function sortPrompts(prompts) {
    return (prompts || []).slice().sort(
      (a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
  }

  // The prompts of `result` that still hold the post, given the answers given for this exact draft.
  // `answered` is a Set of rule ids (or undefined when nothing was answered for this draft).
  function unanswered(result, answered) {
    if (!result || !Array.isArray(result.prompts)) return [];
    return result.prompts.filter((p) => HOLDING.includes(p.severity) && !(answered && answered.has(p.id)));
  }

  // Which prompts an action answers: acknowledge covers `confirm`, an override with a reason covers
  // `warn` (and any `confirm` left, since the user has chosen to go ahead).
  function answeredBy(action, prompts) {
    if (action === 'acknowledge') return prompts.filter((p) => p.severity === 'confirm').map((p) => p.id);
    if (action === 'override') return prompts.filter((p) => HOLDING.includes(p.severity)).map((p) => p.id);
    return [];
  }

  // The draft with a fix appended, as the user would type it: one space after the last word, or nothing
  // more when the text already ends with it.
  function withFix(text, fixText) {
    const trimmed = (text || '').replace(/\s+$/, '');
    if (trimmed.endsWith(fixText.trim())) return text;
    return trimmed ? `${trimmed} ${fixText.trim()}` : fixText.trim();
  }

  // What must be inserted at the end of `text` to get withFix(text, fixText).
  function fixSuffix(text, fixText) {
    const trimmed = (text || '').replace(/\s+$/, '');
    if (trimmed.endsWith(fixText.trim())) return '';
    const trailing = (text || '').slice(trimmed.length);
    if (!trimmed) return fixText.trim();
    return (trailing ? '' : ' ') + fixText.trim();
  }

  function hasFix(text, fixText) {
    return !!fixText && (text || '').replace(/\s+/g, ' ').includes(fixText.trim().replace(/\s+/g, ' '));
  }

  function badge(account) {
    if (!account) return 'Account not recognised';
    if (!account.channel) return account.handle || 'Account not recognised'; // not yet known
    const name = CHANNEL_NAMES[account.channel] || CHANNEL_NAMES.unknown;
    return account.handle ? `${name} · ${account.handle}` : name;
  }

  // One line for a screen reader when the set of prompts changes.
  function announcement(prompts) {
    const holding = prompts.filter((p) => HOLDING.includes(p.severity)).length;
    if (!prompts.length) return 'OnRecord: nothing to flag in this draft.';
    const names = prompts.map((p) => p.category.replace(/_/g, ' ')).join(', ');
    const s = prompts.length === 1 ? '' : 's';
    const held = holding ? `, ${holding} to answer before posting` : '';
    return `OnRecord: ${prompts.length} prompt${s} (${names})${held}.`;
  }

  // The ids of the sites that are off: the user's choice (a list of ids turned off), except where an
  // administrator's managed `sites` ({id: true | false}) names the site, which wins.
  function disabledSites(userDisabled, managedSites) {
    const off = new Set(Array.isArray(userDisabled) ? userDisabled : []);
    for (const [id, on] of Object.entries(managedOnly(managedSites))) {
      if (on) off.delete(id); else off.add(id);
    }
    return Array.from(off);
  }

  // The managed `sites` entries that are booleans: anything else in a policy is ignored, not guessed at.
  function managedOnly(managedSites) {
    const valid = {};
    if (!managedSites || typeof managedSites !== 'object' || Array.isArray(managedSites)) return valid;
    for (const [id, on] of Object.entries(managedSites)) if (typeof on === 'boolean') valid[id] = on;
    return valid;
  }

  // A trailing-edge debounce per key, with the timer functions passed in so tests can drive time.
  function debouncer(wait, timers) {
    const t = timers || { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) };
    const pending = new Map();
    return {
      schedule(key, fn) {
        if (pending.has(key)) t.clearTimeout(pending.get(key));
        pending.set(key, t.setTimeout(() => { pending.delete(key); fn(); }, wait));
      },
      cancel(key) {
        if (pending.has(key)) { t.clearTimeout(pending.get(key)); pending.delete(key); }
      },
      isPending(key) { return pending.has(key); },
    };
  }

  // The luminance (0 dark .. 1 light) of a CSS rgb()/rgba() colour, or null when it is transparent.
  function luminance(color) {
    const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?/.exec(color || '');
    if (!m) return null;
    if (m[4] !== undefined && parseFloat(m[4]) === 0) return null;
    const [r, g, b] = [m[1], m[2], m[3]].map((v) => parseFloat(v) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  return Object.freeze({
    HOLDING, DEBOUNCE_MS, answerKey, requestKey, isEmpty, sortPrompts, unanswered, answeredBy, withFix,
    fixSuffix, hasFix, badge, announcement, debouncer, luminance, disabledSites, managedOnly,
  });
})();
