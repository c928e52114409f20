// Bluesky (bsky.app): the composer dialog's ProseMirror (TipTap) editor, for posts, replies, quotes and
// threads. The handle comes from the stored session's currentAccount.handle; its tokens are never read.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The composer's editor: TipTap renders a ProseMirror contenteditable (home-2026-11-20.html, one per
    // post of a thread; reply-2026-11-20.html).
    editor: '.ProseMirror[contenteditable="true"]',
    // The composer dialog, which holds every post of a thread and one publish button (home-2026-11-20.html).
    dialog: '[role="dialog"]',
    // "Publish post" / "Publish reply" / "Publish posts" (home-2026-11-20.html, reply-2026-11-20.html).
    postButton: 'button[data-testid="composerPublishBtn"], [data-testid="composerPublishBtn"]',
    // The post being replied to, shown above the editor (reply-2026-11-20.html).
    replyTo: '[aria-label="Expand or collapse the full post you are replying to"]',
    replyAuthorLink: 'a[href^="/profile/"]',
    // Without a link, the author's display name (or handle) is the first text line (reply-2026-11-20.html).
    replyAuthorName: '[dir="auto"]',
    // The navigation's own "Profile" link, /profile/HANDLE: who is signed in when the stored session
    // cannot be read (home-2026-11-20.html).
    profileLink: 'a[aria-label="Profile"][href^="/profile/"]',
  };

  const STORAGE_KEY = 'BSKY_STORAGE';

  // Only session.currentAccount.handle is taken from the stored state; the JWTs next to it are never read.
  function currentHandle(doc) {
    const win = doc.defaultView;
    let raw = null;
    try {
      raw = win && win.localStorage ? win.localStorage.getItem(STORAGE_KEY) : null;
    } catch (e) {
      return null; // storage blocked for this origin
    }
    if (!raw) return null;
    try {
      const session = JSON.parse(raw).session;
      const handle = session && session.currentAccount && session.currentAccount.handle;
      return handle ? String(handle) : null;
    } catch (e) {
      return null;
    }
  }

  // The composer around an editor: its dialog, or the page when the composer is a page of its own
  // (/intent/compose on narrow screens).
  function composer(editor) {
    return editor.closest(selectors.dialog) || editor.ownerDocument;
  }

  function postButton(editor) {
    return composer(editor).querySelector(selectors.postButton) || R.nearest(editor, selectors.postButton);
  }

  OnRecordSites.register({
    id: 'bluesky',
    selectors,

    detect(location) {
      return /(^|\.)bsky\.app$/i.test(location.hostname);
    },

    findEditors(root) {
      return R.all(root, selectors.editor);
    },

    editorKind() {
      return 'prosemirror';
    },

    readText(editor) {
      return R.blockText(editor);
    },

    findPostButton(editor) {
      return postButton(editor);
    },

    isSendKey() {
      return false; // Bluesky sends by its button and Ctrl/Cmd+Enter
    },

    account(document) {
      const link = document.querySelector(selectors.profileLink);
      const fromNav = link && /^\/profile\/([^/?#]+)/.exec(link.getAttribute('href'));
      const handle = currentHandle(document) || (fromNav ? R.decode(fromNav[1]) : null);
      return handle ? { handle: `@${handle.replace(/^@/, '')}` } : null;
    },

    context(editor) {
      const button = postButton(editor);
      if (button && /reply|replies/i.test(button.getAttribute('aria-label') || button.textContent)) return 'reply';
      return composer(editor).querySelector(selectors.replyTo) ? 'reply' : 'post';
    },

    replyTo(editor) {
      const shown = composer(editor).querySelector(selectors.replyTo);
      if (!shown) return null;
      const link = shown.querySelector(selectors.replyAuthorLink);
      const m = link && /^\/profile\/([^/?#]+)/.exec(link.getAttribute('href'));
      if (m) return `@${R.decode(m[1])}`;
      // Without a link the composer shows the display name, or the handle when there is none.
      const name = shown.querySelector(selectors.replyAuthorName);
      const text = R.squash(name ? name.textContent : '');
      return text ? (/^[\w.-]+\.[a-z]{2,}$/i.test(text) ? `@${text}` : text) : null;
    },

    anchor(editor) {
      // TipTap's EditorContent wrapper holds only the ProseMirror element; the card follows it.
      return editor.parentElement || editor;
    },
  });
})();
