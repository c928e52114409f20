// Threads (threads.net, threads.com): the composer's Lexical editor, in the "New thread" dialog or
// inline under a post for a reply.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The composer: a Lexical contenteditable with role textbox, labelled "Empty text field. Type to
    // compose a new post." (home-2026-11-20.html, two of them once "Add to thread" is used).
    editor: 'div[contenteditable="true"][data-lexical-editor="true"], div[contenteditable="true"][data-lexical-editor]',
    dialog: 'div[role="dialog"]',
    // The send button is a div role=button whose text is "Post" (home-2026-11-20.html).
    button: 'div[role="button"], button',
    // The signed-in user: the nav's profile link, /@username, holding the "Profile" icon
    // (home-2026-11-20.html).
    profileLink: 'a[href^="/@"]',
    profileIcon: 'svg[aria-label]',
    // When the navigation has no profile link (a narrow window, the composer opened from a post): the
    // composer itself names who posts, by the avatar's alt text "USERNAME's profile picture" or the
    // username written above the editor (home-2026-11-20.html, composer-lexical-2026-12-03.html
    // span[dir="auto"] in the composer's column).
    composerAvatar: 'img[alt$="profile picture"]',
    composerName: 'span[dir="auto"]',
  };

  const USERNAME = /^[A-Za-z0-9._]{1,30}$/;

  const SEND_LABEL = /^(post|reply|post all)$/i;

  // The nearest container above the editor that holds the send button, and that button.
  function sendButton(editor) {
    for (let node = editor.parentElement; node; node = node.parentElement) {
      const hit = Array.from(node.querySelectorAll(selectors.button))
        .find((b) => !b.contains(editor) && SEND_LABEL.test(R.squash(b.textContent) || R.squash(b.getAttribute('aria-label'))));
      if (hit) return hit;
      if (node.matches(selectors.dialog)) return null;
    }
    return null;
  }

  function ownUsername(doc) {
    for (const a of doc.querySelectorAll(selectors.profileLink)) {
      const label = a.getAttribute('aria-label') || '';
      const icon = a.querySelector(selectors.profileIcon);
      if (/^profile$/i.test(label) || (icon && /^profile$/i.test(icon.getAttribute('aria-label')))) {
        const m = /^\/@([^/?#]+)/.exec(a.getAttribute('href'));
        if (m) return R.decode(m[1]);
      }
    }
    return null;
  }

  // Who posts, as the composer around this editor names them.
  function composerUsername(editor) {
    for (let node = editor.parentElement, depth = 0; node && depth < 6; node = node.parentElement, depth++) {
      const avatar = node.querySelector(selectors.composerAvatar);
      const m = avatar && /^(.+?)['’]s profile picture$/i.exec(avatar.getAttribute('alt') || '');
      if (m && USERNAME.test(m[1])) return m[1];
      const name = Array.from(node.querySelectorAll(selectors.composerName))
        .find((s) => !editor.contains(s) && (s.compareDocumentPosition(editor) & 4 /* editor follows */) &&
          USERNAME.test(R.squash(s.textContent)));
      if (name) return R.squash(name.textContent);
      if (node.matches(selectors.dialog)) break;
    }
    return null;
  }

  function replyName(editor) {
    const m = /^reply to\s+@?([^\s.…]+(?:\.[^\s.…]+)*)/i.exec(R.labelOf(editor)) ||
      /^reply to\s+@?([^\s.…]+(?:\.[^\s.…]+)*)/i.exec(editor.getAttribute('aria-placeholder') || '');
    return m ? m[1] : null;
  }

  OnRecordSites.register({
    id: 'threads',
    selectors,

    detect(location) {
      return /(^|\.)threads\.(net|com)$/i.test(location.hostname);
    },

    findEditors(root) {
      return R.all(root, selectors.editor);
    },

    editorKind() {
      return 'lexical';
    },

    readText(editor) {
      return R.blockText(editor);
    },

    findPostButton(editor) {
      return sendButton(editor);
    },

    isSendKey() {
      return false; // Threads sends by its button and Ctrl/Cmd+Enter
    },

    account(document, editor) {
      const username = ownUsername(document) || (editor ? composerUsername(editor) : null);
      return username ? { handle: `@${username}` } : null;
    },

    context(editor) {
      if (replyName(editor)) return 'reply';
      const dialog = editor.closest(selectors.dialog);
      const heading = dialog && dialog.querySelector('h1, h2, [role="heading"]');
      if (heading && /^\s*reply/i.test(heading.textContent)) return 'reply';
      if (heading && /^\s*edit/i.test(heading.textContent)) return 'edit';
      return 'post';
    },

    replyTo(editor) {
      const name = replyName(editor);
      return name ? `@${name}` : null;
    },

    anchor(editor) {
      // Lexical owns the editor's children; the card follows the editor's own wrapper.
      return editor.parentElement || editor;
    },
  });
})();
