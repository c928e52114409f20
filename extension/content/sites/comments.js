// News comment boxes, as site "comments" with the news domain as the reply target: the Guardian's own
// discussion, and Disqus, which runs in its iframe (disqus.com/embed/comments) on many news sites.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The Guardian's comment box: a React textarea (guardian-2026-11-20.html data-testid="comment-input");
    // the older discussion app's .d-comment-box__body.
    guardianEditor: 'textarea[data-testid="comment-input"], textarea.d-comment-box__body',
    // Its "Post your comment" submit button (guardian-2026-11-20.html data-link-name="post comment").
    guardianButton: 'button[type="submit"][data-link-name="post comment"], button.d-comment-box__submit, button[type="submit"]',
    // A reply form sits inside the comment being replied to (guardian-2026-11-20.html, the reply test).
    guardianReply: '[data-component="comment-reply-form"], .d-comment-box--response, li[data-testid^="comment-"] form',
    // The signed-in commenter, shown by the comment box's meta line (guardian-2026-11-20.html
    // .d-comment-box__author).
    guardianUser: '.d-comment-box__author',
    // Disqus's editor: a contenteditable .textarea (disqus-embed-2026-11-20.html, data-role="editable").
    disqusEditor: '.textarea[contenteditable="true"][data-role="editable"], .textarea-wrapper .textarea[contenteditable="true"]',
    // Disqus's "Post" / "Post as ..." button in the same form (disqus-embed-2026-11-20.html).
    disqusButton: 'button.post-action__button[type="submit"], .post-actions button[type="submit"], button[type="submit"]',
    // A Disqus reply form is inside the post being replied to (li.post) (disqus-embed-2026-11-20.html).
    disqusReply: 'li.post',
    // The box's wrapper: the card goes after it, above the form's buttons (disqus-embed-2026-11-20.html).
    disqusBox: '.textarea-wrapper, .textarea-outer-wrapper',
    // The signed-in Disqus user in the thread's user menu, not the authors of comments, whose names carry
    // data-role="username" too (disqus-embed-2026-11-20.html).
    disqusUser: '.user-menu [data-role="username"], .user-menu .username, .nav-tab--secondary .dropdown-toggle .username',
  };

  const GUARDIAN = /(^|\.)theguardian\.com$/i;
  const DISQUS = /(^|\.)disqus\.com$/i;

  function isDisqus(doc) {
    const loc = doc.location;
    return Boolean(loc && DISQUS.test(loc.hostname) && /^\/embed\/comments/.test(loc.pathname));
  }

  // The news site embedding Disqus: the thread URL (t_u) or the host page (t_d's page, then referrer).
  function embeddingDomain(doc) {
    const loc = doc.location;
    const params = new URLSearchParams(loc ? loc.search : '');
    for (const key of ['t_u', 'base_url']) {
      const host = params.get(key) && R.bareHost(params.get(key));
      if (host && !DISQUS.test(host)) return host;
    }
    const base = params.get('base');
    if (base && /\./.test(base)) return R.bareHost(/^https?:/.test(base) ? base : `https://${base}`);
    const ref = doc.referrer && R.bareHost(doc.referrer);
    return ref && !DISQUS.test(ref) ? ref : null;
  }

  function buttonFor(editor) {
    const form = editor.closest('form');
    const scope = form || editor.parentElement;
    const selector = editor.tagName === 'TEXTAREA' ? selectors.guardianButton : selectors.disqusButton;
    return (scope && scope.querySelector(selector)) || R.nearest(editor, selector, 6);
  }

  OnRecordSites.register({
    id: 'comments',
    selectors,

    detect(location) {
      return GUARDIAN.test(location.hostname) ||
        (DISQUS.test(location.hostname) && /^\/embed\/comments/.test(location.pathname));
    },

    findEditors(root) {
      const doc = root.ownerDocument || root;
      return R.all(root, isDisqus(doc) ? selectors.disqusEditor : selectors.guardianEditor);
    },

    editorKind(editor) {
      return editor.tagName === 'TEXTAREA' ? 'textarea' : 'contenteditable';
    },

    readText(editor) {
      return R.fieldText(editor);
    },

    findPostButton(editor) {
      return buttonFor(editor);
    },

    isSendKey() {
      return false; // both send only by their buttons (and the form's submit)
    },

    account(document) {
      const el = document.querySelector(isDisqus(document) ? selectors.disqusUser : selectors.guardianUser);
      const name = el ? R.squash(el.textContent) : '';
      return name ? { handle: name, name } : null;
    },

    context(editor) {
      const reply = editor.tagName === 'TEXTAREA' ? selectors.guardianReply : selectors.disqusReply;
      return editor.closest(reply) ? 'reply' : 'comment';
    },

    replyTo(editor) {
      const doc = editor.ownerDocument;
      if (isDisqus(doc)) return embeddingDomain(doc);
      return doc.location ? R.bareHost(doc.location.href) : null;
    },

    anchor(editor) {
      // After the box's own wrapper, above the form's buttons.
      if (editor.tagName === 'TEXTAREA') return editor;
      return editor.closest(selectors.disqusBox) || editor.parentElement;
    },
  });
})();
