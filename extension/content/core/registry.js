'use strict';
// The one list of site adapters. Each file in content/sites/ calls OnRecordSites.register({...});
// core asks pick() for the adapter whose detect() is true on this page. Loaded first by the manifest,
// so adapters (loaded next) and core (loaded last) find it as a global of the content-script world.
//
// An adapter is pure: selectors and reading, no side effects, no listeners. Core does the rest
// (checking, the card, inserting text, holding the post).
//   id                        site id from the contract: x, linkedin, facebook, mastodon, bluesky, threads, blog, comments
//   detect(location, document) -> true when this page is this site (host names, or markup for Mastodon/WordPress)
//   selectors                 data, each with a comment: what it matches and which fixture proves it
//   findEditors(root)         -> Element[]: compose editors now in root (a document, shadow root or iframe document)
//   editorKind(editor)        -> 'draftjs' | 'prosemirror' | 'lexical' | 'quill' | 'textarea' | 'gutenberg' | 'contenteditable'
//   readText(editor)          -> the draft's plain text
//   findPostButton(editor)    -> the button that sends this editor, found relative to it at the moment of asking
//   isSendKey(event, editor)  -> true when this key event sends (core already handles Ctrl/Cmd+Enter)
//   account(document, editor) -> {handle, name?, asPage?} or null: who is posting
//   context(editor)           -> 'post' | 'reply' | 'comment' | 'reference' | 'blog' | 'edit'
//   replyTo(editor)           -> the handle or news domain replied to, or null
//   anchor(editor)            -> the element after which the card is placed (never over the text)
globalThis.OnRecordSites = (function () {
  // Every adapter provides these; core calls nothing else without checking it exists first.
  const REQUIRED = Object.freeze([
    'id', 'detect', 'selectors', 'findEditors', 'editorKind', 'readText', 'findPostButton',
    'isSendKey', 'account', 'context', 'replyTo', 'anchor',
  ]);
  // The editor kinds core knows how to insert text into (see core/insert.js).
  const EDITOR_KINDS = Object.freeze([
    'draftjs', 'prosemirror', 'lexical', 'quill', 'textarea', 'gutenberg', 'contenteditable',
  ]);
  // Site ids from the public contract.
  const SITE_IDS = Object.freeze([
    'x', 'linkedin', 'facebook', 'mastodon', 'bluesky', 'threads', 'blog', 'comments',
  ]);
  const CONTEXTS = Object.freeze(['post', 'reply', 'comment', 'reference', 'blog', 'edit']);

  const adapters = [];

  function problems(adapter) {
    const found = [];
    if (!adapter || typeof adapter !== 'object') return ['an adapter must be an object'];
    for (const name of REQUIRED) {
      if (!(name in adapter)) found.push(`missing "${name}"`);
      else if (name !== 'id' && name !== 'selectors' && typeof adapter[name] !== 'function') {
        found.push(`"${name}" must be a function`);
      }
    }
    if ('id' in adapter && !SITE_IDS.includes(adapter.id)) found.push(`unknown site id "${adapter.id}"`);
    if ('selectors' in adapter && (typeof adapter.selectors !== 'object' || adapter.selectors === null)) {
      found.push('"selectors" must be an object');
    }
    return found;
  }

  function register(adapter) {
    const wrong = problems(adapter);
    if (wrong.length) {
      throw new TypeError(`OnRecord site adapter ${adapter && adapter.id}: ${wrong.join('; ')}`);
    }
    if (adapters.some((a) => a.id === adapter.id)) {
      throw new TypeError(`OnRecord site adapter ${adapter.id} is registered twice`);
    }
    adapters.push(Object.freeze(adapter));
    return adapter;
  }

  // The first adapter that recognises the page. A throwing detect() is that adapter's bug, not a reason
  // to stop looking, so it is reported and skipped.
  function pick(location, document, disabled) {
    for (const adapter of adapters) {
      if (disabled && disabled.includes(adapter.id)) continue;
      try {
        if (adapter.detect(location, document)) return adapter;
      } catch (err) {
        console.warn(`OnRecord: ${adapter.id}.detect failed`, err);
      }
    }
    return null;
  }

  function get(id) {
    return adapters.find((a) => a.id === id) || null;
  }

  function all() {
    return adapters.slice();
  }

  return Object.freeze({ REQUIRED, EDITOR_KINDS, SITE_IDS, CONTEXTS, register, pick, get, all, problems });
})();
