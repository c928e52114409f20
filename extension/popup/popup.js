'use strict';
// The toolbar popup: is the helper running and paired, pairing by the code the helper shows, and the
// site and account OnRecord sees on the current tab. Everything goes through the background.
(function () {
  const statusEl = document.querySelector('[data-onrecord="status"]');
  const form = document.getElementById('pair-form');
  const codeEl = document.querySelector('[data-onrecord="pair-code"]');
  const errorEl = document.getElementById('pair-error');
  const pageEl = document.querySelector('[data-onrecord="page"]');
  const CHANNELS = { personal: 'personal', official: 'official', corporate: 'corporate', unknown: 'not declared' };

  function ask(message) {
    return chrome.runtime.sendMessage(message).catch(() => null);
  }

  async function refresh() {
    const status = await ask({ type: 'popup/status' });
    if (status && status.native) {
      // Native messaging: the browser started OnRecord for this extension; there is nothing to pair.
      statusEl.textContent = 'Connected to OnRecord on this computer.';
      form.hidden = true;
    } else if (status && status.impostor) {
      statusEl.textContent = "Not connected: something else is answering on this computer's OnRecord port, so OnRecord sends it nothing. Your pairing is kept. Tell your IT support.";
      form.hidden = false;
    } else if (!status || !status.running) {
      statusEl.textContent = 'Not connected: the OnRecord helper is not running. Start OnRecord from your applications menu, or run "onrecord run".';
      // The code can be typed as soon as the helper is started, without reopening the popup.
      form.hidden = false;
    } else if (!status.paired) {
      statusEl.textContent = 'Connected to the OnRecord helper, not paired yet: enter the pairing code.';
      form.hidden = false;
    } else {
      statusEl.textContent = 'Connected and paired with the OnRecord helper.';
      form.hidden = true;
    }
    showPack(status && status.paired ? status.pack : null);
    showKept(status && status.kept);
    return status;
  }

  // What was decided while the helper could not be reached (a post sent anyway, with its reason) and is
  // waiting to be recorded in the activity log.
  function showKept(n) {
    const el = document.querySelector('[data-onrecord="kept"]');
    el.hidden = !(Number.isInteger(n) && n > 0);
    if (el.hidden) return;
    el.textContent = `${n === 1 ? 'One decision' : `${n} decisions`} made while OnRecord could not be reached `
      + `(such as a post sent anyway, with its reason) will be recorded in your activity log when OnRecord answers again.`;
  }

  // A decision kept or sent while the popup is open shows at once, not at the next opening.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !changes.pendingDecisions) return;
    const list = changes.pendingDecisions.newValue;
    showKept(Array.isArray(list) ? list.length : 0);
  });

  // Which policy pack is in force; for the organisation's published pack, its version and when the
  // helper last confirmed it with the organisation's server.
  function showPack(pack) {
    const el = document.querySelector('[data-onrecord="pack"]');
    if (!el) return;
    el.hidden = !(pack && (pack.id || pack.url));
    if (el.hidden) return;
    let text = `Policy pack: ${pack.id}`;
    if (pack.version !== undefined && pack.version !== null) text += `, version ${pack.version}`;
    if (pack.last_confirmed) text += `, last confirmed ${pack.last_confirmed.replace('T', ' ').replace('Z', ' UTC')}`;
    if (pack.signature && pack.signature !== 'verified' && pack.signature !== 'none') text += ` (not in force: ${pack.signature.replace('_', ' ')})`;
    if (!pack.id) text = 'Your organisation\'s policy pack has not been fetched yet.';
    el.textContent = text;
  }

  async function showPage() {
    let tab = null;
    try { [tab] = await chrome.tabs.query({ active: true, currentWindow: true }); } catch (err) { tab = null; }
    if (!tab || tab.id === undefined) return;
    let info = null;
    try { info = await chrome.tabs.sendMessage(tab.id, { type: 'popup/page-info' }); } catch (err) { info = null; }
    if (!info || !info.site) return;
    const who = info.account && info.account.handle
      ? `${info.account.handle}${info.channel ? ` (${CHANNELS[info.channel] || info.channel})` : ''}`
      : 'account not recognised';
    pageEl.textContent = `Site: ${info.site}. Posting as ${who}.`;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorEl.hidden = true;
    const code = codeEl.value.trim();
    if (!/^\d{4,12}$/.test(code)) {
      errorEl.textContent = 'The pairing code is the number OnRecord shows (digits only).';
      errorEl.hidden = false;
      codeEl.focus();
      return;
    }
    const answer = await ask({ type: 'popup/pair', code });
    if (answer && answer.ok) {
      codeEl.value = '';
      await refresh();
    } else {
      errorEl.textContent = (answer && answer.error) || 'Pairing failed.';
      errorEl.hidden = false;
      codeEl.select();
    }
  });

  refresh().then((status) => { if (status && status.running && !status.paired) codeEl.focus(); });
  showPage();
})();
