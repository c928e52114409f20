'use strict';
// X (Twitter): the home box, replies, quotes, the compose modal and threads. Its editors are Draft.js.
OnRecordSites.register({
  id: 'x',

  detect(location) {
    return /(^|\.)(x|twitter)\.com$/.test(location.hostname);
  },

  selectors: {
    // The Draft.js editor of a post, reply, quote or each part of a thread ("tweetTextarea_0", "_1", ...),
    // without its wrapping <label data-testid="tweetTextarea_0_label">. Fixtures: x/home-2026-11-20.html
    // (home box, the reply modal, a thread in the compose modal), x/status-2026-11-20.html (inline reply).
    editor: '[data-testid^="tweetTextarea_"][contenteditable="true"]:not([data-testid$="_label"])',
    // The label that wraps each editor: the card goes right after it, under the text. Same fixtures.
    editorLabel: '[data-testid^="tweetTextarea_"][data-testid$="_label"]',
    // Draft.js blocks: one per paragraph. Same fixtures.
    block: '[data-block="true"]',
    // The send button: "tweetButtonInline" in the home box and inline replies, "tweetButton" in the
    // compose and reply modals ("Post", "Reply", "Post all"). Same fixtures.
    postButton: '[data-testid^="tweetButton"]',
    // The modal layer of the compose, reply and quote dialogs. Fixture: x/home-2026-11-20.html.
    dialog: '[role="dialog"]',
    // The account switcher at the bottom of the side navigation, holding the name and @handle.
    // Fixtures: all x/ pages.
    accountSwitcher: '[data-testid="SideNav_AccountSwitcher_Button"]',
    // The avatar beside a compose box and in the account switcher, whose test id ends with the
    // posting handle. All x/ pages.
    composerAvatar: '[data-testid^="UserAvatar-Container-"]',
    // A post in a timeline or conversation and its author line. x/status-2026-11-20.html.
    tweet: 'article[data-testid="tweet"]',
    userName: '[data-testid="User-Name"]',
  },

  findEditors(root) {
    return Array.from(root.querySelectorAll(this.selectors.editor));
  },

  editorKind() {
    return 'draftjs';
  },

  readText(editor) {
    const blocks = editor.querySelectorAll(this.selectors.block);
    if (!blocks.length) return editor.textContent || '';
    return Array.from(blocks, (b) => b.textContent.replace(/\u200b/g, '')).join('\n');
  },

  // The compose box's own container: the nearest ancestor that also holds a send button.
  composer(editor) {
    for (let node = editor.parentElement; node; node = node.parentElement) {
      if (node.querySelector(this.selectors.postButton)) return node;
    }
    return null;
  },

  findPostButton(editor) {
    const box = this.composer(editor);
    return box ? box.querySelector(this.selectors.postButton) : null;
  },

  isSendKey() {
    return false; // Ctrl/Cmd+Enter, which core handles, is X's only keyboard send.
  },

  account(document, editor) {
    const switcher = document.querySelector(this.selectors.accountSwitcher);
    if (switcher) {
      const handle = (switcher.textContent.match(/@[A-Za-z0-9_]{1,15}/) || [])[0];
      if (handle) {
        const name = Array.from(switcher.querySelectorAll('span'))
          .map((s) => s.textContent.trim()).find((t) => t && !t.startsWith('@') && !t.includes('@'));
        return name ? { handle, name } : { handle };
      }
      // A collapsed side navigation shows only the avatar, whose test id still names the account.
      const own = switcher.querySelector(this.selectors.composerAvatar);
      const id = own && own.getAttribute('data-testid').slice('UserAvatar-Container-'.length);
      if (id) return { handle: `@${id}` };
    }
    // The avatar sits beside the box's column, a level or two above the nearest container of the button.
    let avatar = null;
    for (let node = editor && this.composer(editor), up = 0; node && !avatar && up < 3; node = node.parentElement, up++) {
      avatar = node.querySelector(this.selectors.composerAvatar);
    }
    if (avatar) {
      const id = avatar.getAttribute('data-testid').slice('UserAvatar-Container-'.length);
      if (id) return { handle: `@${id}` };
    }
    return null;
  },

  context(editor) {
    return this.replyTo(editor) || this.isReplyBox(editor) ? 'reply' : 'post';
  },

  isReplyBox(editor) {
    const button = this.findPostButton(editor);
    return !!button && /^\s*Reply\s*$/i.test(button.textContent);
  },

  replyTo(editor) {
    const scope = editor.closest(this.selectors.dialog) || this.composer(editor) || editor.ownerDocument;
    // "Replying to @guardian" above the reply box.
    for (const node of scope.querySelectorAll('div, span')) {
      if (node.childElementCount && /^\s*Replying to\b/.test(node.textContent) && node.querySelector('a')) {
        const link = Array.from(node.querySelectorAll('a')).find((a) => /^@/.test(a.textContent.trim()));
        if (link) return link.textContent.trim();
      }
    }
    // An inline reply on a post's own page answers the post just above it.
    if (this.isReplyBox(editor)) {
      const tweets = Array.from(editor.ownerDocument.querySelectorAll(this.selectors.tweet))
        .filter((t) => t.compareDocumentPosition(editor) & 4 /* editor follows */);
      const focal = tweets[tweets.length - 1];
      const author = focal && focal.querySelector(this.selectors.userName);
      const handle = author && (author.textContent.match(/@[A-Za-z0-9_]{1,15}/) || [])[0];
      if (handle) return handle;
    }
    return null;
  },

  anchor(editor) {
    return editor.closest(this.selectors.editorLabel) || editor.closest('.DraftEditor-root') || editor;
  },
});
