'use strict';
// Marks the words that set a prompt off in the site's own editor, with the CSS Custom Highlight API:
// ranges registered in CSS.highlights and painted by ::highlight() rules, which change nothing in the
// editor's DOM (a rich editor that found a <mark> of ours in its content would re-render it away, or
// post it). Where the API is missing (Firefox before 140, a textarea, whose text is not in the DOM) the
// card's quote is enough, and nothing is marked.
//
// The offsets the helper gives are into the draft as the adapter read it (blocks joined by line
// breaks, caret anchors left out), not into the DOM, so each quoted span is found again in the
// editor's text nodes: the same occurrence of the same words, a line break in the draft being the
// boundary between two blocks.
globalThis.OnRecordHighlight = (function () {
  const NAMES = Object.freeze({ warn: 'onrecord-warn', confirm: 'onrecord-confirm', info: 'onrecord-info' });
  // Dark text on a light mark whatever the site's theme, so the marked words keep their contrast.
  const STYLE = `
    ::highlight(onrecord-warn) { background-color: #ffe3e0; color: #3d0a05; text-decoration: underline wavy #b42318; }
    ::highlight(onrecord-confirm) { background-color: #fff0c2; color: #3a2700; text-decoration: underline #8a5c00; }
    ::highlight(onrecord-info) { background-color: #e4ecff; color: #0b1f5c; }
  `;
  const ZERO_WIDTH = /[\u200b\ufeff]/;
  const marked = new Map(); // editor -> [{name, range}]
  const styled = new WeakSet(); // documents given the ::highlight() rules

  function supported(doc) {
    const win = doc && doc.defaultView;
    return !!(win && win.CSS && win.CSS.highlights && typeof win.Highlight === 'function');
  }

  // The ::highlight() rules, as an adopted style sheet: no element is added to the page.
  function addStyle(doc) {
    if (styled.has(doc)) return;
    styled.add(doc);
    const win = doc.defaultView;
    try {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(STYLE);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    } catch (err) {
      const style = doc.createElement('style');
      style.textContent = STYLE;
      (doc.head || doc.documentElement).append(style);
    }
  }

  // The editor's text as its text nodes hold it, with where each character came from. Mirrors what the
  // adapters read: parts hidden from assistive technology and caret anchors are not text.
  function textOf(editor) {
    const doc = editor.ownerDocument;
    const walker = doc.createTreeWalker(editor, 4 /* NodeFilter.SHOW_TEXT */);
    let chars = '';
    const nodes = [];
    const offsets = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && parent.closest('[aria-hidden="true"]') && editor.contains(parent.closest('[aria-hidden="true"]'))) continue;
      const data = node.data;
      for (let i = 0; i < data.length; i++) {
        const ch = data[i];
        if (ZERO_WIDTH.test(ch)) continue;
        chars += ch === '\u00a0' ? ' ' : ch;
        nodes.push(node);
        offsets.push(i);
      }
    }
    return { chars, nodes, offsets };
  }

  function occurrencesBefore(text, words, end) {
    let n = 0;
    for (let at = text.indexOf(words); at !== -1 && at < end; at = text.indexOf(words, at + 1)) n++;
    return n;
  }

  // DOM ranges for one span [start, end) (UTF-16 offsets into `text`, the draft as checked).
  function rangesFor(doc, dom, text, span) {
    const ranges = [];
    const parts = [];
    let from = span.start;
    for (const piece of text.slice(span.start, span.end).split('\n')) {
      if (piece.trim()) parts.push({ words: piece, at: from });
      from += piece.length + 1;
    }
    let cursor = -1;
    for (const part of parts) {
      let at;
      if (cursor < 0) {
        // The same occurrence as in the draft: the second "ward 7" marks the second one.
        const nth = occurrencesBefore(text, part.words, part.at);
        at = -1;
        for (let i = 0; i <= nth; i++) {
          const next = dom.chars.indexOf(part.words, at + 1);
          if (next === -1) break;
          at = next;
        }
      } else {
        at = dom.chars.indexOf(part.words, cursor);
      }
      if (at < 0) return [];
      const last = at + part.words.length - 1;
      const range = doc.createRange();
      range.setStart(dom.nodes[at], dom.offsets[at]);
      range.setEnd(dom.nodes[last], dom.offsets[last] + 1);
      ranges.push(range);
      cursor = last + 1;
    }
    return ranges;
  }

  function registry(doc) {
    return doc.defaultView.CSS.highlights;
  }

  function highlightFor(doc, name) {
    const all = registry(doc);
    let h = all.get(name);
    if (!h) {
      h = new doc.defaultView.Highlight();
      all.set(name, h);
    }
    return h;
  }

  // Marks, in `editor`, the matches of `prompts` in `text` (the draft the prompts were given for).
  // `spansOf(text, matches)` turns the helper's code point offsets into UTF-16 ones.
  function mark(editor, text, prompts, spansOf) {
    clear(editor);
    const doc = editor && editor.ownerDocument;
    if (!doc || !supported(doc) || editor.tagName === 'TEXTAREA' || editor.tagName === 'INPUT') return 0;
    const withWords = (prompts || []).filter((p) => Array.isArray(p.matches) && p.matches.length);
    if (!withWords.length) return 0;
    let dom;
    try {
      dom = textOf(editor);
    } catch (err) {
      return 0;
    }
    const done = [];
    for (const p of withWords) {
      const name = NAMES[p.severity] || NAMES.info;
      for (const span of spansOf(text, p.matches)) {
        for (const range of rangesFor(doc, dom, text, span)) done.push({ name, range });
      }
    }
    if (!done.length) return 0;
    addStyle(doc);
    for (const { name, range } of done) highlightFor(doc, name).add(range);
    marked.set(editor, done);
    return done.length;
  }

  function clear(editor) {
    const done = marked.get(editor);
    if (!done) return;
    marked.delete(editor);
    const doc = editor.ownerDocument;
    if (!supported(doc)) return;
    for (const { name, range } of done) {
      const h = registry(doc).get(name);
      if (h) h.delete(range);
    }
  }

  function has(editor) {
    return marked.has(editor);
  }

  return Object.freeze({ NAMES, mark, clear, has, supported });
})();
