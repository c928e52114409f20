'use strict';
// The one list of site adapters. Each file in content/sites/ calls OnRecordSites.register({...});
// core asks pick() for the adapter whose detect() is true on this page. Loaded first by the manifest,
// so adapters (loaded next) and core (loaded last) find it as a global of the content-script world.
//
// An adapter is pure: selectors and reading, no side effects, no listeners. Core does the rest
// (checking, the card, inserting text, holding the post).
//   id                        site id from the site table (helper/onrecord/sites.json) whose adapter is true
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
  function deepFreeze(value) {
    if (value && typeof value === 'object') Object.values(value).forEach(deepFreeze);
    return Object.freeze(value);
  }
  // The sites OnRecord knows (id, label, character_limit, mention_handles, adapter, hosts, examples):
  // the helper's table, copied here because content scripts cannot read the helper's package.
  // <site-table> generated from helper/onrecord/sites.json by scripts/sync_sites.py: edit the table, not these lines.
  const TABLE = deepFreeze([
    {"id": "x", "label": "X (Twitter)", "character_limit": 280, "context_limits": {}, "mention_handles": true, "adapter": true, "hosts": ["x.com", "twitter.com"], "examples": ["https://x.com/home", "https://twitter.com/home"]},
    {"id": "linkedin", "label": "LinkedIn", "character_limit": 3000, "context_limits": {"comment": 1250, "reply": 1250}, "mention_handles": false, "adapter": true, "hosts": ["linkedin.com"], "examples": ["https://www.linkedin.com/feed/"]},
    {"id": "facebook", "label": "Facebook", "character_limit": 63206, "context_limits": {}, "mention_handles": false, "adapter": true, "hosts": ["facebook.com"], "examples": ["https://www.facebook.com/"]},
    {"id": "mastodon", "label": "Mastodon", "character_limit": 500, "context_limits": {}, "mention_handles": true, "adapter": true, "hosts": [], "examples": ["https://mastodon.social/home"]},
    {"id": "bluesky", "label": "Bluesky", "character_limit": 300, "context_limits": {}, "mention_handles": true, "adapter": true, "hosts": ["bsky.app"], "examples": ["https://bsky.app/"]},
    {"id": "threads", "label": "Threads", "character_limit": 500, "context_limits": {}, "mention_handles": true, "adapter": true, "hosts": ["threads.net", "threads.com"], "examples": ["https://www.threads.net/", "https://www.threads.com/"]},
    {"id": "blog", "label": "Blogs (WordPress)", "character_limit": null, "context_limits": {}, "mention_handles": false, "adapter": true, "hosts": [], "examples": ["https://amyclarke.blog/wp-admin/post-new.php"]},
    {"id": "comments", "label": "Comment boxes on news sites and blogs", "character_limit": null, "context_limits": {}, "mention_handles": false, "adapter": true, "hosts": ["theguardian.com", "disqus.com"], "examples": ["https://www.theguardian.com/world/2026/nov/20/story", "https://disqus.com/embed/comments/"]},
    {"id": "other", "label": "Another site", "character_limit": null, "context_limits": {}, "mention_handles": false, "adapter": false, "hosts": [], "examples": []},
  ]);
  // </site-table>
  // Site ids from the public contract, and those with an adapter in content/sites/.
  const SITE_IDS = Object.freeze(TABLE.map((s) => s.id));
  const ADAPTER_IDS = Object.freeze(TABLE.filter((s) => s.adapter).map((s) => s.id));
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
    else if ('id' in adapter && !ADAPTER_IDS.includes(adapter.id)) found.push(`site "${adapter.id}" has no adapter in the site table`);
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

  return Object.freeze({ REQUIRED, EDITOR_KINDS, TABLE, SITE_IDS, ADAPTER_IDS, CONTEXTS, register, pick, get, all, problems });
})();
