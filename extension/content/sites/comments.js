// News comment boxes, as site "comments" with the news domain as the reply target: the Guardian's own
// discussion, Disqus, which runs in its iframe (disqus.com/embed/comments) on many news sites, and the
// comment form of WordPress, which many news sites and blogs run on.
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
    // WordPress's comment form: textarea#comment in form#commentform, its #submit, the signed-in line
    // ("Logged in as NAME") or, for a guest, the name field (wordpress-comments-2026-11-20.html).
    wpEditor: 'form#commentform textarea#comment, form.comment-form textarea[name="comment"]',
    wpForm: 'form#commentform, form.comment-form',
    wpButton: '#submit, input[type="submit"], button[type="submit"]',
    wpLoggedIn: '.logged-in-as',
    wpGuestName: 'input#author',
    // Replying moves the form under the comment (li.comment) and sets #comment_parent
    // (wordpress-comments-2026-11-20.html, the reply test).
    wpReply: 'li.comment, .comment-body',
    wpParent: 'input#comment_parent',
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

  // Which of the three comment systems an editor belongs to.
  function systemOf(editor) {
    if (editor.matches(selectors.wpEditor)) return 'wordpress';
    return editor.tagName === 'TEXTAREA' ? 'guardian' : 'disqus';
  }

  function buttonFor(editor) {
    const form = editor.closest('form');
    const scope = form || editor.parentElement;
    const selector = { guardian: selectors.guardianButton, disqus: selectors.disqusButton, wordpress: selectors.wpButton }[systemOf(editor)];
    return (scope && scope.querySelector(selector)) || R.nearest(editor, selector, 6);
  }

  // "Logged in as Raj Mehta. Edit your profile. Log out?" (the wording of every WordPress theme's
  // comment_form()); a guest's name field otherwise.
  function wordpressUser(doc) {
    const line = doc.querySelector(selectors.wpLoggedIn);
    const m = line && /logged in as\s+(.+?)(?:\.\s|\.$|$)/i.exec(R.squash(line.textContent));
    if (m) return R.squash(m[1]);
    const guest = doc.querySelector(selectors.wpGuestName);
    return guest && guest.value ? R.squash(guest.value) : null;
  }

  OnRecordSites.register({
    id: 'comments',
    selectors,

    detect(location, document) {
      return GUARDIAN.test(location.hostname) ||
        (DISQUS.test(location.hostname) && /^\/embed\/comments/.test(location.pathname)) ||
        Boolean(document.querySelector(selectors.wpEditor));
    },

    findEditors(root) {
      const doc = root.ownerDocument || root;
      if (isDisqus(doc)) return R.all(root, selectors.disqusEditor);
      return [...R.all(root, selectors.guardianEditor), ...R.all(root, selectors.wpEditor)];
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
      return false; // each sends only by its button (and the form's submit)
    },

    account(document, editor) {
      const system = editor ? systemOf(editor) : (isDisqus(document) ? 'disqus' : 'guardian');
      let name = null;
      if (system === 'wordpress') {
        name = wordpressUser(document);
      } else {
        const el = document.querySelector(system === 'disqus' ? selectors.disqusUser : selectors.guardianUser);
        name = el ? R.squash(el.textContent) : null;
      }
      return name ? { handle: name, name } : null;
    },

    context(editor) {
      const system = systemOf(editor);
      if (system === 'wordpress') {
        const form = editor.closest(selectors.wpForm);
        const parent = form && form.querySelector(selectors.wpParent);
        return (parent && parent.value && parent.value !== '0') || editor.closest(selectors.wpReply) ? 'reply' : 'comment';
      }
      return editor.closest(system === 'guardian' ? selectors.guardianReply : selectors.disqusReply) ? 'reply' : 'comment';
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
