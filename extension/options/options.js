'use strict';
// Which sites OnRecord runs on, and the helper's port when it is not one of the usual ones.
// Saved in chrome.storage.local, where the content scripts and the background read them. What an
// administrator set in managed storage wins: it is shown, marked as theirs, and cannot be changed here.
(function () {
  const L = globalThis.OnRecordLogic;
  // The sites with an adapter, with the names people know them by, from the site table.
  const SITES = globalThis.OnRecordSites.TABLE.filter((s) => s.adapter).map((s) => [s.id, s.label]);
  const form = document.getElementById('options');
  const sitesEl = document.getElementById('sites');
  const portEl = document.getElementById('helper-port');
  const savedEl = document.getElementById('saved');

  for (const [id, name] of SITES) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'site';
    box.value = id;
    box.setAttribute('data-onrecord-site', id);
    box.disabled = true; // until load() shows the saved choice
    const byAdmin = document.createElement('span');
    byAdmin.className = 'hint';
    byAdmin.hidden = true;
    byAdmin.textContent = ' (set by your administrator)';
    label.append(box, ` ${name}`, byAdmin);
    sitesEl.append(label);
  }

  // Every managed-storage key the extension reads (extension/managed-schema.json).
  const MANAGED_KEYS = ['organisation', 'helperPort', 'sites', 'holdWhenUnchecked'];

  async function managedSettings() {
    try {
      return (chrome.storage.managed && await chrome.storage.managed.get(MANAGED_KEYS)) || {};
    } catch (err) {
      return {}; // no policy installed (Firefox says so with an error)
    }
  }

  async function load() {
    const { disabledSites = [], helperPort = '', holdWhenUnchecked = false, helperManaged = {} } =
      await chrome.storage.local.get(['disabledSites', 'helperPort', 'holdWhenUnchecked', 'helperManaged']);
    const managed = await managedSettings();
    const sitesSet = L.managedOnly(managed.sites);
    const off = L.disabledSites(disabledSites, sitesSet);
    for (const box of sitesEl.querySelectorAll('input')) {
      box.checked = !off.includes(box.value);
      const byAdmin = Object.prototype.hasOwnProperty.call(sitesSet, box.value);
      box.disabled = byAdmin;
      box.closest('label').querySelector('.hint').hidden = !byAdmin;
    }
    document.getElementById('managed-sites').hidden = !Object.keys(sitesSet).length;
    portEl.value = helperPort || '';
    if (managed.helperPort) { portEl.value = managed.helperPort; document.getElementById('managed').hidden = false; }
    // The page is usable once it shows what is saved: a save before then would save the blank form.
    portEl.disabled = !!managed.helperPort;
    showOrganisation(managed);
    showHold(managed, holdWhenUnchecked === true, helperManaged);
    form.querySelector('[data-onrecord-action="save-options"]').disabled = false;
  }

  // The organisation's name, when it manages any of these settings.
  function showOrganisation(managed) {
    const org = typeof managed.organisation === 'string' && managed.organisation.trim() ? managed.organisation.trim() : '';
    const any = MANAGED_KEYS.some((k) => managed[k] !== undefined);
    document.getElementById('organisation').hidden = !any;
    document.getElementById('organisation-name').textContent = org
      ? `${org} manages some of these settings.` : 'Your organisation manages some of these settings.';
    // Firefox reads policies.json only when it starts; Chrome and Edge apply a change as it comes.
    const firefox = typeof globalThis.browser !== 'undefined' && /Firefox\//.test(globalThis.navigator.userAgent || '');
    document.getElementById('managed-restart').hidden = !(any && firefox);
  }

  // "Hold posts when OnRecord cannot check": the user's choice, unless the organisation's managed
  // holdWhenUnchecked sets it (in the browser's policy, else in the helper's as the helper last said),
  // which is shown and cannot be changed. The background reads it the same way.
  const holdBox = document.getElementById('hold-unchecked');
  function showHold(managed, own, helperManaged) {
    const fromHelper = helperManaged && typeof helperManaged === 'object' ? helperManaged.holdWhenUnchecked : undefined;
    const set = typeof managed.holdWhenUnchecked === 'boolean' ? managed.holdWhenUnchecked : fromHelper;
    const locked = typeof set === 'boolean';
    holdBox.checked = locked ? set : own;
    holdBox.disabled = locked;
    document.getElementById('hold-unchecked-hint').hidden = !locked;
    // A hidden hint would still be read out as part of the description, so it is named only when shown.
    holdBox.setAttribute('aria-describedby', locked ? 'hold-unchecked-about hold-unchecked-hint' : 'hold-unchecked-about');
  }

  // The organisation's policy can change while the page is open (Chrome and Edge say so as it happens).
  if (chrome.storage.onChanged) {
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== 'managed') return;
      load().then(() => {
        document.getElementById('policy-changed').textContent =
          'Your organisation changed these settings. Reload open pages for a change of sites to apply.';
      });
    });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const raw = portEl.value.trim();
    const port = Number(raw);
    if (raw && !(Number.isInteger(port) && port >= 1024 && port <= 65535)) {
      savedEl.textContent = 'The port must be a number from 1024 to 65535.';
      portEl.setAttribute('aria-invalid', 'true');
      portEl.focus();
      return;
    }
    portEl.removeAttribute('aria-invalid');
    // A site the administrator set keeps the user's own earlier choice underneath, for when the
    // policy is lifted.
    const { disabledSites: before = [] } = await chrome.storage.local.get(['disabledSites']);
    const boxes = Array.from(sitesEl.querySelectorAll('input'));
    const disabledSites = boxes.filter((b) => (b.disabled ? before.includes(b.value) : !b.checked)).map((b) => b.value);
    await chrome.storage.local.set({ disabledSites, ...(holdBox.disabled ? {} : { holdWhenUnchecked: holdBox.checked }) });
    if (raw && !portEl.disabled) await chrome.storage.local.set({ helperPort: port });
    else if (!portEl.disabled) await chrome.storage.local.remove('helperPort');
    savedEl.textContent = 'Saved. Reload open pages for a change of sites to apply.';
  });

  load();
})();
