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

  // Which prompts an action answers. Each prompt in the card has its own action, so an action names its
  // prompt (`id`): "OK" (acknowledge) answers a `confirm` prompt, "Post anyway" with a reason (override)
  // a `warn` or `confirm` one. Without an id, acknowledge covers every `confirm` prompt and an override
  // everything that holds (the user has chosen to go ahead).
  function answeredBy(action, prompts, id) {
    const target = id === undefined ? prompts : prompts.filter((p) => p.id === id);
    if (action === 'acknowledge') return target.filter((p) => p.severity === 'confirm').map((p) => p.id);
    if (action === 'override') return target.filter((p) => HOLDING.includes(p.severity)).map((p) => p.id);
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

  // A short title for each category, for the card's one line per prompt (the message is one click away).
  const TITLES = Object.freeze({
    permanence: 'Public and permanent', disclaimer: 'Disclaimer needed', identity: 'Say who you are',
    patient_data: 'Patient data', classified: 'Security marking', confidential: 'Confidential material',
    personal_details: 'Personal details', political: 'Party politics', commercial: 'Commercial content',
    conduct: 'Conduct', media: 'Replying to the media', reference: 'Reference or recommendation',
    expertise: 'Outside your expertise', clearance: 'Needs clearance', unknown_account: 'Undeclared account',
    safeguarding: 'Safeguarding', edit: 'Edited post', whistleblowing: 'Raising a concern',
  });
  const SEVERITY_WORDS = Object.freeze({ warn: 'Warning', confirm: 'Confirm', info: 'Reminder' });

  function titleOf(prompt) {
    if (prompt.title) return String(prompt.title);
    return TITLES[prompt.category] || String(prompt.category || 'Prompt').replace(/_/g, ' ');
  }

  function severityWord(severity) {
    return SEVERITY_WORDS[severity] || String(severity || '');
  }

  // The helper gives `matches` as offsets in Unicode code points (CONTRACT section 3); JavaScript strings
  // count UTF-16 units, which differ after any character outside the Basic Multilingual Plane (an emoji).
  // Spans out of range or empty are dropped, not guessed at.
  function utf16Spans(text, matches) {
    if (!Array.isArray(matches) || !matches.length || !text) return [];
    const wanted = new Set();
    for (const m of matches) {
      if (m && Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end > m.start) {
        wanted.add(m.start); wanted.add(m.end);
      }
    }
    const at = new Map(); // code point offset -> UTF-16 offset
    let cp = 0;
    let i = 0;
    for (; i < text.length; cp++) {
      if (wanted.has(cp)) at.set(cp, i);
      const code = text.codePointAt(i);
      i += code > 0xffff ? 2 : 1;
    }
    if (wanted.has(cp)) at.set(cp, i);
    const spans = [];
    for (const m of matches) {
      if (!m || !at.has(m.start) || !at.has(m.end) || m.end <= m.start) continue;
      spans.push({ start: at.get(m.start), end: at.get(m.end) });
    }
    return spans.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  // The words a prompt quotes: each span's text with its spaces squashed, long ones shortened in the middle,
  // each quoted once, in the order they appear.
  function quotes(text, matches, max = 48) {
    const seen = new Set();
    const out = [];
    for (const span of utf16Spans(text, matches)) {
      let q = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
      if (!q) continue;
      if (q.length > max) q = `${q.slice(0, Math.ceil((max - 1) / 2))}…${q.slice(q.length - Math.floor((max - 1) / 2))}`;
      if (!seen.has(q)) { seen.add(q); out.push(q); }
    }
    return out;
  }

  // What the card's live region says: the prompts when they change, then which are answered as the user
  // answers them, and "Ready to post" once nothing holds. `open` is the ids still to answer; `before` is
  // what was said last ({ids, open}) or null. Null when nothing new is to be said.
  function announcement(prompts, open, before) {
    const ids = prompts.map((p) => p.id).join(',');
    const openIds = prompts.filter((p) => open.has(p.id)).map((p) => p.id);
    const openKey = openIds.join(',');
    const now = { ids, open: openKey };
    if (before && before.ids === ids && before.open === openKey) return { text: null, said: now };
    const left = openIds.length;
    const ready = left ? `${left} to answer before posting.` : 'Ready to post.';
    if (before && before.ids === ids && prompts.length) {
      const was = new Set(before.open ? before.open.split(',') : []);
      const answered = prompts.filter((p) => was.has(p.id) && !open.has(p.id)).map(titleOf);
      const said = answered.length ? `${answered.join(', ')}: answered. ` : '';
      return { text: `OnRecord: ${said}${ready}`, said: now };
    }
    if (!prompts.length) return { text: 'OnRecord: nothing to flag in this draft. Ready to post.', said: now };
    const s = prompts.length === 1 ? '' : 's';
    const names = prompts.map((p) => `${severityWord(p.severity)}: ${titleOf(p)}`).join('; ');
    return { text: `OnRecord: ${prompts.length} prompt${s} (${names}). ${ready}`, said: now };
  }

  const MONTHS = Object.freeze(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

  // An ISO 8601 time as "3 Dec 2026, 16:04 UTC" (the same for every reader, whatever the browser's locale).
  function utcTime(iso) {
    const d = new Date(iso);
    if (typeof iso !== 'string' || Number.isNaN(d.getTime())) return null;
    const two = (n) => String(n).padStart(2, '0');
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
  }

  // What the card's footer says of the policy pack a check used (the helper's `pack`, docs/api.md): which
  // pack and version, and for the organisation's signed pack when it was last confirmed. `title` is the
  // pack's full name, for the tooltip. Null when the answer names no pack.
  function packLine(pack) {
    if (!pack || typeof pack !== 'object') return null;
    const id = typeof pack.id === 'string' && pack.id ? pack.id : null;
    const version = Number.isInteger(pack.version) ? `, version ${pack.version}` : '';
    const title = typeof pack.title === 'string' ? pack.title : null;
    if (pack.url !== undefined) { // the organisation's signed pack, fetched from its URL
      if (!id || pack.signature === 'none') return { text: "Policy: your organisation's pack is not fetched yet", title };
      if (pack.signature && pack.signature !== 'verified') {
        return { text: `Policy: ${id}${version} is not in force (${String(pack.signature).replace(/_/g, ' ')})`, title };
      }
      const confirmed = utcTime(pack.last_confirmed);
      return { text: `Policy: ${id}${version}${confirmed ? `, confirmed ${confirmed}` : ''}`, title };
    }
    if (!id) return null;
    return { text: `Policy: ${id}${version}${pack.source === 'built-in' ? ' (built in)' : ''}`, title };
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
    HOLDING, DEBOUNCE_MS, TITLES, answerKey, requestKey, isEmpty, sortPrompts, unanswered, answeredBy, withFix,
    fixSuffix, hasFix, badge, announcement, titleOf, severityWord, utf16Spans, quotes, debouncer, luminance,
    disabledSites, managedOnly, packLine, utcTime,
  });
})();
