// WordPress, recognised by its editor's markup on any host: the block editor (Gutenberg), whose
// publishing core holds with lockPostSaving, and the classic editor (#post, #content, #publish).
// Context "blog"; updating a published post is "edit". The account is the blog's host.
(function () {
  'use strict';
  const R = OnRecordRead;

  const selectors = {
    // The block editor's page (gutenberg-2026-11-20.html body.block-editor-page) and its canvas, drawn in
    // place or in the "editor-canvas" iframe; the root block list is the editor.
    gutenbergPage: 'body.block-editor-page, .block-editor, .edit-post-layout, .editor-editor-interface',
    gutenbergRoot: '.block-editor-block-list__layout.is-root-container, .is-root-container.block-editor-block-list__layout',
    // The post title: a rich-text h1 in the canvas (gutenberg-2026-11-20.html).
    gutenbergTitle: '.editor-post-title__input, .editor-post-title, h1.wp-block-post-title',
    // Each paragraph-like block's editable text (gutenberg-2026-11-20.html).
    gutenbergText: '.block-editor-rich-text__editable',
    // "Publish" (or "Update" / "Save" on a published post) in the header, and the pre-publish panel's own
    // button (gutenberg-2026-11-20.html).
    gutenbergPublish: '.editor-post-publish-button, .editor-post-publish-panel__toggle, .editor-post-publish-button__button',
    prePublishButton: '.editor-post-publish-panel .editor-post-publish-button',
    // The classic editor's form, title, text (the Text tab's textarea, or TinyMCE's body in its iframe)
    // and publish button (classic-2026-11-20.html).
    classicForm: 'form#post',
    classicTitle: '#title',
    classicText: 'textarea#content.wp-editor-area, textarea#content',
    tinymceBody: 'body#tinymce.mce-content-body[contenteditable="true"], body#tinymce[contenteditable="true"]',
    // TinyMCE's iframe, and the wrapper's class while the Visual tab shows it (the test adds them to
    // classic-2026-11-20.html).
    tinymceFrame: '#content_ifr',
    visualTab: '#wp-content-wrap.tmce-active',
    classicPublish: '#publish',
    // Where the card goes in the classic editor: after the editor's wrapper (classic-2026-11-20.html).
    classicWrap: '#wp-content-wrap, #postdivrich',
    // The admin bar's account name (both fixtures).
    adminName: '#wp-admin-bar-my-account .display-name',
  };

  // The document of the editor page: the canvas iframe's parent when the blocks are drawn in the iframe.
  function editorPage(doc) {
    let win = doc.defaultView;
    try {
      while (win && win.frameElement && win.parent !== win) win = win.parent;
    } catch (e) { /* a cross-origin parent: the frame's own document is all there is */ }
    return (win && win.document) || doc;
  }

  function isGutenberg(editor) {
    return editor.matches(selectors.gutenbergRoot);
  }

  function isTinymce(editor) {
    return editor.matches(selectors.tinymceBody);
  }

  function publishButton(editor) {
    const page = editorPage(editor.ownerDocument);
    if (isGutenberg(editor)) {
      // With pre-publish checks on (WordPress's default) the header's "Publish" only opens the panel and
      // the panel's button publishes; with them off, or for "Update", the header's button publishes.
      return page.querySelector(selectors.prePublishButton) || page.querySelector(selectors.gutenbergPublish);
    }
    return page.querySelector(selectors.classicPublish);
  }

  OnRecordSites.register({
    id: 'blog',
    selectors,

    detect(location, document) {
      return Boolean(document.querySelector(selectors.gutenbergPage) || document.querySelector(selectors.classicForm) ||
        document.querySelector(selectors.tinymceBody) || document.querySelector(selectors.gutenbergRoot));
    },

    findEditors(root) {
      const found = [...R.all(root, selectors.gutenbergRoot), ...R.all(root, selectors.classicText),
        ...R.all(root, selectors.tinymceBody)];
      // With TinyMCE showing (the Visual tab), its body is the editor and the hidden textarea is not.
      const doc = root.ownerDocument || root;
      const frame = doc.querySelector && doc.querySelector(selectors.tinymceFrame);
      const visual = frame && doc.querySelector(selectors.visualTab);
      return visual ? found.filter((e) => e.id !== 'content') : found;
    },

    editorKind(editor) {
      if (isGutenberg(editor)) return 'gutenberg';
      return isTinymce(editor) ? 'contenteditable' : 'textarea';
    },

    // The title and the body, as a reader sees the post.
    readText(editor) {
      if (isGutenberg(editor)) {
        const canvas = editor.ownerDocument;
        const title = canvas.querySelector(selectors.gutenbergTitle);
        const blocks = R.all(editor, selectors.gutenbergText).map((b) => R.blockText(b));
        return [title ? R.blockText(title) : '', ...blocks].filter((t) => t.trim()).join('\n\n');
      }
      const page = editorPage(editor.ownerDocument);
      const title = page.querySelector(selectors.classicTitle);
      const body = isTinymce(editor) ? R.blockText(editor) : editor.value;
      return [title ? title.value : '', body].filter((t) => t && t.trim()).join('\n\n');
    },

    findPostButton(editor) {
      return publishButton(editor);
    },

    isSendKey() {
      return false; // publishing is by the button (and Gutenberg's shortcuts, which lockPostSaving holds)
    },

    account(document) {
      const page = editorPage(document);
      const loc = page.location;
      let host = loc ? loc.hostname.replace(/^www\./, '').toLowerCase() : '';
      // WordPress.com edits every blog under /post/SITE/ on its own host.
      const hosted = loc && /^wordpress\.com$/.test(host) && /^\/(?:post|page)\/([^/]+)/.exec(loc.pathname);
      if (hosted) host = hosted[1].toLowerCase();
      if (!host) return null;
      const name = page.querySelector(selectors.adminName);
      return { handle: host, name: name ? R.squash(name.textContent) : undefined };
    },

    context(editor) {
      const button = publishButton(editor);
      const label = button ? R.squash(button.value || button.textContent) : '';
      return /^(update|save)$/i.test(label) ? 'edit' : 'blog';
    },

    replyTo() {
      return null;
    },

    anchor(editor) {
      // The block list itself: the card follows the last block, below the text being written.
      if (isGutenberg(editor)) return editor;
      // TinyMCE's body fills its iframe: the card goes after the editor's wrapper in the page around it.
      let frame = null;
      try { frame = isTinymce(editor) ? editor.ownerDocument.defaultView.frameElement : null; } catch (e) { frame = null; }
      const inPage = frame || editor;
      return inPage.closest(selectors.classicWrap) || inPage;
    },
  });
})();
