'use strict';
// Runs in the page's own JavaScript world (manifest "world": "MAIN"), where Quill's instances and
// WordPress's wp.data live. It does only the few calls the content script asks for by postMessage and
// reads nothing else; the element to act on is marked by the content script with data-onrecord-target.
(function () {
  const NAME = 'onrecord-main-world';
  const LOCK = 'onrecord';

  function quillFor(el) {
    const container = el.closest('.ql-container') || el.parentElement;
    if (window.Quill && typeof window.Quill.find === 'function') {
      const q = window.Quill.find(container) || window.Quill.find(el);
      if (q && typeof q.insertText === 'function') return q;
    }
    return (container && container.__quill) || el.__quill || null;
  }

  const OPS = {
    'quill-append'(el, text) {
      const quill = quillFor(el);
      if (!quill) return false;
      quill.insertText(Math.max(0, quill.getLength() - 1), text, 'user');
      return true;
    },
    'gutenberg-append'(el, text) {
      const wp = window.wp;
      if (!wp || !wp.data || !wp.blocks) return false;
      const block = wp.blocks.createBlock('core/paragraph', { content: text.trim() });
      wp.data.dispatch('core/block-editor').insertBlocks(block);
      return true;
    },
    'gutenberg-lock'() {
      const wp = window.wp;
      if (!wp || !wp.data) return false;
      wp.data.dispatch('core/editor').lockPostSaving(LOCK);
      return true;
    },
    'gutenberg-unlock'() {
      const wp = window.wp;
      if (!wp || !wp.data) return false;
      wp.data.dispatch('core/editor').unlockPostSaving(LOCK);
      return true;
    },
  };

  window.addEventListener('message', (event) => {
    const d = event.data;
    if (event.source !== window || !d || d.to !== NAME || !Object.prototype.hasOwnProperty.call(OPS, d.op)) return;
    let ok = false;
    try {
      const el = document.querySelector(`[data-onrecord-target="${CSS.escape(String(d.nonce))}"]`);
      ok = !!OPS[d.op](el || document.body, String(d.text || ''));
    } catch (err) {
      ok = false;
    }
    window.postMessage({ from: NAME, nonce: d.nonce, ok }, '*');
  });
})();
