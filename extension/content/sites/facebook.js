// Facebook: the "Create post" composer and comment and reply boxes, all Lexical editors; posting as
// yourself or as a Page ("Comment as ...", the composer's label); plain Enter sends a comment.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // Every compose box on Facebook is a Lexical editor with role textbox (feed-2026-11-20.html: the
    // composer "What's on your mind, Raj?", a comment box "Comment as Raj Mehta", a reply box).
    editor: 'div[role="textbox"][contenteditable="true"][data-lexical-editor="true"]',
    // The composer dialog ("Create post" / "Edit post") and the comment form (feed-2026-11-20.html).
    dialog: 'div[role="dialog"]',
    commentForm: 'form',
    // The dialog's send button: a div role=button labelled "Post" ("Save" when editing, "Publish" on some
    // Page tools) (feed-2026-11-20.html); posting as a Page it is labelled "Next" and opens "Post settings"
    // (page-composer-lexical-2026-12-03.html).
    dialogButton: 'div[role="button"][aria-label], button[aria-label]',
    // The "Post settings" step of posting as a Page, a dialog of its own whose Post button posts the draft;
    // known by its heading, while it is shown (page-composer-lexical-2026-12-03.html #post-settings).
    dialogHeading: 'h1, h2, [role="heading"]',
    // The comment box's send button: #focused-state-composer-submit, or the "Comment" / "Reply" button
    // beside the box (feed-2026-11-20.html).
    commentButton: '#focused-state-composer-submit, div[role="button"][aria-label="Comment"], ' +
      'div[role="button"][aria-label="Reply"], div[role="button"][aria-label="Post comment"], ' +
      'div[role="button"][aria-label="Post reply"]',
    // The signed-in person: the first entry of the left rail is their own profile, by name
    // (feed-2026-11-20.html [data-pagelet="LeftRail"]).
    ownName: '[data-pagelet="LeftRail"] a[role="link"], div[role="navigation"] a[role="link"][href*="/me/"]',
    // The post a comment belongs to and its author's name link (feed-2026-11-20.html role=article, h3 a).
    article: 'div[role="article"]',
    articleAuthor: '[data-ad-rendering-role="profile_name"] a, h2 a[role="link"], h3 a[role="link"], h4 a[role="link"], ' +
      'h2 strong, h3 strong, h4 strong',
  };

  const COMPOSER_LABEL = /^(what'?s|what’s) on your mind(?:,\s*(.+?))?\?*$/i;
  const AS_LABEL = /^(?:comment|reply|answer|write a comment|write a reply)\s+as\s+(.+?)\s*…?\.*$/i;
  const REPLY_LABEL = /^(?:reply|write a reply)\b/i;
  const COMMENT_LABEL = /comment|reply|answer/i;
  const DIALOG_BUTTON_LABELS = /^(post|save|publish|share now|share|update)$/i;
  const NEXT_LABEL = /^next$/i;
  const POST_SETTINGS = /^post settings$/i;

  function buttonIn(dialog, labels) {
    return Array.from(dialog.querySelectorAll(selectors.dialogButton))
      .find((b) => labels.test(R.squash(b.getAttribute('aria-label')))) || null;
  }

  // The "Post settings" dialog now shown, if any.
  function postSettings(doc) {
    return Array.from(doc.querySelectorAll(selectors.dialog)).find((d) => {
      const heading = d.querySelector(selectors.dialogHeading);
      const name = R.squash(d.getAttribute('aria-label') || (heading && heading.textContent));
      return POST_SETTINGS.test(name) && !d.closest('[hidden], [aria-hidden="true"]');
    }) || null;
  }

  function isComment(editor) {
    return COMMENT_LABEL.test(R.labelOf(editor)) || (!editor.closest(selectors.dialog) && Boolean(editor.closest(selectors.commentForm)));
  }

  function ownName(doc) {
    const link = doc.querySelector(selectors.ownName);
    return link ? R.squash(link.textContent) || null : null;
  }

  OnRecordSites.register({
    id: 'facebook',
    selectors,

    detect(location) {
      return /(^|\.)facebook\.com$/i.test(location.hostname);
    },

    findEditors(root) {
      // Messenger's chat boxes ("Message") are conversations, not posts.
      return R.all(root, selectors.editor).filter((e) => !/^message\b/i.test(R.labelOf(e)));
    },

    editorKind() {
      return 'lexical';
    },

    readText(editor) {
      return R.blockText(editor);
    },

    findPostButton(editor) {
      if (isComment(editor)) {
        const form = editor.closest(selectors.commentForm);
        return (form && form.querySelector(selectors.commentButton)) || R.nearest(editor, selectors.commentButton, 8);
      }
      const dialog = editor.closest(selectors.dialog);
      if (!dialog) return null;
      const own = buttonIn(dialog, DIALOG_BUTTON_LABELS);
      if (own || !buttonIn(dialog, NEXT_LABEL)) return own;
      // Posting as a Page: "Next" only opens "Post settings", and that dialog's Post button posts this draft.
      const settings = postSettings(editor.ownerDocument);
      return settings ? buttonIn(settings, DIALOG_BUTTON_LABELS) : null;
    },

    // A comment goes out on plain Enter (Shift+Enter is a new line); the composer needs its button.
    isSendKey(event, editor) {
      return event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey &&
        !event.isComposing && isComment(editor);
    },

    account(document, editor) {
      const me = ownName(document);
      const label = editor ? R.labelOf(editor) : '';
      const as = AS_LABEL.exec(label);
      if (as) {
        const name = R.squash(as[1]);
        return { handle: name, name, asPage: Boolean(me) && name.toLowerCase() !== me.toLowerCase() };
      }
      const composer = COMPOSER_LABEL.exec(label);
      if (composer && composer[2] && me) {
        // The composer greets the poster by first name; another first name means posting as a Page.
        const first = R.squash(composer[2]);
        if (!me.toLowerCase().startsWith(first.toLowerCase())) return { handle: first, name: first, asPage: true };
      }
      return me ? { handle: me, name: me, asPage: false } : null;
    },

    context(editor) {
      const dialog = editor.closest(selectors.dialog);
      const heading = dialog && dialog.querySelector(selectors.dialogHeading);
      if (heading && /^\s*edit\b/i.test(heading.textContent)) return 'edit';
      if (!isComment(editor)) return 'post';
      return REPLY_LABEL.test(R.labelOf(editor)) ? 'reply' : 'comment';
    },

    replyTo(editor) {
      if (!isComment(editor)) return null;
      const to = /^reply to\s+(.+?)…?$/i.exec(R.labelOf(editor));
      if (to) return R.squash(to[1]);
      const article = editor.closest(selectors.article);
      const author = article && article.querySelector(selectors.articleAuthor);
      return author ? R.squash(author.textContent) || null : null;
    },

    anchor(editor) {
      // Lexical owns everything inside the editor; the card goes after the box's own wrapper.
      return isComment(editor) ? (editor.closest(selectors.commentForm) || editor.parentElement) : editor.parentElement;
    },
  });
})();
