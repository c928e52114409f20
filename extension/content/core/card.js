'use strict';
// The inline card next to a compose box, and the hold dialog shown when a post is held back.
// Both live in open shadow roots (CONTRACT section 5) so the site's CSS cannot restyle them and tests
// can still reach inside; both sit in the page's flow after the adapter's anchor, so they never cover
// the text being typed.
//
// The card is one line per prompt, so that five prompts still leave the site's Post button in view:
// the severity as a word, a short title (a heading, to jump between prompts), the words of the draft
// that set it off, and that prompt's own action (add the fix, "OK", "Post anyway…" asking for the
// reason in place). Warnings come first; reminders fold into one line; why a prompt is shown (its
// message and source, with a link to the policy text) is one click away.
//
// Re-rendering never moves focus: what had it gets it back, and when it is gone (its prompt answered)
// focus goes to the next prompt still to answer, or back to the editor through `onLeave`.
globalThis.OnRecordCard = (function () {
  const L = globalThis.OnRecordLogic;

  const STYLE = `
    :host { all: initial; display: block; margin: 6px 0; font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    :host([hidden]) { display: none; }
    :host { --bg: #ffffff; --fg: #0f1419; --muted: #536471; --line: #cfd9de; --accent: #1d4ed8; --accent-fg: #ffffff;
            --warn: #b42318; --confirm: #8a5c00; --info: #1d4ed8; --focus: #1d4ed8; --done: #1a7f37; }
    :host([data-theme="dark"]) { --bg: #16181c; --fg: #e7e9ea; --muted: #a0a9b1; --line: #5b6167; --accent: #8ab4f8;
            --accent-fg: #0b0d10; --warn: #ff8a80; --confirm: #f5c451; --info: #8ab4f8; --focus: #8ab4f8; --done: #7ee2a8; }
    .box { border: 1px solid var(--line); border-radius: 12px; padding: 6px 10px; background: var(--bg); color: var(--fg); }
    .box:focus { outline: none; }
    .box:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    h2 { font: inherit; font-weight: 700; margin: 0; }
    h3 { display: inline; font: inherit; margin: 0; }
    .badge { border: 1px solid var(--line); border-radius: 999px; padding: 0 8px; color: var(--muted); }
    .busy, .note { color: var(--muted); }
    .pack { margin-left: auto; color: var(--muted); font-size: 12px; }
    .notice { margin: 4px 0 0; }
    ul { list-style: none; margin: 4px 0 0; padding: 0; }
    li.prompt { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px; border-left: 4px solid var(--info);
                padding: 1px 0 1px 8px; margin: 3px 0; }
    li[data-onrecord-severity="warn"] { border-color: var(--warn); }
    li[data-onrecord-severity="confirm"], li.declare { border-color: var(--confirm); }
    li.answered { border-left-style: dashed; border-color: var(--done); }
    /* The title never shrinks; the quoted words take the room left and end in "…" (all of them are in
       the text for screen readers, in the tooltip, and behind "Why?"). */
    .head { display: flex; align-items: baseline; gap: 6px; flex: 1 1 auto; min-width: 0; }
    h3, .state { white-space: nowrap; flex: none; }
    .quotes { flex: 1 1 0; width: 0; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .sev { font-weight: 700; }
    li[data-onrecord-severity="warn"] .sev { color: var(--warn); }
    li[data-onrecord-severity="confirm"] .sev, li.declare .sev { color: var(--confirm); }
    li[data-onrecord-severity="info"] .sev, li.reminders .sev { color: var(--info); }
    li.answered .sev, .state { color: var(--done); }
    .state { font-weight: 700; }
    q { font-style: italic; }
    .acts { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    .why { flex-basis: 100%; margin: 0; color: var(--fg); }
    .why p { margin: 2px 0; }
    .src, .src a { color: var(--muted); }
    .src a { text-decoration: underline; }
    .reason { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; flex-basis: 100%; }
    .reason label { color: var(--fg); }
    button { font: inherit; border-radius: 999px; padding: 1px 10px; border: 1px solid var(--line);
             background: transparent; color: var(--fg); cursor: pointer; min-height: 24px; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button.link { border: none; padding: 1px 4px; color: var(--accent); text-decoration: underline; min-height: 0; }
    button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    input { font: inherit; padding: 1px 8px; border-radius: 8px; border: 1px solid var(--muted); background: var(--bg);
            color: var(--fg); min-width: 0; flex: 1 1 10em; max-width: 22em; }
    .reminders .head { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .reminders.expanded .head { white-space: normal; }
    .reminders .quotes { display: inline; width: auto; margin-left: 6px; }
    .reminders .list { display: inline; }
    .reminders .list > li { display: inline; margin: 0; padding: 0; border: 0; }
    .reminders .list > li + li::before { content: " · "; }
    .reminders.expanded .list { display: block; }
    .reminders.expanded .list > li { display: block; margin: 2px 0; }
    .reminders.expanded .list > li + li::before { content: none; }
    .error { color: var(--warn); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    [hidden] { display: none !important; }
    code { font-family: ui-monospace, monospace; }
  `;

  function el(doc, tag, attrs, ...children) {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  // Follows the site's light or dark theme: the first opaque background behind the anchor decides,
  // then the page's colour scheme.
  function themeFor(anchor) {
    const win = anchor.ownerDocument.defaultView;
    for (let node = anchor; node && node.nodeType === 1; node = node.parentElement) {
      const lum = L.luminance(win.getComputedStyle(node).backgroundColor);
      if (lum !== null) return lum < 0.5 ? 'dark' : 'light';
    }
    return win.matchMedia && win.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  // Moving the card would take focus out of it (a node moved loses focus), so it is moved only when it is
  // not already after its anchor, counting the hold dialog that sits between them while a post is held.
  function placeAfter(host, anchor) {
    if (!anchor) return;
    let before = host.previousSibling;
    if (before && before.nodeType === 1 && before.getAttribute('data-onrecord') === 'hold') before = before.previousSibling;
    if (before !== anchor || !host.isConnected) anchor.after(host);
  }

  // Only an https address becomes a link: a pack's `link` is data, and data is not trusted to run script
  // (javascript:) or to send the reader over a connection anyone on the way can change (http:).
  function safeLink(link) {
    if (typeof link !== 'string') return null;
    try {
      const url = new URL(link);
      return url.protocol === 'https:' && url.hostname ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  // The site must not see what happens in our elements (a click or key bubbling to a compose box could
  // submit or blur it).
  function isolate(host, types) {
    for (const type of types) host.addEventListener(type, (e) => e.stopPropagation());
  }

  // The card: `onAction(action, detail)` receives every answer; `onLeave()` is called when focus was in
  // the card and nothing is left there to take it (the last prompt answered): the editor takes it back.
  function create(doc, onAction, { onLeave } = {}) {
    const host = el(doc, 'div', { 'data-onrecord': 'card' });
    const root = host.attachShadow({ mode: 'open' });
    const live = el(doc, 'div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    const box = el(doc, 'section', { class: 'box', 'aria-label': 'OnRecord', tabindex: '-1' });
    root.append(el(doc, 'style', { text: STYLE }), box, live);
    const view = {
      said: null, // what the live region last said about the prompts
      reasons: new Map(), // rule id -> the reason being typed
      asking: new Set(), // rule ids whose "Post anyway…" asks for the reason
      why: new Set(), // rule ids whose explanation is open
      remindersOpen: false,
      handle: '',
      order: [], // keys of the focusable elements, in order, at the last render
    };
    let state = {};
    let uid = 0;
    const idBase = `onrecord-${Math.random().toString(36).slice(2, 8)}`;

    function render(next) {
      state = next;
      // The same card again (a re-check of the same draft, a site re-render) is left as it is.
      const signature = JSON.stringify([next, [...view.asking], [...view.why], view.remindersOpen]);
      if (signature === view.signature && box.childElementCount) return;
      view.signature = signature;
      const active = root.activeElement;
      const activeKey = active && active.getAttribute('data-key');
      const selection = active && active.tagName === 'INPUT' ? [active.selectionStart, active.selectionEnd] : null;
      const hadFocus = !!active;
      const orderBefore = view.order;

      build();

      if (!hadFocus) return;
      const again = activeKey ? byKey(activeKey) : null;
      if (again) {
        if (again !== root.activeElement) again.focus({ preventScroll: true });
        if (selection && again.setSelectionRange) again.setSelectionRange(selection[0], selection[1]);
        return;
      }
      // What had focus is gone (its prompt was answered or fixed): the next thing still to answer after
      // it takes focus, or the editor when there is none.
      const from = orderBefore.indexOf(activeKey);
      const later = orderBefore.slice(from + 1).concat(orderBefore.slice(0, Math.max(from, 0)));
      const target = later.map(byKey).find((node) => node && node.hasAttribute('data-onrecord-action') &&
        node.closest('li.open'));
      if (target) target.focus({ preventScroll: true });
      else if (firstOpenAction()) firstOpenAction().focus({ preventScroll: true });
      else if (onLeave) onLeave();
      else box.focus({ preventScroll: true });
    }

    function byKey(key) {
      for (const node of root.querySelectorAll('[data-key]')) if (node.getAttribute('data-key') === key) return node;
      return null;
    }

    function firstOpenAction() {
      return root.querySelector('li.open [data-onrecord-action]');
    }

    function build() {
      const { account, prompts = [], unanswered = [], notice, error, busy, text = '', pack } = state;
      const open = new Set(unanswered.map((p) => p.id));
      box.replaceChildren();
      if (busy) box.setAttribute('aria-busy', 'true'); else box.removeAttribute('aria-busy');
      box.append(el(doc, 'header', {},
        el(doc, 'h2', { text: 'OnRecord' }),
        el(doc, 'span', { class: 'badge', 'data-onrecord': 'channel', text: L.badge(account) }),
        busy ? el(doc, 'span', { class: 'busy', text: 'checking…' }) : null,
        packOf(pack)));
      if (notice) {
        box.append(el(doc, 'p', { class: 'notice', 'data-onrecord': 'notice', text: notice.message },
          notice.command ? el(doc, 'code', { text: ` ${notice.command}` }) : null));
      }
      if (error) box.append(el(doc, 'p', { class: 'notice error', role: 'alert', text: error }));

      const sorted = L.sortPrompts(prompts);
      const holding = sorted.filter((p) => L.HOLDING.includes(p.severity));
      const reminders = sorted.filter((p) => !L.HOLDING.includes(p.severity));
      const list = el(doc, 'ul', { 'aria-label': 'Prompts' });
      for (const p of holding) list.append(promptLine(p, open.has(p.id), text, account));
      // An account nobody declared, with no prompt about it (the page names none): offer to declare it.
      const undeclared = !notice && account && account.channel === 'unknown' &&
        !prompts.some((p) => p.category === 'unknown_account');
      if (undeclared) list.append(declareLine(account));
      if (reminders.length) list.append(reminderLine(reminders, text));
      if (list.childElementCount) box.append(list);

      view.order = Array.from(root.querySelectorAll('[data-key]'), (node) => node.getAttribute('data-key'));

      const said = L.announcement(sorted, open, view.said);
      view.said = said.said;
      if (notice && !sorted.length) {
        if (live.textContent !== `OnRecord: ${notice.message}`) live.textContent = `OnRecord: ${notice.message}`;
      } else if (said.text && !busy) {
        live.textContent = said.text;
      }
    }

    // Which policy pack checked the draft, quietly at the end of the header (it wraps under it when narrow).
    function packOf(pack) {
      const line = L.packLine(pack);
      if (!line) return null;
      return el(doc, 'span', { class: 'pack', 'data-onrecord': 'pack', title: line.title, text: line.text });
    }

    function quotesOf(p, text) {
      const words = L.quotes(text, p.matches, 32);
      if (!words.length) return null;
      const shown = words.slice(0, 3);
      return el(doc, 'span', { class: 'quotes', title: words.map((w) => `“${w}”`).join(', ') },
        ...shown.flatMap((w, i) => [i ? ', ' : '', el(doc, 'q', { text: w })]),
        words.length > shown.length ? ` and ${words.length - shown.length} more` : null);
    }

    function headOf(p, text, answered) {
      return el(doc, 'span', { class: 'head' },
        el(doc, 'h3', {}, el(doc, 'span', { class: 'sev', text: L.severityWord(p.severity) }), ` ${L.titleOf(p)}`),
        answered ? el(doc, 'span', { class: 'state', text: '✓ Answered' }) : null,
        quotesOf(p, text));
    }

    // Where a prompt comes from, and (when its rule has an https `link`) the policy text, a new tab away.
    function sourceOf(p, key) {
      const link = safeLink(p.link);
      if (!p.source && !link) return null;
      const which = p.source || L.titleOf(p);
      return el(doc, 'p', { class: 'src' }, p.source ? `Source: ${p.source}` : null, link && p.source ? ' · ' : null,
        link ? el(doc, 'a', { href: link, target: '_blank', rel: 'noopener noreferrer', 'data-onrecord': 'policy-link',
          'data-key': `link:${key}`, 'aria-label': `Read the policy: ${which} (opens in a new tab)`,
          text: 'Read the policy' }) : null);
    }

    function whyOf(p, key) {
      const id = `${idBase}-why-${++uid}`;
      const isOpen = view.why.has(key);
      const panel = el(doc, 'div', { class: 'why', id, hidden: !isOpen },
        el(doc, 'p', { class: 'msg', text: p.message }),
        p.fix && p.fix.text ? el(doc, 'p', { text: `Suggested: “${p.fix.text}”` }) : null,
        sourceOf(p, key));
      const toggle = button(null, 'Why?', {
        key: `why:${key}`, cls: 'link', expanded: isOpen, controls: id,
        label: `Why? ${L.titleOf(p)}`,
        onClick: () => { if (view.why.has(key)) view.why.delete(key); else view.why.add(key); render(state); },
      });
      return { toggle, panel };
    }

    function promptLine(p, isOpen, text, account) {
      const key = p.id;
      const title = L.titleOf(p);
      const li = el(doc, 'li', {
        class: `prompt ${isOpen ? 'open' : 'answered'}`,
        'data-onrecord-category': p.category, 'data-onrecord-severity': p.severity, 'data-onrecord-rule': p.id,
      });
      const { toggle, panel } = whyOf(p, key);
      const acts = el(doc, 'span', { class: 'acts' });
      let reasonRow = null;
      if (isOpen) {
        if (p.fix && p.fix.text) {
          const disclaimer = p.category === 'disclaimer';
          const label = disclaimer ? 'Add disclaimer' : (p.fix.text.length > 24 ? 'Add suggested text' : `Add “${p.fix.text}”`);
          acts.append(button(disclaimer ? 'insert-disclaimer' : 'apply-fix', label, {
            key: `fix:${key}`, primary: true, title: `Adds “${p.fix.text}” to the end of your post`,
            label: disclaimer ? null : `${label}: ${title}`, onClick: () => onAction(disclaimer ? 'insert-disclaimer' : 'apply-fix', p),
          }));
        }
        if (p.category === 'unknown_account') declareButtons(acts, account, key);
        if (p.severity === 'confirm') {
          acts.append(button('acknowledge', 'OK', { key: `ok:${key}`, label: `OK: ${title}`,
            onClick: () => onAction('acknowledge', p) }));
        } else if (p.severity === 'warn') {
          const asking = view.asking.has(key);
          acts.append(button('override', asking ? 'Post anyway' : 'Post anyway…', {
            key: `override:${key}`, label: `${asking ? 'Post anyway' : 'Post anyway…'}: ${title}`,
            expanded: asking ? null : false,
            onClick: () => overrideNow(p),
          }));
          if (asking) reasonRow = reasonFor(p);
        }
      }
      li.append(headOf(p, text, !isOpen), toggle, acts, panel);
      if (reasonRow) li.append(reasonRow);
      return li;
    }

    function reasonFor(p) {
      const id = `${idBase}-reason-${++uid}`;
      const input = el(doc, 'input', { id, type: 'text', 'data-onrecord': 'override-reason', 'data-key': `reason:${p.id}`,
        autocomplete: 'off' });
      input.value = view.reasons.get(p.id) || '';
      input.addEventListener('input', () => { view.reasons.set(p.id, input.value); input.removeAttribute('aria-invalid'); });
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') { e.preventDefault(); overrideNow(p); }
        if (e.key === 'Escape') {
          e.preventDefault();
          view.asking.delete(p.id);
          render(state);
          const back = byKey(`override:${p.id}`);
          if (back) back.focus();
        }
      });
      return el(doc, 'span', { class: 'reason' },
        el(doc, 'label', { for: id, text: 'Why post anyway? (kept in your activity log)' }), input);
    }

    // "Post anyway…" first asks for the reason in place; with a reason given, it answers the prompt.
    function overrideNow(p) {
      if (!view.asking.has(p.id)) {
        view.asking.add(p.id);
        render(state);
        const input = byKey(`reason:${p.id}`);
        if (input) input.focus();
        return;
      }
      const input = byKey(`reason:${p.id}`);
      const reason = ((input && input.value) || view.reasons.get(p.id) || '').trim();
      if (!reason) {
        if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
        live.textContent = 'OnRecord: give a reason to post anyway.';
        return;
      }
      view.asking.delete(p.id);
      view.reasons.delete(p.id);
      onAction('override', { ...p, reason });
    }

    function declareButtons(acts, account, key) {
      let handleInput = null;
      if (!account || !account.handle) {
        handleInput = el(doc, 'input', { type: 'text', 'data-onrecord': 'account-handle', 'data-key': `handle:${key}`,
          'aria-label': 'Your name or handle on this site', placeholder: 'Your name or handle here' });
        handleInput.value = view.handle;
        handleInput.addEventListener('input', () => { view.handle = handleInput.value; handleInput.removeAttribute('aria-invalid'); });
        acts.append(handleInput);
      }
      acts.append(el(doc, 'span', { class: 'note', 'aria-hidden': 'true', text: 'This account is' }));
      for (const channel of ['personal', 'official', 'corporate']) {
        acts.append(button(`declare-${channel}`, channel, { key: `declare-${channel}:${key}`,
          label: `This account is ${channel}`, onClick: () => declareNow(channel, handleInput) }));
      }
    }

    function declareLine(account) {
      // Not a prompt of the helper's, so it carries no data-onrecord-category or -severity of its own.
      const li = el(doc, 'li', { class: 'prompt open declare' },
        el(doc, 'span', { class: 'head' },
          el(doc, 'h3', {}, el(doc, 'span', { class: 'sev', text: 'Confirm' }), ' Undeclared account')));
      const acts = el(doc, 'span', { class: 'acts' });
      declareButtons(acts, account, 'account');
      li.append(acts);
      return li;
    }

    function reminderLine(reminders, text) {
      const id = `${idBase}-reminders`;
      const isOpen = view.remindersOpen;
      // The fold holds the reminders; only each reminder in it carries a prompt's data-onrecord-* attributes.
      const li = el(doc, 'li', { class: `prompt reminders${isOpen ? ' expanded' : ''}` });
      const items = el(doc, 'ul', { class: 'list', id, 'aria-label': 'Reminders' });
      for (const p of reminders) {
        items.append(el(doc, 'li', { 'data-onrecord-category': p.category, 'data-onrecord-severity': p.severity,
          'data-onrecord-rule': p.id },
        el(doc, 'span', { class: 'title', text: L.titleOf(p) }),
        isOpen ? quotesOf(p, text) : null,
        el(doc, 'span', { class: 'why', hidden: !isOpen },
          el(doc, 'p', { class: 'msg', text: p.message }),
          sourceOf(p, p.id))));
      }
      const s = reminders.length === 1 ? '' : 's';
      li.append(el(doc, 'span', { class: 'head' },
        el(doc, 'h3', {}, el(doc, 'span', { class: 'sev', text: `Reminder${s}` })), ' ', items),
      button(null, isOpen ? 'Hide' : 'Show', { key: 'reminders', cls: 'link', expanded: isOpen, controls: id,
        label: `${isOpen ? 'Hide' : 'Show'} reminder${s}`,
        onClick: () => { view.remindersOpen = !view.remindersOpen; render(state); } }));
      return li;
    }

    function declareNow(channel, handleInput) {
      const handle = handleInput ? handleInput.value.trim() : '';
      if (handleInput && !handle) {
        handleInput.setAttribute('aria-invalid', 'true');
        handleInput.focus();
        live.textContent = 'OnRecord: type the name or handle you post as here.';
        return;
      }
      onAction(`declare-${channel}`, { channel, ...(handle ? { handle } : {}) });
    }

    function button(action, text, { key, primary, title, label, cls, expanded, controls, onClick }) {
      const b = el(doc, 'button', { type: 'button', 'data-onrecord-action': action, 'data-key': key,
        class: primary ? 'primary' : (cls || null), title, 'aria-label': label,
        'aria-expanded': expanded === undefined || expanded === null ? null : String(expanded),
        'aria-controls': controls, text });
      b.addEventListener('click', (e) => { e.stopPropagation(); onClick(); });
      return b;
    }

    isolate(host, ['keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'paste', 'mousedown', 'pointerdown', 'click']);

    return {
      host,
      root,
      update(next, anchor) {
        if (anchor) {
          placeAfter(host, anchor);
          host.setAttribute('data-theme', themeFor(anchor));
        }
        render(next);
      },
      // Shows that a newer draft is being checked, leaving the prompts and the focus as they are.
      // Called on the first edit after an answer, so it only marks the card, without drawing it again.
      busy() {
        if (state.busy || !box.childElementCount) return;
        state = { ...state, busy: true };
        view.signature = null; // the next answer draws the card in full
        box.setAttribute('aria-busy', 'true');
        const header = box.querySelector('header');
        if (header && !header.querySelector('.busy')) header.append(el(doc, 'span', { class: 'busy', text: 'checking…' }));
      },
      // Focus on the first prompt still to answer (its first action).
      focusFirstAction() {
        const target = firstOpenAction() || root.querySelector('[data-onrecord-action], input');
        if (target) target.focus();
        else box.focus();
      },
      hasFocus() { return !!root.activeElement; },
      remove() { host.remove(); },
    };
  }

  // The hold dialog: says the post was held and why, in one line placed just before the card, so that
  // Tab goes from it into the card's prompts and then on to the site's Post button. It takes focus when
  // it first appears (the user has just tried to post) and never again while it stays.
  function createHold(doc, { onReview, onCancel }) {
    const host = el(doc, 'div', { 'data-onrecord': 'hold', role: 'alertdialog', 'aria-modal': 'false',
      'aria-label': 'OnRecord held this post back' });
    const root = host.attachShadow({ mode: 'open' });
    const box = el(doc, 'div', { class: 'box hold' });
    root.append(el(doc, 'style', { text: `${STYLE} .hold { border-width: 2px; border-color: var(--confirm); display: flex;
      flex-wrap: wrap; gap: 4px 8px; align-items: center; } .hold p { margin: 0; flex: 1 1 12em; }` }), box);
    const message = el(doc, 'p', {});
    box.append(message, el(doc, 'span', { class: 'acts' },
      holdButton('review', 'Review prompts', true, () => onReview()),
      holdButton('keep-editing', 'Keep editing', false, () => onCancel())));
    host.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
    });
    isolate(host, ['keyup', 'keypress', 'mousedown', 'pointerdown', 'click']);

    // One short line: the card just below names each prompt.
    function say(prompts) {
      const n = prompts.length;
      message.replaceChildren(el(doc, 'strong', { text: 'Post held: ' }),
        `answer ${n === 1 ? 'the prompt' : `${n} prompts`} below, then post again.`);
    }

    return {
      host,
      // Shows the dialog before `card` (the card's host element) and focuses it when it was not shown.
      show(prompts, card, theme) {
        say(prompts);
        if (theme) host.setAttribute('data-theme', theme);
        const wasShown = host.isConnected;
        if (card && (host.nextSibling !== card || !host.isConnected)) card.before(host);
        if (!wasShown) {
          const first = root.querySelector('button');
          if (first) first.focus();
        }
      },
      // Keeps the text up to date while shown, and the dialog just before the card when the site moved the
      // card; never moves focus.
      update(prompts, theme, card) {
        say(prompts);
        if (theme) host.setAttribute('data-theme', theme);
        if (card && card.isConnected && host.nextSibling !== card) card.before(host);
      },
      hide() { host.remove(); },
      hasFocus() { return !!root.activeElement; },
      get shown() { return host.isConnected; },
    };

    function holdButton(action, label, primary, fn) {
      const b = el(doc, 'button', { type: 'button', 'data-onrecord-hold-action': action, class: primary ? 'primary' : null, text: label });
      b.addEventListener('click', (e) => { e.stopPropagation(); fn(); });
      return b;
    }
  }

  return Object.freeze({ create, createHold, themeFor, safeLink });
})();
