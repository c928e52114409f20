// LinkedIn: the share box (a Quill editor in the "Create a post" modal), comments and replies under posts,
// recommendations (context "reference"), and posting as yourself or as a Page you administer.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The share box's Quill editor inside the "Create a post" modal (feed-2026-11-20.html #share-modal).
    shareEditor: '.share-creation-state .ql-editor[contenteditable="true"], ' +
      '.share-creation-state div[role="textbox"][contenteditable="true"]',
    // The share modal's body; "Edit post" reuses it with another heading (feed-2026-11-20.html).
    shareState: '.share-creation-state',
    // Comment and reply boxes under a post: Quill again, in .comments-comment-box / .comments-comment-texteditor
    // (feed-2026-11-20.html: one comment box, one reply box).
    commentEditor: '.comments-comment-box .ql-editor[contenteditable="true"], ' +
      '.comments-comment-texteditor .ql-editor[contenteditable="true"], ' +
      '.comments-comment-box div[role="textbox"][contenteditable="true"], ' +
      '.comments-comment-texteditor div[role="textbox"][contenteditable="true"]',
    commentBox: '.comments-comment-box, .comments-comment-texteditor',
    // A reply to a comment: the box carries --reply or sits in a comment's replies (feed-2026-11-20.html).
    replyBox: '.comments-comment-box--reply, .comments-reply-item, .comments-comment-item__nested-items, ' +
      '.comments-comment-entity__nested-items',
    // The recommendation form: a modal with a textarea (or Quill box) at /in/NAME/edit/forms/recommendation/
    // (recommendation-2026-11-20.html).
    recommendationDialog: '[role="dialog"], .artdeco-modal',
    recommendationEditor: 'textarea, .ql-editor[contenteditable="true"], div[role="textbox"][contenteditable="true"]',
    // Any other Quill or textbox editor on LinkedIn (a post's page, an article's comments): found by the
    // editor's own markup, with the box around it deciding what it is (feed-2026-11-20.html).
    anyEditor: '.ql-editor[contenteditable="true"], div[role="textbox"][contenteditable="true"]',
    // Messaging and search are not posts (feed-2026-11-20.html has neither open; see the test).
    notPosts: '.msg-form, .msg-overlay-conversation-bubble, .search-global-typeahead, [data-view-name="search"]',
    // The share modal's "Post" button (feed-2026-11-20.html .share-actions__primary-action).
    shareButton: 'button.share-actions__primary-action',
    // The comment box's submit button: "Post", or "Comment" in the 2024 redesign (--cr) (feed-2026-11-20.html).
    commentButton: 'button[class*="comments-comment-box__submit-button"]',
    // The recommendation modal's primary action, "Send" (recommendation-2026-11-20.html).
    modalPrimary: '.artdeco-modal__actionbar button.artdeco-button--primary, [role="dialog"] footer button.artdeco-button--primary',
    // The signed-in member's profile link in the feed's identity card (feed-2026-11-20.html .feed-identity-module),
    // or, in the redesign whose class names are generated, the navigation's own profile link
    // (sharing-compose-quill-2026-12-03.html, feed-quill-2026-12-03.html: "View profile of Raj Mehta" under
    // nav "Primary Navigation").
    meLink: '.feed-identity-module a[href*="/in/"], .profile-card-member-details a[href*="/in/"], ' +
      '.global-nav__me a[href*="/in/"], header nav a[href*="/in/"]',
    // The member's name: the nav "Me" photo's alt text (feed-2026-11-20.html .global-nav__me-photo), or the
    // photo in the navigation's profile link (sharing-compose-quill-2026-12-03.html, feed-quill-2026-12-03.html).
    meName: 'img.global-nav__me-photo, header nav a[href*="/in/"] img[alt]',
    // The redesigned share dialog (sharing-compose-quill-2026-12-03.html at /sharing/compose/, and
    // feed-quill-2026-12-03.html, where "Start a post" renders it over the feed into the modal outlet only
    // when clicked): a role=dialog holding the editor; its actor button is labelled "NAME, Post to Anyone".
    shareDialog: '[role="dialog"]',
    dialogActor: 'button[aria-label*=", post to" i]',
    // Who the share box posts as: its actor button, "NAME, Post to Anyone" (feed-2026-11-20.html,
    // company-admin-2026-11-20.html).
    shareActor: '.share-unified-settings-entry-button, .share-creation-state__member-info button[aria-label]',
    // The identity switcher next to a comment box: its image alt is who the comment will be posted as
    // (feed-2026-11-20.html, company-admin-2026-11-20.html).
    commentActor: 'button[aria-label*="switching identity" i] img[alt], .comments-comment-box__actor-toggle img[alt]',
    // A Page's admin view: the company name heading (company-admin-2026-11-20.html).
    pageName: '.org-top-card-primary-content__title, .org-admin-top-card__name, .org-page-navigation__title, h1',
    // The post being commented on and its author's profile or company link (feed-2026-11-20.html).
    post: '.feed-shared-update-v2, [data-urn*="urn:li:activity"], [data-id*="urn:li:activity"]',
    postAuthor: '.update-components-actor__meta-link, .update-components-actor__container a[href*="/in/"], ' +
      '.update-components-actor__container a[href*="/company/"], .feed-shared-actor__container-link',
    // In the feed whose class names are generated, the post's actor link by its data-view-name, else the
    // post's first profile or company link, which is its author's (feed-quill-2026-12-03.html).
    postActor: 'a[data-view-name="feed-actor-image"], a[href*="/in/"], a[href*="/company/"]',
    // The card goes after the editor's container, below the text (feed-2026-11-20.html).
    editorContainer: '.share-creation-state__text-editor, .editor-container, .comments-comment-box__form, ' +
      '.comments-comment-texteditor',
  };

  // The words LinkedIn's send buttons use.
  const SEND_LABEL = /^(post|publish|comment|reply|send|save)$/i;
  const RECOMMENDATION_PATH = /\/recommendation(s)?\//i;
  const RECOMMEND_HEADING = /recommend/i;

  function slugFromHref(href) {
    const m = /\/(in|company)\/([^/?#]+)/.exec(href || '');
    return m ? R.decode(m[2]) : null;
  }

  function inRecommendation(editor) {
    const loc = editor.ownerDocument.location;
    const dialog = editor.closest(selectors.recommendationDialog);
    const heading = dialog && dialog.querySelector('h1, h2, h3');
    return RECOMMENDATION_PATH.test(loc ? loc.pathname : '') || Boolean(heading && RECOMMEND_HEADING.test(heading.textContent));
  }

  function recommendationEditors(root) {
    const doc = root.ownerDocument || root;
    const onForm = doc.location && RECOMMENDATION_PATH.test(doc.location.pathname);
    return R.all(root, selectors.recommendationDialog)
      .filter((d) => onForm || RECOMMEND_HEADING.test((d.querySelector('h1, h2, h3') || {}).textContent || ''))
      .flatMap((d) => R.all(d, selectors.recommendationEditor));
  }

  function ownProfile(doc) {
    const link = doc.querySelector(selectors.meLink);
    const img = doc.querySelector(selectors.meName);
    const name = img ? img.getAttribute('alt') : (link ? R.squash(link.textContent) : null);
    return { handle: link ? slugFromHref(link.getAttribute('href')) : null, name: name || null };
  }

  // On a Page's admin view (/company/ID/admin/...) whatever is posted goes out as that Page.
  function adminPage(doc) {
    const m = /^\/company\/([^/]+)\/admin(\/|$)/.exec(doc.location ? doc.location.pathname : '');
    if (!m) return null;
    const heading = doc.querySelector(selectors.pageName);
    return { handle: R.decode(m[1]), name: heading ? R.squash(heading.textContent) : null, asPage: true };
  }

  // Who this editor posts as, when the box says: the comment identity switcher's image, or the share
  // box's actor button ("NAME, Post to Anyone").
  function actorOf(editor) {
    if (editor.closest(selectors.commentBox)) {
      const img = R.nearest(editor, selectors.commentActor, 8);
      return img ? img.getAttribute('alt') : null;
    }
    const state = editor.closest(selectors.shareState);
    const dialog = shareDialogOf(editor);
    const button = (state && state.querySelector(selectors.shareActor)) || (dialog && dialog.querySelector(selectors.dialogActor));
    if (!button) return null;
    const label = button.getAttribute('aria-label');
    return label ? label.split(',')[0] : R.squash(button.firstElementChild ? button.firstElementChild.textContent : '');
  }

  // The share dialog of the redesign around this editor: a dialog that is not a recommendation form.
  function shareDialogOf(editor) {
    if (editor.closest(selectors.shareState) || editor.closest(selectors.commentBox) || inRecommendation(editor)) return null;
    return editor.closest(selectors.shareDialog);
  }

  // The button that sends this editor's text, found from the editor now.
  function postButton(editor) {
    if (editor.closest(selectors.shareState)) return R.nearest(editor, selectors.shareButton);
    if (editor.closest(selectors.commentBox)) {
      const form = editor.closest('form');
      return (form && form.querySelector(selectors.commentButton)) || R.nearest(editor, selectors.commentButton, 8);
    }
    const share = shareDialogOf(editor);
    // The redesign's Post button has generated classes only: it is the dialog's button that says "Post".
    if (share) return R.byText(share, 'button', SEND_LABEL);
    const dialog = editor.closest(selectors.recommendationDialog);
    if (dialog) return dialog.querySelector(`${selectors.modalPrimary}, ${selectors.shareButton}`);
    // Markup without a known box: the nearest button that says what it sends.
    for (let node = editor.parentElement, depth = 0; node && depth < 8; node = node.parentElement, depth++) {
      const hit = R.byText(node, 'button', SEND_LABEL);
      if (hit) return hit;
    }
    return null;
  }

  // What the editor posts: a post (or an edit of one), a comment, a reply or a reference.
  function contextOf(editor) {
    if (inRecommendation(editor)) return 'reference';
    const state = editor.closest(selectors.shareState) || shareDialogOf(editor);
    if (state) {
      const dialog = state.closest('[role="dialog"], .artdeco-modal') || state;
      const heading = dialog.querySelector('h1, h2');
      return heading && /^\s*edit/i.test(heading.textContent) ? 'edit' : 'post';
    }
    if (editor.closest(selectors.replyBox)) return 'reply';
    if (editor.closest(selectors.commentBox)) return 'comment';
    // Markup without a known box: what its send button says.
    const button = postButton(editor);
    const label = button ? R.squash(button.getAttribute('aria-label') || button.textContent) : '';
    if (/^reply/i.test(label)) return 'reply';
    return /^comment/i.test(label) ? 'comment' : 'post';
  }

  OnRecordSites.register({
    id: 'linkedin',
    selectors,

    detect(location) {
      return /(^|\.)linkedin\.com$/i.test(location.hostname);
    },

    findEditors(root) {
      const found = new Set([...R.all(root, selectors.shareEditor), ...R.all(root, selectors.commentEditor),
        ...recommendationEditors(root), ...R.all(root, selectors.anyEditor)]);
      // A Quill container's textbox is its .ql-editor; never count an editor twice or one inside another.
      return Array.from(found).filter((e) => !e.closest(selectors.notPosts) &&
        !Array.from(found).some((other) => other !== e && other.contains(e)));
    },

    editorKind(editor) {
      if (editor.tagName === 'TEXTAREA') return 'textarea';
      return editor.classList.contains('ql-editor') ? 'quill' : 'contenteditable';
    },

    readText(editor) {
      return R.fieldText(editor);
    },

    findPostButton(editor) {
      return postButton(editor);
    },

    isSendKey() {
      return false; // LinkedIn sends only by its buttons (and Ctrl/Cmd+Enter, which core handles)
    },

    account(document, editor) {
      const own = ownProfile(document);
      const page = adminPage(document);
      const actorName = editor ? actorOf(editor) : null;
      if (actorName && own.name && R.squash(actorName) !== R.squash(own.name)) {
        // The comment identity switcher is set to a Page the member manages.
        return page && page.name === R.squash(actorName) ? page : { handle: R.squash(actorName), name: R.squash(actorName), asPage: true };
      }
      if (page) return page;
      if (!own.handle && !own.name) return null;
      return { handle: own.handle || own.name, name: own.name || undefined, asPage: false };
    },

    context(editor) {
      return contextOf(editor);
    },

    replyTo(editor) {
      if (inRecommendation(editor)) {
        const loc = editor.ownerDocument.location;
        return slugFromHref(loc ? loc.pathname : '');
      }
      // A comment or reply answers the post's author: in a known comment box, or, in markup the adapter has
      // no name for, when the box's own button says it comments or replies.
      if (!editor.closest(selectors.commentBox) && (shareDialogOf(editor) || !/^(comment|reply)$/.test(contextOf(editor)))) return null;
      const post = editor.closest(selectors.post);
      const author = post && (post.querySelector(selectors.postAuthor) || post.querySelector(selectors.postActor));
      return author ? slugFromHref(author.getAttribute('href')) : null;
    },

    anchor(editor) {
      return editor.closest(selectors.editorContainer) || editor.parentElement;
    },
  });
})();
