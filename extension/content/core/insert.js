'use strict';
// Putting text into a site's editor so that the site's own state changes, not only its DOM: rich editors
// (Draft.js, ProseMirror, Lexical, Quill, Gutenberg) keep a model and re-render from it, so a DOM edit
// would be thrown away or, worse, posted without the text. The first way for every kind is the browser's
// own editing command, execCommand('insertText'): it fires the trusted beforeinput and input events and
// makes the DOM change that each of these editors reads into its model, and it is one step on the
// browser's and the editor's undo stacks, so one Ctrl+Z takes the text out again. (Proved on the real
// libraries by tests/e2e/test_real_editors.py: Draft.js 0.11.7, Lexical 0.52, Quill 2, TipTap 2, a
// React-controlled textarea.) The other ways are fallbacks, and the text is read back to confirm it took.
globalThis.OnRecordInsert = (function () {
  const MAIN_WORLD = 'onrecord-main-world';
  // Editors merge changes made close together into one undo step (Quill within 1 s, ProseMirror 0.5 s,
  // Lexical 0.3 s, the browser's own typing too): text put in sooner after the user's last keystroke
  // would be undone together with their typing, so the insertion waits out the longest of these.
  const HISTORY_DELAY_MS = 1000;
  let nextNonce = 1;
  const lastInput = new WeakMap(); // editing host -> time of its last input event

  if (globalThis.document) {
    globalThis.document.addEventListener('input', (event) => {
      if (event.target && typeof event.target === 'object') lastInput.set(event.target, Date.now());
    }, true);
  }

  function settle(win) {
    return new Promise((resolve) => {
      const w = win || globalThis;
      // A frame lets React-style editors commit the state change and re-render.
      if (typeof w.requestAnimationFrame === 'function') {
        let done = false;
        const finish = () => { if (!done) { done = true; resolve(); } };
        w.requestAnimationFrame(() => w.setTimeout(finish, 0));
        w.setTimeout(finish, 100); // background tabs throttle animation frames
      } else {
        setTimeout(resolve, 0);
      }
    });
  }

  function isField(editor) {
    return editor.tagName === 'TEXTAREA' || editor.tagName === 'INPUT';
  }

  function caretToEnd(editor) {
    const doc = editor.ownerDocument;
    const win = doc.defaultView;
    editor.focus();
    // A form field has its own caret; a document selection around it would take the focus away.
    if (isField(editor)) {
      const end = editor.value.length;
      editor.setSelectionRange(end, end);
      return;
    }
    const sel = win.getSelection();
    if (!sel) return;
    const range = doc.createRange();
    // The deepest last text position, so editors that map DOM points to their model find a leaf.
    let node = editor;
    while (node.lastChild && !(node.lastChild.nodeType === 1 && node.lastChild.getAttribute('contenteditable') === 'false')) {
      node = node.lastChild;
    }
    if (node.nodeType === 3) range.setStart(node, node.data.length);
    else range.selectNodeContents(node), range.collapse(false);
    range.collapse(true);
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // Editors such as Draft.js learn of a moved caret from the selectionchange event, which the browser
  // fires asynchronously: the insertion waits for it, or it would land where the caret was before.
  function afterCaretMoves(editor) {
    caretToEnd(editor);
    return new Promise((resolve) => editor.ownerDocument.defaultView.setTimeout(resolve, 0));
  }

  // A paste the editor handles itself, carrying the text. Firefox's ClipboardEvent constructor drops
  // clipboardData, so there the event would carry nothing: an empty paste is never sent, since an
  // editor may still open an undo step for it that a Ctrl+Z would then spend on the user's own text.
  async function viaPaste(editor, text) {
    const win = editor.ownerDocument.defaultView;
    const data = new win.DataTransfer();
    data.setData('text/plain', text);
    const event = new win.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    if (!event.clipboardData || event.clipboardData.getData('text/plain') !== text) {
      throw new Error('this browser sends no text with a scripted paste');
    }
    await afterCaretMoves(editor);
    editor.dispatchEvent(event);
  }

  function viaValueSetter(editor, text) {
    const win = editor.ownerDocument.defaultView;
    const proto = editor instanceof win.HTMLTextAreaElement ? win.HTMLTextAreaElement.prototype
      : win.HTMLInputElement.prototype;
    // React and similar frameworks track the value through the prototype's setter; assigning
    // editor.value directly would be undone on their next render.
    const setter = Object.getOwnPropertyDescriptor(proto, 'value').set;
    editor.focus();
    setter.call(editor, editor.value + text);
    editor.dispatchEvent(new win.InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    editor.dispatchEvent(new win.Event('change', { bubbles: true }));
  }

  // The browser's own insertion at the caret, put at the end of the draft: one undoable step.
  async function viaExecCommand(editor, text) {
    await afterCaretMoves(editor);
    if (!editor.ownerDocument.execCommand('insertText', false, text)) {
      throw new Error('the browser did not run insertText here');
    }
  }

  // Waits until the editor's undo history has closed the user's last typing into a step of its own.
  function afterHistoryDelay(editor, delay) {
    const since = Date.now() - (lastInput.get(editor) || 0);
    const wait = Math.max(0, delay - since);
    return wait ? new Promise((resolve) => editor.ownerDocument.defaultView.setTimeout(resolve, wait)) : null;
  }

  // Quill and Gutenberg keep their objects in the page's own JavaScript world; main-world.js, injected
  // there by the manifest, does the call and answers through postMessage.
  function viaMainWorld(editor, op, text) {
    // wp.data lives in the top editor page even when the blocks are drawn in its canvas iframe.
    const win = op.startsWith('gutenberg') ? globalThis.window : editor.ownerDocument.defaultView;
    const nonce = `${Date.now()}-${nextNonce++}`;
    editor.setAttribute('data-onrecord-target', nonce);
    return new Promise((resolve) => {
      const timer = win.setTimeout(() => finish(false), 1000);
      function finish(ok) {
        win.clearTimeout(timer);
        win.removeEventListener('message', onMessage);
        editor.removeAttribute('data-onrecord-target');
        resolve(ok);
      }
      function onMessage(event) {
        const d = event.data;
        if (event.source === win && d && d.from === MAIN_WORLD && d.nonce === nonce) finish(!!d.ok);
      }
      win.addEventListener('message', onMessage);
      win.postMessage({ to: MAIN_WORLD, op, nonce, text }, win.location.origin === 'null' ? '*' : win.location.origin);
    });
  }

  // The ordered ways to try for each kind of editor. The value setter keeps React's state right but
  // clears the browser's undo, so it is only the last resort for a field.
  const STRATEGIES = {
    draftjs: ['execCommand', 'paste'],
    prosemirror: ['execCommand', 'paste'],
    lexical: ['execCommand', 'paste'],
    quill: ['execCommand', 'quill', 'paste'],
    textarea: ['execCommand', 'value'],
    gutenberg: ['gutenberg', 'execCommand'],
    contenteditable: ['execCommand', 'paste'],
  };

  async function run(way, editor, text) {
    switch (way) {
      case 'paste': return viaPaste(editor, text);
      case 'value': return viaValueSetter(editor, text);
      case 'execCommand': return viaExecCommand(editor, text);
      case 'quill': return viaMainWorld(editor, 'quill-append', text);
      case 'gutenberg': return viaMainWorld(editor, 'gutenberg-append', text);
      default: throw new Error(`unknown insertion ${way}`);
    }
  }

  // Appends `suffix` to the editor's draft. `read(editor)` is the adapter's readText, `expect` the text
  // that must be found after; `refind()` gives the editor again when the site re-rendered it.
  async function append(editor, kind, suffix, { read, expect, refind }) {
    const ways = STRATEGIES[kind] || STRATEGIES.contenteditable;
    let current = editor;
    await afterHistoryDelay(editor, HISTORY_DELAY_MS);
    for (const way of ways) {
      try {
        await run(way, current, suffix);
      } catch (err) {
        console.warn(`OnRecord: inserting by ${way} failed`, err);
        continue;
      }
      await settle(current.ownerDocument.defaultView);
      if (!current.isConnected && refind) current = refind() || current;
      if (expect(read(current))) return { ok: true, way, editor: current };
    }
    return { ok: false, way: null, editor: current };
  }

  function lockSaving(editor, locked) {
    return viaMainWorld(editor, locked ? 'gutenberg-lock' : 'gutenberg-unlock', '');
  }

  return Object.freeze({ STRATEGIES, MAIN_WORLD, append, lockSaving, caretToEnd });
})();
