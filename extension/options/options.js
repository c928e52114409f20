'use strict';
// Which sites OnRecord runs on, and the helper's port when it is not one of the usual ones.
// Saved in chrome.storage.local, where the content scripts and the background read them.
(function () {
  // The sites of the public contract, with the names people know them by.
  const SITES = [
    ['x', 'X (Twitter)'], ['linkedin', 'LinkedIn'], ['facebook', 'Facebook'], ['mastodon', 'Mastodon'],
    ['bluesky', 'Bluesky'], ['threads', 'Threads'], ['blog', 'Blogs (WordPress)'],
    ['comments', 'News comment boxes'],
  ];
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
    label.append(box, ` ${name}`);
    sitesEl.append(label);
  }

  async function load() {
    const { disabledSites = [], helperPort = '' } = await chrome.storage.local.get(['disabledSites', 'helperPort']);
    for (const box of sitesEl.querySelectorAll('input')) box.checked = !disabledSites.includes(box.value);
    portEl.value = helperPort || '';
    try {
      const managed = chrome.storage.managed && (await chrome.storage.managed.get('helperPort')).helperPort;
      if (managed) { portEl.value = managed; portEl.disabled = true; document.getElementById('managed').hidden = false; }
    } catch (err) { /* no policy installed */ }
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
    const disabledSites = Array.from(sitesEl.querySelectorAll('input')).filter((b) => !b.checked).map((b) => b.value);
    await chrome.storage.local.set({ disabledSites });
    if (raw && !portEl.disabled) await chrome.storage.local.set({ helperPort: port });
    else if (!portEl.disabled) await chrome.storage.local.remove('helperPort');
    savedEl.textContent = 'Saved. Reload open pages for a change of sites to apply.';
  });

  load();
})();
