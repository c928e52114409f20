'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSite, typeInto, plain } = require('./load-site');
const { heldThenFixed } = require('./flow');

const NEW_POST = 'https://rajwrites.example/wp-admin/post-new.php';

function gutenberg(url = NEW_POST) {
  return loadSite('blog', 'gutenberg-2026-11-20.html', url);
}
function classic() {
  return loadSite('blog', 'classic-2026-11-20.html', NEW_POST);
}

test('blog: WordPress is recognised by its editor markup on any host, not elsewhere', () => {
  for (const page of [gutenberg('https://blog.example.org/wp-admin/post.php?post=1&action=edit'), classic()]) {
    assert.equal(page.adapter.detect(page.window.location, page.document), true);
  }
  const other = loadSite('threads', 'home-2026-11-20.html', 'https://www.threads.net/');
  const { adapter } = gutenberg();
  assert.equal(adapter.detect(other.window.location, other.document), false);
});

test('blog: the block editor is one editor, kind gutenberg, context blog, account the blog host', () => {
  const { adapter, document } = gutenberg();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  const [editor] = editors;
  assert.equal(adapter.editorKind(editor), 'gutenberg');
  assert.equal(adapter.context(editor), 'blog');
  assert.equal(adapter.replyTo(editor), null);
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: 'rajwrites.example', name: 'Raj Mehta' });
});

test('blog: reads the title and every block, as the post will read', () => {
  const { adapter, window, document } = gutenberg();
  const [editor] = adapter.findEditors(document);
  typeInto(window, document.querySelector('.editor-post-title__input'), 'Commissioning update');
  typeInto(window, editor.querySelector('.block-editor-rich-text__editable'), 'Our framework goes live.');
  assert.equal(adapter.readText(editor), 'Commissioning update\n\nOur framework goes live.');
  assert.equal(window.wp.data.select('core/block-editor').getBlocks()[0].attributes.content, 'Our framework goes live.');
  // Text added through the block API lands in a new block that readText sees.
  const block = window.wp.blocks.createBlock('core/paragraph', { content: 'Views my own.' });
  window.wp.data.dispatch('core/block-editor').insertBlocks(block);
  assert.equal(adapter.readText(adapter.findEditors(document)[0]), 'Commissioning update\n\nOur framework goes live.\n\nViews my own.');
});

test('blog: Publish is the button; lockPostSaving holds it as Gutenberg does', () => {
  const { adapter, window, document } = gutenberg();
  const [editor] = adapter.findEditors(document);
  const button = adapter.findPostButton(editor);
  assert.ok(button.matches('.editor-post-publish-button'));
  window.wp.data.dispatch('core/editor').lockPostSaving('onrecord');
  assert.equal(button.getAttribute('aria-disabled'), 'true');
  button.click();
  assert.deepEqual(plain(window.__posted), []);
  window.wp.data.dispatch('core/editor').unlockPostSaving('onrecord');
  button.click();
  assert.equal(window.__posted.length, 1);
});

test('blog: updating a published post is context edit', () => {
  const { adapter, document } = gutenberg();
  document.querySelector('.editor-post-publish-button').textContent = 'Update';
  assert.equal(adapter.context(adapter.findEditors(document)[0]), 'edit');
});

test('blog: the card goes after the blocks, below the text being written', () => {
  const { adapter, document } = gutenberg();
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.anchor(editor), editor);
  assert.ok(editor.matches('.is-root-container'));
});

test('blog: the canvas iframe: editor found in the frame, button and account from the page', () => {
  const { adapter, document } = gutenberg();
  // WordPress 6.3+ draws the blocks in an "editor-canvas" iframe of the same origin.
  const frame = document.createElement('iframe');
  frame.name = 'editor-canvas';
  document.querySelector('.edit-post-visual-editor').appendChild(frame);
  const canvas = frame.contentDocument;
  canvas.body.innerHTML = document.querySelector('.editor-styles-wrapper').outerHTML;
  document.querySelector('.editor-styles-wrapper').remove();
  const [editor] = adapter.findEditors(canvas);
  assert.ok(editor);
  assert.ok(adapter.findPostButton(editor).matches('.editor-post-publish-button'));
  assert.equal(adapter.account(canvas, editor).handle, 'rajwrites.example');
});

test('blog: the classic editor: the content textarea, #publish, title and text read together', () => {
  const { adapter, window, document } = classic();
  const editors = adapter.findEditors(document);
  assert.equal(editors.length, 1);
  const [editor] = editors;
  assert.equal(adapter.editorKind(editor), 'textarea');
  assert.equal(adapter.context(editor), 'blog');
  assert.equal(adapter.findPostButton(editor).id, 'publish');
  document.getElementById('title').value = 'Commissioning update';
  typeInto(window, editor, 'Our framework goes live.');
  assert.equal(adapter.readText(editor), 'Commissioning update\n\nOur framework goes live.');
  assert.ok(adapter.anchor(editor).matches('#wp-content-wrap'));
  assert.deepEqual(plain(adapter.account(document, editor)), { handle: 'rajwrites.example', name: 'Raj Mehta' });
});

test('blog: WordPress.com names the blog in the path', () => {
  const { adapter, document } = gutenberg('https://wordpress.com/post/rajwrites.wordpress.com/12');
  assert.equal(adapter.account(document).handle, 'rajwrites.wordpress.com');
});

test('blog: Gutenberg publishing is locked until the disclaimer goes in as a block, then published', async () => {
  await heldThenFixed({
    site: 'blog', file: 'gutenberg-2026-11-20.html', url: NEW_POST,
    typeTarget: (root) => root.querySelector('.block-editor-rich-text__editable'),
    expect: { account: 'rajwrites.example', context: 'blog', reply_to: null }, locked: true,
  });
});

test('blog: the classic editor\'s Publish is held until the disclaimer goes in, then published', async () => {
  await heldThenFixed({
    site: 'blog', file: 'classic-2026-11-20.html', url: NEW_POST,
    expect: { account: 'rajwrites.example', context: 'blog', reply_to: null },
  });
});

test('blog: with pre-publish checks on, the panel\'s Publish is the one that sends', () => {
  const { adapter, document } = gutenberg();
  const header = document.querySelector('.editor-post-publish-button');
  header.className = 'components-button editor-post-publish-panel__toggle editor-post-publish-button__button is-primary';
  const [editor] = adapter.findEditors(document);
  assert.equal(adapter.findPostButton(editor), header);
  document.body.insertAdjacentHTML('beforeend', '<div class="editor-post-publish-panel"><div class="editor-post-publish-panel__header">' +
    '<button type="button" class="components-button editor-post-publish-button editor-post-publish-button__button is-primary">Publish</button></div></div>');
  assert.ok(adapter.findPostButton(editor).closest('.editor-post-publish-panel'));
});

test('blog: the classic editor\'s Visual tab: TinyMCE\'s body in its iframe is the editor', () => {
  const { adapter, document } = classic();
  const wrap = document.getElementById('wp-content-wrap');
  wrap.classList.replace('html-active', 'tmce-active');
  const frame = document.createElement('iframe');
  frame.id = 'content_ifr';
  document.getElementById('wp-content-editor-container').prepend(frame);
  const inner = frame.contentDocument;
  inner.body.id = 'tinymce';
  inner.body.className = 'mce-content-body content post-type-post';
  inner.body.setAttribute('contenteditable', 'true');
  inner.body.innerHTML = '<p>Our framework goes live.</p><p>More soon.</p>';
  document.getElementById('title').value = 'Commissioning update';

  assert.equal(adapter.findEditors(document).length, 0, 'the hidden textarea is not the editor while Visual shows');
  const [body] = adapter.findEditors(inner);
  assert.equal(body, inner.body);
  assert.equal(adapter.editorKind(body), 'contenteditable');
  assert.equal(adapter.readText(body), 'Commissioning update\n\nOur framework goes live.\nMore soon.');
  assert.equal(adapter.findPostButton(body).id, 'publish');
  assert.equal(adapter.anchor(body), wrap);
  assert.equal(adapter.account(inner, body).handle, 'rajwrites.example');
});

test('blog: Publish disabled by the site for its own reasons is left alone: no hold dialog, nothing sent', async () => {
  const { fakeChrome } = require('../harness');
  const { helperLike, until, wait } = require('./flow');
  const chrome = fakeChrome(helperLike('blog'));
  const { adapter, window, document } = loadSite('blog', 'gutenberg-2026-11-20.html', NEW_POST, { core: true, chrome });
  await wait(20);
  const [editor] = adapter.findEditors(document);
  typeInto(window, editor.querySelector('.block-editor-rich-text__editable'), 'Hello readers');
  await until(() => document.querySelector('[data-onrecord="card"]') && window.OnRecordContent.idle(), 'the check');
  window.wp.data.dispatch('core/editor').lockPostSaving('another-plugin');
  const button = adapter.findPostButton(editor);
  assert.equal(button.getAttribute('aria-disabled'), 'true');
  button.click();
  await wait(50);
  assert.equal(document.querySelector('[data-onrecord="hold"]'), null, 'a hold dialog for a button the site disabled');
  assert.equal(button.getAttribute('aria-disabled'), 'true', 'the site\'s lock was undone');
  assert.deepEqual(plain(window.__posted), []);
});

test('blog: an editor in a same-origin canvas frame gets one card, from the page around it', async () => {
  const { fakeChrome } = require('../harness');
  const { runContentScripts } = require('./load-site');
  const { helperLike, until, wait, WORK } = require('./flow');
  const page = fakeChrome(helperLike('blog'));
  const { window, document } = loadSite('blog', 'gutenberg-canvas-2026-11-20.html', NEW_POST, { core: true, chrome: page });
  const frame = document.querySelector('iframe[name="editor-canvas"]');
  // The frame's own copy of the content scripts, as Chromium runs it in the about:blank canvas.
  const own = fakeChrome(helperLike('blog'));
  runContentScripts(frame.contentWindow, own);
  await wait(400); // both copies have scanned
  const canvas = frame.contentDocument;
  typeInto(frame.contentWindow, canvas.querySelector('.block-editor-rich-text__editable'), WORK);
  const cards = () => [...document.querySelectorAll('[data-onrecord="card"]'), ...canvas.querySelectorAll('[data-onrecord="card"]')];
  await until(() => cards().length && window.OnRecordContent.idle() && frame.contentWindow.OnRecordContent.idle(), 'the check');
  await wait(400); // time for a second owner's check, were there one
  assert.equal(cards().length, 1, 'two cards on one editor');
  assert.equal(own.sent.filter((m) => m.type === 'content/check').length, 0, 'the frame\'s copy checked the draft too');
  assert.equal(page.sent.filter((m) => m.type === 'content/check').length, 1);
  assert.equal(frame.getAttribute('data-onrecord-frame'), 'scanned');
});
