'use strict';
// The inline card next to a compose box, and the hold dialog shown when a post is held back.
// Both live in open shadow roots (CONTRACT section 5) so the site's CSS cannot restyle them and tests
// can still reach inside; both sit in the page's flow after the adapter's anchor, so they never cover
// the text being typed.
globalThis.OnRecordCard = (function () {
  const L = globalThis.OnRecordLogic;
  const SEVERITY_LABEL = { warn: 'Warning', confirm: 'Please confirm', info: 'Reminder' };

  const STYLE = `
    :host { all: initial; display: block; margin: 8px 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    :host([hidden]) { display: none; }
    .box { border: 1px solid var(--line); border-radius: 12px; padding: 10px 12px; background: var(--bg); color: var(--fg); }
    :host { --bg: #ffffff; --fg: #0f1419; --muted: #536471; --line: #cfd9de; --accent: #1d4ed8; --accent-fg: #ffffff;
            --warn: #b42318; --confirm: #9a6700; --info: #1d4ed8; --focus: #1d4ed8; }
    :host([data-theme="dark"]) { --bg: #16181c; --fg: #e7e9ea; --muted: #a0a9b1; --line: #3e4144; --accent: #8ab4f8;
            --accent-fg: #0b0d10; --warn: #ff8a80; --confirm: #f5c451; --info: #8ab4f8; --focus: #8ab4f8; }
    header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .name { font-weight: 700; }
    .badge { border: 1px solid var(--line); border-radius: 999px; padding: 1px 8px; color: var(--muted); }
    .notice { margin: 8px 0 0; }
    ul { list-style: none; margin: 8px 0 0; padding: 0; }
    li { border-left: 4px solid var(--info); padding: 4px 8px; margin: 6px 0; }
    li[data-onrecord-severity="warn"] { border-color: var(--warn); }
    li[data-onrecord-severity="confirm"] { border-color: var(--confirm); }
    li.answered { opacity: .7; }
    .sev { font-weight: 700; }
    .msg { margin: 2px 0; }
    .src { margin: 0; color: var(--muted); font-size: 12px; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; align-items: center; }
    button { font: inherit; border-radius: 999px; padding: 4px 12px; border: 1px solid var(--line);
             background: transparent; color: var(--fg); cursor: pointer; }
    button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
    button:focus-visible, input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    input { font: inherit; padding: 3px 8px; border-radius: 8px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); }
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
    for (const c of children) if (c) node.append(c);
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

  function placeAfter(host, anchor) {
    if (anchor && (host.previousSibling !== anchor || !host.isConnected)) anchor.after(host);
  }

  // The card: `onAction(action, detail)` receives every button press.
  function create(doc, onAction) {
    const host = el(doc, 'div', { 'data-onrecord': 'card' });
    const root = host.attachShadow({ mode: 'open' });
    const live = el(doc, 'div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    const box = el(doc, 'section', { class: 'box', role: 'region', 'aria-label': 'OnRecord' });
    root.append(el(doc, 'style', { text: STYLE }), box, live);
    let lastIds = null;
    let reasonDraft = '';
    let handleDraft = '';

    function render(state) {
      const { account, prompts = [], unanswered = [], notice, error, busy } = state;
      const open = new Set(unanswered.map((p) => p.id));
      box.replaceChildren();
      box.append(el(doc, 'header', {},
        el(doc, 'span', { class: 'name', text: 'OnRecord' }),
        el(doc, 'span', { class: 'badge', 'data-onrecord': 'channel', text: L.badge(account) }),
        busy ? el(doc, 'span', { class: 'src', text: 'checking…' }) : null));
      if (notice) {
        box.append(el(doc, 'p', { class: 'notice', 'data-onrecord': 'notice', text: notice.message },
          notice.command ? el(doc, 'code', { text: ` ${notice.command}` }) : null));
      }
      if (error) box.append(el(doc, 'p', { class: 'notice error', role: 'alert', text: error }));

      const sorted = L.sortPrompts(prompts);
      const list = el(doc, 'ul', { 'aria-label': 'Prompts' });
      for (const p of sorted) {
        list.append(el(doc, 'li', {
          'data-onrecord-category': p.category, 'data-onrecord-severity': p.severity,
          'data-onrecord-rule': p.id, class: L.HOLDING.includes(p.severity) && !open.has(p.id) ? 'answered' : null,
        },
        el(doc, 'span', { class: 'sev', text: SEVERITY_LABEL[p.severity] || p.severity }),
        el(doc, 'p', { class: 'msg', text: p.message }),
        p.fix && p.fix.text ? el(doc, 'p', { class: 'src', text: `Suggested: “${p.fix.text}”` }) : null,
        p.source ? el(doc, 'p', { class: 'src', text: `Source: ${p.source}` }) : null));
      }
      if (sorted.length) box.append(list);

      const actions = el(doc, 'div', { class: 'actions' });
      const fixable = sorted.find((p) => p.category === 'disclaimer' && p.fix && p.fix.text);
      if (fixable) {
        actions.append(button('insert-disclaimer', 'Add disclaimer', { primary: true, detail: fixable,
          title: `Adds “${fixable.fix.text}” to the end of your post` }));
      }
      for (const p of sorted) {
        if (p !== fixable && p.fix && p.fix.text && p.category !== 'disclaimer') {
          // The text itself is shown in the prompt; a button the length of a sentence would not fit.
          const label = p.fix.text.length > 30 ? `Add the suggested text (${p.category.replace(/_/g, ' ')})` : `Add “${p.fix.text}”`;
          actions.append(button('apply-fix', label, { detail: p, title: p.fix.text }));
        }
      }
      const confirms = unanswered.filter((p) => p.severity === 'confirm');
      if (confirms.length) actions.append(button('acknowledge', 'Acknowledge', {}));
      const warns = unanswered.filter((p) => p.severity === 'warn');
      if (warns.length) {
        const input = el(doc, 'input', { type: 'text', 'data-onrecord': 'override-reason',
          'aria-label': 'Reason for going ahead', placeholder: 'Reason for going ahead' });
        input.value = reasonDraft;
        input.addEventListener('input', () => { reasonDraft = input.value; });
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') { e.preventDefault(); e.stopPropagation(); overrideNow(input); }
        });
        actions.append(input, button('override', 'Override with reason', { onClick: () => overrideNow(input) }));
      }
      // An account nobody declared (or that the page does not name): offer to declare it, asking for its
      // handle when the page does not show one.
      const undeclared = prompts.some((p) => p.category === 'unknown_account') ||
        (!notice && account && account.channel === 'unknown');
      if (undeclared) {
        let handleInput = null;
        if (!account || !account.handle) {
          handleInput = el(doc, 'input', { type: 'text', 'data-onrecord': 'account-handle',
            'aria-label': 'Your name or handle on this site', placeholder: 'Your name or handle here' });
          handleInput.value = handleDraft;
          handleInput.addEventListener('input', () => { handleDraft = handleInput.value; });
          actions.append(handleInput);
        }
        for (const channel of ['personal', 'official', 'corporate']) {
          actions.append(button(`declare-${channel}`, `This account is ${channel}`,
            { onClick: () => declareNow(channel, handleInput) }));
        }
      }
      if (actions.childElementCount) box.append(actions);

      const ids = sorted.map((p) => `${p.id}:${open.has(p.id)}`).join(',');
      if (ids !== lastIds) {
        lastIds = ids;
        live.textContent = notice && !sorted.length ? `OnRecord: ${notice.message}` : L.announcement(sorted);
      }
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

    function overrideNow(input) {
      const reason = input.value.trim();
      if (!reason) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        live.textContent = 'OnRecord: give a reason to go ahead.';
        return;
      }
      reasonDraft = '';
      onAction('override', { reason });
    }

    function button(action, label, { primary, detail, title, onClick } = {}) {
      const b = el(doc, 'button', { type: 'button', 'data-onrecord-action': action, class: primary ? 'primary' : null,
        title, text: label });
      // The site must not see these clicks (a click bubbling to a compose box could submit or blur it).
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        if (onClick) onClick(); else onAction(action, detail);
      });
      return b;
    }

    for (const type of ['keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'paste', 'mousedown', 'pointerdown']) {
      host.addEventListener(type, (e) => e.stopPropagation());
    }

    return {
      host,
      root,
      update(state, anchor) {
        if (anchor) {
          placeAfter(host, anchor);
          host.setAttribute('data-theme', themeFor(anchor));
        }
        render(state);
      },
      focusFirstAction() {
        const target = root.querySelector('[data-onrecord-action], input');
        if (target) target.focus();
      },
      remove() { host.remove(); },
    };
  }

  // The hold dialog: says the post was held and why, without covering the card's buttons.
  function createHold(doc, { onReview, onCancel }) {
    const host = el(doc, 'div', { 'data-onrecord': 'hold', role: 'alertdialog', 'aria-modal': 'false',
      'aria-label': 'OnRecord held this post back' });
    const root = host.attachShadow({ mode: 'open' });
    const box = el(doc, 'div', { class: 'box' });
    root.append(el(doc, 'style', { text: `${STYLE} .box { border-width: 2px; border-color: var(--confirm); }` }), box);
    host.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
    });
    for (const type of ['keyup', 'keypress', 'mousedown', 'pointerdown']) host.addEventListener(type, (e) => e.stopPropagation());

    return {
      host,
      show(prompts, after, theme) {
        box.replaceChildren(
          el(doc, 'p', { class: 'name', text: 'OnRecord held this post back' }),
          el(doc, 'p', { class: 'msg', text: `Answer ${prompts.length === 1 ? 'this prompt' : 'these prompts'} in the card, then post again:` }),
          el(doc, 'ul', {}, ...prompts.map((p) => el(doc, 'li', { 'data-onrecord-severity': p.severity },
            el(doc, 'span', { text: `${SEVERITY_LABEL[p.severity]}: ${p.message}` })))),
          el(doc, 'div', { class: 'actions' },
            holdButton('review', 'Review prompts', true, onReview),
            holdButton('keep-editing', 'Keep editing', false, onCancel)));
        if (theme) host.setAttribute('data-theme', theme);
        placeAfter(host, after);
        const first = root.querySelector('button');
        if (first) first.focus();
      },
      hide() { host.remove(); },
      get shown() { return host.isConnected; },
    };

    function holdButton(action, label, primary, fn) {
      const b = el(doc, 'button', { type: 'button', 'data-onrecord-hold-action': action, class: primary ? 'primary' : null, text: label });
      b.addEventListener('click', (e) => { e.stopPropagation(); fn(); });
      return b;
    }
  }

  return Object.freeze({ create, createHold, themeFor });
})();
