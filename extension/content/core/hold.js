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

  // The send path an event belongs to, as {editor, trigger, button}, or null when it sends nothing.
  function sendOf(event, controller) {
    const adapter = controller.adapter();
    if (!adapter) return null;
    const target = event.composedPath ? event.composedPath()[0] : event.target;
    for (const editor of controller.editors()) {
      if (event.type === 'click') {
        let button = null;
        try { button = adapter.findPostButton(editor); } catch (err) { button = null; }
        // A disabled button posts nothing; it is left as it is and never enabled.
        if (button && within(button, target) && !isDisabled(button)) return { editor, trigger: 'button', button };
      } else if (event.type === 'keydown') {
        if (!within(editor, target) || event.isComposing) continue;
        const modifierEnter = event.key === 'Enter' && (event.ctrlKey || event.metaKey);
        let siteKey = false;
        try { siteKey = !modifierEnter && adapter.isSendKey(event, editor); } catch (err) { siteKey = false; }
        if (modifierEnter || siteKey) return { editor, trigger: 'key', button: null };
      } else if (event.type === 'submit') {
        if (within(target, editor)) return { editor, trigger: 'submit', button: null, form: target };
      }
    }
    return null;
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
