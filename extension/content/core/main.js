'use strict';
// The content script's controller: finds the compose boxes of the page's site adapter, checks each
// draft through the background (the only code that talks to the helper), shows the card, and decides
// whether a send is held. Loaded last, after registry.js, the site adapters and the other core files.
(function () {
  const L = globalThis.OnRecordLogic;
  const Sites = globalThis.OnRecordSites;
  const Card = globalThis.OnRecordCard;
  const Insert = globalThis.OnRecordInsert;
  const Hold = globalThis.OnRecordHold;
  const Highlight = globalThis.OnRecordHighlight;
  const win = globalThis.window;
  const doc = win.document;
  const runtime = globalThis.chrome && globalThis.chrome.runtime;

  const SCAN_EVERY_MS = 250;
  const UNNAMED = 'unknown'; // the account recorded for a page that names none (as the background checks it)
  const GIVE_UP_MS = 10000; // single-page apps (Mastodon) draw the markup their adapter knows after load

  let adapter = null;
  let disabledSites = [];
  let settingsLoaded = false;
  const states = new Map(); // editor element -> its state
  // Answers are bound to the site, account and exact text, not to an element: a site that re-renders
  // its editor must not make the user answer the same draft twice.
  const answers = new Map(); // answerKey -> Set of rule ids answered
  const debounce = L.debouncer(L.DEBOUNCE_MS);
  let nextId = 1;

  function send(message) {
    if (!runtime || !runtime.id) return Promise.resolve(null);
    return runtime.sendMessage(message).catch((err) => {
      console.warn('OnRecord: the extension background did not answer', err);
      return null;
    });
  }

  // ---------------------------------------------------------------- editors and their state

  // A same-origin frame (Gutenberg's canvas, TinyMCE's body) runs its own copy of this script too
  // (all_frames, match_about_blank), while the page around it reaches in: one owner per editor. The
  // page's copy owns it, since the page holds the editor's APIs (wp.data) and its post button; it marks
  // each frame it scans, and the frame's own copy stands aside while its frame is marked.
  const FRAME_MARK = 'data-onrecord-frame';

  function framesOf(root) {
    const docs = [root];
    for (const frame of root.querySelectorAll('iframe')) {
      try {
        if (frame.contentDocument && frame.contentDocument.documentElement) {
          docs.push(frame.contentDocument);
          if (!frame.hasAttribute(FRAME_MARK)) frame.setAttribute(FRAME_MARK, 'scanned');
        }
      } catch (err) { /* a cross-origin frame runs its own copy of this script */ }
    }
    return docs;
  }

  function scannedByParent() {
    try {
      const frame = win.frameElement; // null unless the page around this frame is of the same origin
      return !!frame && frame.hasAttribute(FRAME_MARK);
    } catch (err) {
      return false;
    }
  }

  // True (after dropping this copy's editors and cards) when the page around this frame owns them.
  function standAside() {
    if (!scannedByParent()) return false;
    for (const [editor, st] of states) forget(editor, st);
    return true;
  }

  function scan() {
    if (standAside()) return;
    if (!adapter) {
      if (!settingsLoaded) return;
      adapter = Sites.pick(win.location, doc, disabledSites);
      if (!adapter) return;
    }
    const seen = new Set();
    for (const root of framesOf(doc)) {
      let found = [];
      try { found = adapter.findEditors(root) || []; } catch (err) { console.warn('OnRecord: findEditors failed', err); }
      for (const editor of found) {
        seen.add(editor);
        if (!states.has(editor)) {
          askWhatIfUnanswered();
          states.set(editor, newState(editor));
          if (root !== doc) watch(root);
          schedule(editor);
        }
      }
    }
    for (const [editor, st] of states) {
      if (!seen.has(editor) && !editor.isConnected) { forget(editor, st); continue; }
      if (!st.key) continue;
      // The page changed around a draft: a switch of account or of the post replied to is a new draft
      // to check, and a card the site's re-render threw away is put back.
      let changed = false;
      try { changed = L.requestKey(draftOf(editor)) !== st.key; } catch (err) { changed = false; }
      if (changed) schedule(editor);
      else if (st.card && !st.card.host.isConnected) render(editor);
    }
  }

  function newState(editor) {
    return {
      id: nextId++, editor, card: null, hold: null, request: null, key: null, result: null, resultKey: null,
      resultText: '', inFlight: null, error: null, bypass: false, locked: false,
    };
  }

  function forget(editor, st) {
    debounce.cancel(st.id);
    Highlight.clear(editor);
    if (st.card) st.card.remove();
    if (st.hold) st.hold.hide();
    states.delete(editor);
  }

  function editorOf(node) {
    for (const editor of states.keys()) if (editor === node || editor.contains(node)) return editor;
    return null;
  }

  // ---------------------------------------------------------------- checking

  function draftOf(editor) {
    const text = adapter.readText(editor) || '';
    const acct = adapter.account(editor.ownerDocument, editor);
    return {
      site: adapter.id,
      account: (acct && acct.handle) || '',
      text,
      context: adapter.context(editor) || 'post',
      reply_to: adapter.replyTo(editor) || null,
    };
  }

  function schedule(editor, wait) {
    const st = states.get(editor);
    if (!st) return;
    // The marks were placed on the text as it was checked: an edit would leave them on the wrong words.
    if (Highlight.has(editor)) Highlight.clear(editor);
    // The card says at once that what it shows is about to be checked again (once per burst of typing).
    if (st.card && st.result) st.card.busy();
    if (wait === 0) { debounce.cancel(st.id); checkNow(editor); return; }
    debounce.schedule(st.id, () => checkNow(editor));
  }

  // Checks the draft unless this exact draft was already checked; nothing is sent for an empty one.
  function checkNow(editor) {
    if (standAside()) return Promise.resolve();
    const st = states.get(editor);
    if (!st || !adapter) return Promise.resolve();
    const request = draftOf(editor);
    if (L.isEmpty(request.text)) {
      st.request = null; st.key = null; st.result = null; st.resultKey = null;
      Highlight.clear(editor);
      if (st.card) { st.card.remove(); st.card = null; }
      if (st.hold) st.hold.hide();
      setLock(st, false);
      return Promise.resolve();
    }
    const key = L.requestKey(request);
    if (key === st.key) {
      if (!st.inFlight && st.resultKey === key) {
        render(editor); // the same draft: nothing to check, and the card is no longer "checking"
        if (!Highlight.has(editor)) markWords(st);
      }
      return st.inFlight || Promise.resolve();
    }
    st.key = key;
    st.request = request;
    st.error = null;
    const flight = send({ type: 'content/check', draft: request }).then((answer) => {
      // An answer to an older draft, arriving after the draft changed: a newer check is on its way, and
      // this answer must not decide whether the newer draft is held.
      if (st.key !== key) return;
      st.result = answer || unanswered(request);
      st.resultKey = key;
      st.resultText = request.text;
      st.inFlight = null;
      render(editor);
      markWords(st);
    });
    st.inFlight = flight;
    render(editor, true);
    return flight;
  }

  // What to show when the background itself does not answer (the extension was updated or reloaded under
  // this page): what the background said, while it answered, it would decide then (its one decision about
  // an unchecked draft, asked once this page has a compose box). Only when it never answered on this page
  // at all is that not known, and the card says only that the draft was not checked.
  let whenUnanswered = null;
  function askWhatIfUnanswered() {
    if (whenUnanswered) return;
    whenUnanswered = send({ type: 'content/when-unanswered' }).then((told) => {
      if (told && Array.isArray(told.prompts)) whenUnanswered.told = told;
      else whenUnanswered = null;
    });
  }

  function unanswered(request) {
    const told = whenUnanswered && whenUnanswered.told;
    const account = request.account ? { site: request.site, handle: request.account, channel: 'unknown' } : null;
    if (told) return { ...told, account };
    return { status: 'extension', account, prompts: [], unchecked: true,
      notice: { message: 'OnRecord is not answering on this page, so this draft was not checked. Reload the page to try again.' } };
  }

  function markWords(st) {
    if (!st.result || st.resultKey !== st.key) return;
    try {
      Highlight.mark(st.editor, st.resultText, st.result.prompts, L.utf16Spans);
    } catch (err) {
      console.warn('OnRecord: marking the words failed', err);
    }
  }

  function unansweredOf(st) {
    if (!st.result || !st.request) return [];
    const answered = answers.get(L.answerKey(st.request.site, st.request.account, st.request.text));
    return L.unanswered(st.result, answered);
  }

  function render(editor, busy) {
    const st = states.get(editor);
    if (!st || !st.request) return;
    if (!st.card) {
      st.card = Card.create(editor.ownerDocument, (action, detail) => act(editor, action, detail),
        { onLeave: () => returnToEditor(st.editor, false) });
    }
    // While a newer draft is checked the card keeps the last answer's prompts, marked as checking: the
    // old answer judged against the new text would show every answered prompt as open again.
    if (st.result && st.resultKey !== st.key) {
      let anchor = null;
      try { anchor = adapter.anchor(editor); } catch (err) { anchor = null; }
      if (!st.card.host.isConnected) st.card.update({ ...lastShown(st), busy: true }, anchor || editor);
      else st.card.busy();
      return;
    }
    const result = st.result || { account: null, prompts: [] };
    const open = unansweredOf(st);
    let anchor = null;
    try { anchor = adapter.anchor(editor); } catch (err) { anchor = null; }
    st.shown = {
      account: result.account || (st.request.account ? { handle: st.request.account } : null),
      prompts: st.result ? result.prompts : [],
      unanswered: open,
      notice: result.notice,
      pack: result.pack || null,
      error: st.error,
      busy: !!busy && !st.result,
      text: st.resultText,
    };
    st.card.update(st.shown, anchor || editor);
    if (st.hold && st.hold.shown) {
      if (!open.length) {
        const hadFocus = st.hold.hasFocus();
        st.hold.hide();
        if (hadFocus) returnToEditor(st.editor, false);
      } else {
        st.hold.update(open, st.card.host.getAttribute('data-theme'), st.card.host);
      }
    }
    setLock(st, open.length > 0);
  }

  function lastShown(st) {
    return st.shown || { account: null, prompts: [], unanswered: [], text: '' };
  }

  // Puts focus back in the editor: with the caret after the text (after an insertion), or where the
  // user left it when the selection is still in the editor.
  function returnToEditor(editor, atEnd) {
    if (!editor || !editor.isConnected) return;
    try {
      if (editor.tagName === 'TEXTAREA' || editor.tagName === 'INPUT') {
        editor.focus();
        if (atEnd) editor.setSelectionRange(editor.value.length, editor.value.length);
        return;
      }
      const sel = editor.ownerDocument.getSelection();
      const inside = sel && sel.rangeCount > 0 && editor.contains(sel.anchorNode);
      if (atEnd || !inside) Insert.caretToEnd(editor);
      else editor.focus();
    } catch (err) {
      editor.focus();
    }
  }

  // Gutenberg publishes from its own toolbar and keyboard shortcuts; locking post saving holds them all.
  function setLock(st, locked) {
    if (!adapter || st.locked === locked) return;
    if (adapter.editorKind(st.editor) !== 'gutenberg') return;
    st.locked = locked;
    Insert.lockSaving(st.editor, locked);
  }

  // ---------------------------------------------------------------- the user's answers

  // The account a draft is posted from: the page's, else the one the background found for the site.
  function handleOf(st) {
    const account = (st.result && st.result.account) || {};
    return (st.request && st.request.account) || account.handle || '';
  }

  // An override is recorded even when the page names no account (its reason is what the record is for);
  // other decisions need the account they were made for.
  function record(st, decision, prompts, reason) {
    const handle = handleOf(st) || (decision === 'overridden' ? UNNAMED : '');
    if (!st.request || !handle) return;
    const account = (st.result && st.result.account) || {};
    send({ type: 'content/decision', decision: {
      site: st.request.site, account: handle, channel: account.channel || 'unknown',
      rule_ids: prompts.map((p) => p.id), categories: prompts.map((p) => p.category),
      decision, ...(reason ? { reason } : {}),
    } });
  }

  function answer(st, ids) {
    const key = L.answerKey(st.request.site, st.request.account, st.request.text);
    const set = answers.get(key) || new Set();
    for (const id of ids) set.add(id);
    answers.set(key, set);
  }

  async function act(editor, action, detail) {
    const st = states.get(editor);
    if (!st || !st.request) return;
    const open = unansweredOf(st);
    if (action === 'insert-disclaimer' || action === 'apply-fix') {
      const fixText = detail.fix.text;
      const before = adapter.readText(editor);
      const suffix = L.fixSuffix(before, fixText);
      const result = suffix ? await Insert.append(editor, adapter.editorKind(editor), suffix, {
        read: (e) => adapter.readText(e),
        expect: (text) => L.hasFix(text, fixText),
        refind: () => refind(editor),
      }) : { ok: true, editor };
      if (result.ok) {
        st.error = null;
        record(st, 'fixed', [detail]);
        if (result.editor !== editor) scan();
        // Back where the user was typing, the caret after the text just added.
        returnToEditor(result.editor, true);
        schedule(result.editor, 0);
      } else {
        st.error = `This editor did not accept the text. Please type “${fixText}” yourself.`;
        render(editor);
      }
    } else if (action === 'acknowledge' || action === 'override') {
      // Each prompt has its own action: the one pressed answers its own prompt.
      const ids = L.answeredBy(action, open, detail && detail.id);
      if (!ids.length) return;
      answer(st, ids);
      record(st, action === 'acknowledge' ? 'acknowledged' : 'overridden',
        open.filter((p) => ids.includes(p.id)), detail && detail.reason);
      // The card moves focus on to the next prompt to answer, or back to the editor when none is left.
      render(editor);
    } else if (action.startsWith('declare-')) {
      const handle = (detail && detail.handle) || handleOf(st);
      if (!handle) return;
      const answer_ = await send({ type: 'content/declare-account',
        account: { site: st.request.site, handle, channel: detail.channel } });
      if (!answer_ || answer_.error) {
        st.error = (answer_ && answer_.error) || 'OnRecord could not save the account.';
        render(editor);
        return;
      }
      st.key = null; // the same draft now gets a different answer
      st.resultKey = null;
      schedule(editor, 0);
    }
  }

  function refind(editor) {
    let found = [];
    try { found = adapter.findEditors(editor.ownerDocument) || []; } catch (err) { found = []; }
    return found.find((e) => !states.has(e)) || found[0] || null;
  }

  // ---------------------------------------------------------------- holding a send

  // True when the answer shown is the answer to the draft as it is now: same text, account, context and
  // post replied to, and no newer check on its way. A draft edited since its last check (within the
  // debounce, before the check was even sent) is not fresh.
  function isFresh(st) {
    return !!st.result && !st.inFlight && st.resultKey === st.key && st.key === L.requestKey(draftOf(st.editor));
  }

  // Called synchronously by the capture listeners: true holds this send back.
  function shouldHold(sendInfo, event) {
    if (!adapter) return false;
    const all = sendInfo.editors.map((e) => states.get(e)).filter(Boolean);
    if (all.some((st) => st.bypass)) { all.forEach((st) => { st.bypass = false; }); return false; }
    const drafts = all.filter((st) => !L.isEmpty(adapter.readText(st.editor)));
    if (!drafts.length) return false;
    if (drafts.every(isFresh)) {
      const held = drafts.find((st) => unansweredOf(st).length);
      if (!held) {
        drafts.forEach((st) => record(st, 'posted', st.result.prompts || []));
        return false;
      }
      showHold(held.editor, unansweredOf(held));
      return true;
    }
    // A draft changed since its last check (or the check is still running): hold, check now, and send
    // it on if nothing needs answering.
    checkAllThenSend(drafts, sendInfo, event, 0);
    return true;
  }

  // Checks every draft of a held send until each answer is the answer to its draft as it is then (the
  // user may go on typing while a check runs), then holds or sends it on. A draft that keeps changing
  // is left for the user to send again once it settles.
  const SEND_TRIES = 3;
  function checkAllThenSend(drafts, sendInfo, event, tries) {
    const stale = drafts.filter((st) => !isFresh(st));
    stale.forEach((st) => debounce.cancel(st.id));
    Promise.all(stale.map((st) => checkNow(st.editor))).then(() => {
      const live = drafts.filter((st) => states.get(st.editor) === st && !L.isEmpty(adapter.readText(st.editor)));
      if (!live.length) return;
      if (!live.every(isFresh)) {
        if (tries + 1 < SEND_TRIES) checkAllThenSend(live, sendInfo, event, tries + 1);
        return;
      }
      const held = live.find((st) => unansweredOf(st).length);
      if (held) { showHold(held.editor, unansweredOf(held)); return; }
      live.forEach((st) => record(st, 'posted', (st.result && st.result.prompts) || []));
      resend(live[0], sendInfo, event);
    });
  }

  // Sends again the way the user sent: the same keys (a site where they do nothing still does
  // nothing), the form, or the post button.
  function resend(st, sendInfo, event) {
    let button = null;
    try { button = adapter.findPostButton(st.editor); } catch (err) { button = null; }
    st.bypass = true;
    if (sendInfo.trigger === 'key' && event) {
      const { key, code, ctrlKey, metaKey, shiftKey, altKey } = event;
      (event.target || st.editor).dispatchEvent(new win.KeyboardEvent('keydown', {
        key, code, ctrlKey, metaKey, shiftKey, altKey, bubbles: true, cancelable: true, composed: true }));
    } else if (sendInfo.trigger === 'submit' && sendInfo.form && sendInfo.form.requestSubmit) {
      sendInfo.form.requestSubmit();
    } else if (button && !Hold.isDisabled(button)) {
      button.click();
    } else {
      st.bypass = false;
    }
    // A bypass that no event used must not let a later, unchecked send through.
    win.setTimeout(() => { st.bypass = false; }, 0);
  }

  function showHold(editor, open) {
    const st = states.get(editor);
    render(editor);
    if (!st.hold) {
      st.hold = Card.createHold(editor.ownerDocument, {
        onReview: () => st.card && st.card.focusFirstAction(),
        onCancel: () => {
          st.hold.hide();
          record(st, 'cancelled', unansweredOf(st));
          returnToEditor(st.editor, false);
        },
      });
    }
    st.hold.show(open, st.card.host, st.card.host.getAttribute('data-theme'));
  }

  const controller = {
    adapter: () => adapter,
    editors: () => Array.from(states.keys()),
    // True while this editor's send is disabled by our own lock (not by the site for its own reasons).
    lockedByUs: (editor) => !!(states.get(editor) && states.get(editor).locked),
    shouldHold,
  };

  // ---------------------------------------------------------------- watching the page

  let scanTimer = null;
  function scanSoon() {
    if (scanTimer) return;
    scanTimer = win.setTimeout(() => { scanTimer = null; scan(); }, SCAN_EVERY_MS);
  }

  const watched = new WeakSet();
  const observers = [];
  function watch(root) {
    if (watched.has(root) || !root.documentElement) return;
    watched.add(root);
    const observer = new win.MutationObserver((records) => {
      let added = false;
      const touched = new Set();
      for (const r of records) {
        if (r.addedNodes.length || r.removedNodes.length) added = true;
        if (states.size) {
          const editor = editorOf(r.target);
          if (editor) touched.add(editor);
        }
      }
      for (const editor of touched) schedule(editor);
      if (added) scanSoon();
    });
    observer.observe(root.documentElement, { childList: true, subtree: true, characterData: true });
    observers.push(observer);
    // Textareas change their value without a DOM mutation.
    root.addEventListener('input', (e) => {
      const editor = editorOf(e.target);
      if (editor) schedule(editor);
    }, true);
  }

  // The user's sites turned off in the options, with an administrator's managed `sites` winning.
  async function sitesOff() {
    const storage = globalThis.chrome && globalThis.chrome.storage;
    if (!storage || !storage.local) return [];
    const { disabledSites: user = [] } = await storage.local.get({ disabledSites: [] });
    let managed = null;
    try {
      if (storage.managed) managed = (await storage.managed.get('sites')).sites;
    } catch (err) { managed = null; /* no policy installed (Firefox says so with an error) */ }
    return L.disabledSites(user, managed);
  }

  function start() {
    if (doc.documentElement) watch(doc);
    else doc.addEventListener('readystatechange', () => watch(doc), { once: true });
    doc.addEventListener('DOMContentLoaded', () => { watch(doc); scan(); });
    // Single-page apps (Mastodon) draw the markup their adapter recognises after load; each scan,
    // driven by the page's own mutations, asks the adapters again until one recognises the page.
    win.addEventListener('load', () => {
      scan();
      if (adapter) return;
      // A page no adapter recognised some seconds after it loaded is not a site OnRecord knows:
      // stop watching it, so the rest of the web pays nothing for the extension.
      win.setTimeout(() => {
        if (adapter) return;
        observers.forEach((o) => o.disconnect());
        if (scanTimer) { win.clearTimeout(scanTimer); scanTimer = null; }
      }, GIVE_UP_MS);
    });
    Hold.install(win, controller);
    sitesOff().then((off) => {
      disabledSites = off;
      settingsLoaded = true;
      scan();
    }, () => { settingsLoaded = true; scan(); });
    if (runtime && runtime.onMessage) {
      runtime.onMessage.addListener((message, sender, sendResponse) => {
        if (!message || message.type !== 'popup/page-info' || !adapter || win !== win.top) return false;
        // The compose box being written in, when there is one, says most about who is posting.
        const first = Array.from(states.values()).find((st) => st.result) || states.values().next().value;
        let acct = null;
        try { acct = adapter.account(doc, first ? first.editor : null); } catch (err) { acct = null; }
        // A page that names no account: the one the background found for the site, if any.
        const found = first && first.result && first.result.account;
        if (!acct && found && found.handle) acct = { handle: found.handle };
        sendResponse({
          site: adapter.id,
          account: acct,
          channel: first && first.result && first.result.account ? first.result.account.channel : null,
          editors: states.size,
        });
        return false;
      });
    }
  }

  // Exposed for the node tests, which drive the controller against fixture pages in jsdom.
  const idle = () => Array.from(states.values()).every((st) => !debounce.isPending(st.id) && !st.inFlight);
  globalThis.OnRecordContent = Object.freeze({ controller, scan, checkNow, states, act, idle });
  start();
})();
