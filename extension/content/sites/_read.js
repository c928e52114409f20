// Reading helpers shared by the site adapters. Pure functions over the DOM: they read, never write,
// and register no listeners. Loaded before the adapters (manifest content_scripts order).
(function (scope) {
  'use strict';

  const BLOCK_TAGS = new Set([
    'P', 'DIV', 'LI', 'UL', 'OL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'FIGURE', 'TABLE', 'TR',
  ]);

  // Plain text of a rich editor (Quill, Lexical, ProseMirror, Draft.js, plain contenteditable): one line per
  // block, <br> as a line break. Built from the DOM rather than innerText, which jsdom lacks and which
  // depends on layout. A lone <br> in an empty paragraph (how these editors keep an empty line) adds nothing.
  function blockText(el) {
    const lines = [];
    let line = '';
    const flush = () => { lines.push(line); line = ''; };
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) { line += child.nodeValue; continue; }
        if (child.nodeType !== 1) continue;
        if (child.getAttribute('aria-hidden') === 'true') continue;
        if (child.tagName === 'BR') {
          if (!(child.classList.contains('ProseMirror-trailingBreak') || isOnlyChild(child))) { flush(); }
          continue;
        }
        if (!BLOCK_TAGS.has(child.tagName)) { walk(child); continue; }
        if (line) flush();
        const before = lines.length;
        walk(child);
        // A block ends its line; an empty block is an empty line; a block of blocks adds none of its own.
        if (line || lines.length === before) flush();
      }
    };
    walk(el);
    if (line) flush();
    // Zero-width spaces and byte-order marks are editors' caret anchors (Quill's .ql-cursor), not text.
    return lines.join('\n').replace(/[\u200b\ufeff]/g, '').replace(/\u00a0/g, ' ').replace(/\n+$/, '').replace(/^\n+/, '');
  }

  function isOnlyChild(br) {
    const parent = br.parentNode;
    return parent && parent.childNodes.length === 1 && parent.nodeType === 1 && BLOCK_TAGS.has(parent.tagName);
  }

  // The draft in a form field or a rich editor.
  function fieldText(el) {
    if (!el) return '';
    if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') return el.value || '';
    return blockText(el);
  }

  // Element.closest() that also climbs out of shadow roots and same-origin frames.
  function closestAcross(el, selector) {
    let node = el;
    while (node) {
      const found = node.closest ? node.closest(selector) : null;
      if (found) return found;
      const root = node.getRootNode ? node.getRootNode() : null;
      if (root && root.host) { node = root.host; continue; }
      const frame = node.ownerDocument && node.ownerDocument.defaultView && safeFrameElement(node.ownerDocument.defaultView);
      node = frame || null;
    }
    return null;
  }

  function safeFrameElement(win) {
    try { return win.frameElement; } catch (e) { return null; } // cross-origin parent: not ours to read
  }

  // The nearest ancestor of el (el included) that contains a match for selector, and that match.
  function nearest(el, selector, limit) {
    for (let node = el, depth = 0; node && node.nodeType === 1 && depth < (limit || 40); node = node.parentElement, depth++) {
      const hit = node.querySelector(selector);
      if (hit) return hit;
    }
    return null;
  }

  // The first element under root matching selector whose visible text or aria-label matches re.
  function byText(root, selector, re) {
    if (!root) return null;
    for (const el of root.querySelectorAll(selector)) {
      const text = (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim();
      if (re.test(text)) return el;
    }
    return null;
  }

  // The accessible name an editor announces: aria-label, then aria-placeholder, then its placeholder.
  function labelOf(el) {
    if (!el || !el.getAttribute) return '';
    return (el.getAttribute('aria-label') || el.getAttribute('aria-placeholder') || el.getAttribute('placeholder') ||
      el.getAttribute('data-placeholder') || '').trim();
  }

  // A host name without "www.": the form the profile uses for blogs and news domains.
  function bareHost(url) {
    try {
      return new URL(url).hostname.replace(/^www\./, '').toLowerCase();
    } catch (e) {
      return null;
    }
  }

  // A path segment decoded; a malformed escape (a site's odd link) is kept as it is rather than thrown.
  function decode(segment) {
    try {
      return decodeURIComponent(segment);
    } catch (e) {
      return segment;
    }
  }

  function squash(text) {
    return (text || '').replace(/\s+/g, ' ').trim();
  }

  // Every element under root (document, shadow root or frame document) matching selector, in document order,
  // without duplicates when selectors overlap.
  function all(root, selector) {
    return root && root.querySelectorAll ? Array.from(root.querySelectorAll(selector)) : [];
  }

  scope.OnRecordRead = Object.freeze({ blockText, fieldText, closestAcross, nearest, byText, labelOf, bareHost, decode, squash, all });
})(typeof globalThis !== 'undefined' ? globalThis : window);
