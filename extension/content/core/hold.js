'use strict';
// Catches every way a draft is sent (the post button, Ctrl/Cmd+Enter, a site's own send key, a form
// submit) in the capture phase on the window, registered at document_start so it runs before any
// listener the page adds. The post button is found relative to each editor at the moment of the event,
// never cached, because sites re-render their buttons. Whether to hold is the controller's decision.
globalThis.OnRecordHold = (function () {
  function isDisabled(button) {
    return !!button && (button.disabled === true || button.getAttribute('aria-disabled') === 'true');
  }

  function within(container, node) {
    return !!container && !!node && (container === node || container.contains(node));
  }

  // Enter or Space on a post button that is not a real <button> (Facebook's and Threads' div
  // role=button): the site's own key handler posts, and no click follows. A real button turns the key
  // into a click, which is caught as one, so its keys are left alone.
  function activatesButton(event, button) {
    if (event.key !== 'Enter' && event.key !== ' ') return false;
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false;
    return !!button && !/^(BUTTON|INPUT)$/.test(button.tagName);
  }

  // The send path an event belongs to, as {editors, trigger, button, form}, or null when it sends
  // nothing. A button or a form can send several editors at once (the parts of an X thread).
  function sendOf(event, controller) {
    const adapter = controller.adapter();
    if (!adapter) return null;
    const target = event.composedPath ? event.composedPath()[0] : event.target;
    const editors = [];
    let button = null;
    for (const editor of controller.editors()) {
      if (event.type === 'click') {
        let own = null;
        try { own = adapter.findPostButton(editor); } catch (err) { own = null; }
        // A disabled button posts nothing; it is left as it is and never enabled. One that our own hold
        // disabled (Gutenberg's Publish while post saving is locked) is still the user's attempt to post,
        // so it is answered with the hold dialog.
        if (own && within(own, target) && (!isDisabled(own) || controller.lockedByUs(editor))) {
          editors.push(editor); button = own;
        }
      } else if (event.type === 'keydown') {
        if (!within(editor, target)) {
          let own = null;
          try { own = adapter.findPostButton(editor); } catch (err) { own = null; }
          if (own && within(own, target) && activatesButton(event, own) && !isDisabled(own)) {
            editors.push(editor); button = own;
          }
          continue;
        }
        if (event.isComposing) continue;
        const modifierEnter = event.key === 'Enter' && (event.ctrlKey || event.metaKey);
        let siteKey = false;
        try { siteKey = !modifierEnter && adapter.isSendKey(event, editor); } catch (err) { siteKey = false; }
        if (modifierEnter || siteKey) return { editors: [editor], trigger: 'key', button: null };
      } else if (event.type === 'submit') {
        if (within(target, editor)) editors.push(editor);
      }
    }
    if (!editors.length) return null;
    return event.type === 'submit' ? { editors, trigger: 'submit', button: null, form: target }
      : { editors, trigger: 'button', button };
  }

  function install(win, controller) {
    const onEvent = (event) => {
      const send = sendOf(event, controller);
      if (!send) return;
      if (controller.shouldHold(send, event)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    for (const type of ['click', 'keydown', 'submit']) win.addEventListener(type, onEvent, true);
    return () => { for (const type of ['click', 'keydown', 'submit']) win.removeEventListener(type, onEvent, true); };
  }

  return Object.freeze({ install, sendOf, isDisabled });
})();
