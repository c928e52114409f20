// Mastodon, on any instance: the web UI is recognised by its markup, not its host name. The account is
// meta.me of #initial-state, looked up in its accounts; the access token there is never read.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The web app's root and its initial state (home-2026-11-20.html #mastodon, script#initial-state).
    appRoot: '#mastodon[data-props], #mastodon',
    initialState: 'script#initial-state',
    // The compose box: a React-controlled textarea in .compose-form (home-2026-11-20.html).
    editor: '.compose-form textarea.autosuggest-textarea__textarea, .compose-form textarea:not(.spoiler-input__input)',
    form: '.compose-form',
    // The publish button: .compose-form__submit in 4.2 and later, .compose-form__publish before
    // (home-2026-11-20.html has the 4.2+ markup).
    postButton: '.compose-form__submit button, .compose-form__publish button, .compose-form__publish-button-wrapper button, ' +
      'button[type="submit"]',
    // Replying: the reply indicator above the box, linking to the author as /@acct (home-2026-11-20.html).
    replyIndicator: '.reply-indicator',
    replyAccount: '.display-name__account',
    replyLink: 'a[href*="/@"]',
    // Editing a post: the edit indicator (home-2026-11-20.html, added by the edit test).
    editIndicator: '.edit-indicator',
    // The compose column's own avatar link, /@acct: who is signed in when #initial-state has no "me"
    // (home-2026-11-20.html .navigation-bar).
    ownLink: '.navigation-bar a[href^="/@"], .navigation-bar__profile a[href^="/@"]',
    // The card goes after the textarea's wrapper, above the footer's buttons (home-2026-11-20.html).
    box: '.autosuggest-textarea, .compose-form__highlightable',
  };

  // Only the two fields we need are taken from the parsed state: who "me" is and the instance's domain.
  function me(doc) {
    const script = doc.querySelector(selectors.initialState);
    if (!script) return null;
    let state;
    try {
      state = JSON.parse(script.textContent);
    } catch (e) {
      return null;
    }
    const meta = (state && state.meta) || {};
    const id = meta.me;
    const acct = id && state.accounts && state.accounts[id];
    if (!acct || !acct.acct) return null;
    const domain = meta.domain || (doc.location && doc.location.hostname) || '';
    return {
      acct: String(acct.acct),
      domain: String(domain).toLowerCase(),
      name: acct.display_name || null,
    };
  }

  function fullHandle(acct, domain) {
    const bare = acct.replace(/^@/, '');
    return bare.includes('@') || !domain ? `@${bare}` : `@${bare}@${domain}`;
  }

  OnRecordSites.register({
    id: 'mastodon',
    selectors,

    detect(location, document) {
      return Boolean(document.querySelector(selectors.initialState) && document.querySelector(selectors.appRoot)) ||
        Boolean(document.querySelector(selectors.appRoot) && document.querySelector(selectors.form));
    },

    findEditors(root) {
      return R.all(root, selectors.editor);
    },

    editorKind() {
      return 'textarea';
    },

    readText(editor) {
      return R.fieldText(editor);
    },

    findPostButton(editor) {
      const form = editor.closest(selectors.form);
      return form ? form.querySelector(selectors.postButton) : null;
    },

    isSendKey() {
      return false; // Mastodon sends by its button, the form's submit, or Ctrl/Cmd+Enter
    },

    account(document) {
      const who = me(document);
      if (who) return { handle: fullHandle(who.acct, who.domain), name: who.name || undefined };
      const link = document.querySelector(selectors.ownLink);
      const m = link && /^\/@([^/?#]+)/.exec(link.getAttribute('href'));
      return m ? { handle: fullHandle(R.decode(m[1]), document.location ? document.location.hostname : '') } : null;
    },

    context(editor) {
      const form = editor.closest(selectors.form);
      if (form && form.querySelector(selectors.editIndicator)) return 'edit';
      if (form && form.querySelector(selectors.replyIndicator)) return 'reply';
      return 'post';
    },

    replyTo(editor) {
      const form = editor.closest(selectors.form);
      const indicator = form && form.querySelector(selectors.replyIndicator);
      if (!indicator) return null;
      const doc = editor.ownerDocument;
      const who = me(doc);
      const domain = (who && who.domain) || (doc.location ? doc.location.hostname : '');
      const account = indicator.querySelector(selectors.replyAccount);
      if (account && R.squash(account.textContent)) return fullHandle(R.squash(account.textContent), domain);
      const link = indicator.querySelector(selectors.replyLink);
      const m = link && /\/@([^/?#]+)/.exec(link.getAttribute('href'));
      return m ? fullHandle(R.decode(m[1]), domain) : null;
    },

    anchor(editor) {
      return editor.closest(selectors.box) || editor.parentElement;
    },
  });
})();
