'use strict';
// The background: a service worker in Chrome and Edge, an event page in Firefox (which loads the files
// listed in manifest background.scripts itself, so importScripts is only for the service worker).
if (typeof importScripts === 'function' && typeof globalThis.OnRecordHandlers === 'undefined') {
  importScripts('helper-client.js', 'handlers.js');
}

globalThis.chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = message && Object.prototype.hasOwnProperty.call(globalThis.OnRecordHandlers, message.type)
    ? globalThis.OnRecordHandlers[message.type] : null;
  // Only this extension's own pages and content scripts reach here; a message from anything else
  // (another extension) is ignored.
  if (!handler || sender.id !== globalThis.chrome.runtime.id) return false;
  Promise.resolve()
    .then(() => handler(message, sender))
    .then(sendResponse, (err) => {
      console.error('OnRecord background:', message.type, err);
      sendResponse({ error: String(err && err.message || err) });
    });
  return true; // the answer comes asynchronously
});
