// Drives Debian's Firefox ESR over WebDriver BiDi (puppeteer-core) through the path a user takes on saved
// site pages, with the real extension installed as a temporary add-on and paired with a real helper.
// It only acts and reports what it saw, one JSON object on stdout; tests/e2e/test_firefox.py starts the
// site server and the helper, runs this, and makes the assertions.
//
// Input (argv[2], JSON): { firefox, extension, sitePort, hosts: [host names], helperPort, pairCode?,
//   work: the draft to type, pages: [{ site, url, editor, post, keySend }], scenario?, holdWhenUnchecked?,
//   reason?, later? }
// Without pairCode the extension is expected to reach OnRecord by native messaging (the host manifest in
// the HOME given to Firefox), with no pairing step: the popup is read instead of used.
// Output: { version, extensionId, paired: status text | popup: { status, codeShown },
//   pages: [{ site, error?, ...observations, typeOn: {...} }] }
//
// scenario "unchecked" (with holdWhenUnchecked: the options page's "hold posts when OnRecord cannot
// check" turned on) runs runUnchecked on each page instead: the helper is stopped and started again by
// the test, at the pauses "stop-helper" and "start-helper". A pause is a line {"pause": NAME} on stdout;
// the driver goes on when a line comes on stdin (tests/e2e/firefox_driver.py answers it).
//
// Firefox has no --host-resolver-rules: its HTTPS goes through a CONNECT proxy started here, which
// tunnels the sites' host names (and nothing else) to the local site server.
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import readline from 'node:readline';
import puppeteer from 'puppeteer-core';

const input = JSON.parse(process.argv[2]);
const ADDON_ID = 'onrecord@onrecord.org'; // browser_specific_settings.gecko.id in the manifest
const UUID = crypto.randomUUID(); // fixed before install, so the popup and options pages have a known address
const BASE = `moz-extension://${UUID}`;

function startProxy(allowed, port) {
  const server = http.createServer((req, res) => { res.writeHead(405); res.end(); });
  server.on('connect', (req, socket, head) => {
    const [host, targetPort] = req.url.split(':');
    if (!allowed.includes(host.toLowerCase()) || targetPort !== '443') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Stops until the test has done the step `name` outside the browser and said so on stdin.
let stdinLines = null;
async function pause(name) {
  if (!stdinLines) stdinLines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write(`${JSON.stringify({ pause: name })}\n`);
  const { done } = await stdinLines.next();
  if (done) throw new Error(`nobody answered the pause ${name}`);
}

async function waitFor(page, fn, arg, timeout = 15000) {
  await page.waitForFunction(fn, { timeout, polling: 100 }, arg);
}

// Until the card shows (present) or no longer shows (!present) something matching `selector`.
async function waitInCard(page, selector, present, timeout = 15000) {
  await waitFor(page, ([sel, want]) => {
    const h = document.querySelector('[data-onrecord="card"]');
    return !!(h && h.shadowRoot) && !!h.shadowRoot.querySelector(sel) === want;
  }, [selector, present], timeout);
}

// A page of `spec` with the work draft typed into its editor and the disclaimer prompt showing.
async function openWithWorkDraft(browser, spec) {
  const page = await browser.newPage();
  try {
    await page.goto(spec.url, { waitUntil: 'load' });
    await page.waitForSelector(spec.editor, { timeout: 15000 });
    await page.click(spec.editor);
    await page.keyboard.type(input.work);
    await waitInCard(page, '[data-onrecord-category="disclaimer"]', true);
    return page;
  } catch (err) {
    await page.close().catch(() => {});
    throw err;
  }
}

// The card's shadow root, and things in it, seen from the page.
const IN_CARD = (selector) => `(() => { const h = document.querySelector('[data-onrecord="card"]');
  return h && h.shadowRoot ? h.shadowRoot.querySelector(${JSON.stringify(selector)}) : null; })()`;

async function cardElement(page, selector) {
  const handle = await page.evaluateHandle(IN_CARD(selector));
  return handle.asElement();
}

async function clickInCard(page, selector) {
  const el = await cardElement(page, selector);
  if (!el) throw new Error(`nothing in the card matches ${selector}`);
  await el.click();
}

async function answerWhatHolds(page) {
  if (await cardElement(page, '[data-onrecord-action="acknowledge"]')) {
    await clickInCard(page, '[data-onrecord-action="acknowledge"]');
  }
  const override = await cardElement(page, '[data-onrecord-action="override"]');
  if (override) {
    const reason = await cardElement(page, '[data-onrecord="override-reason"]');
    await reason.type('Checked with my line manager');
    await clickInCard(page, '[data-onrecord-action="override"]');
  }
  await waitInCard(page, '[data-onrecord-action="acknowledge"], [data-onrecord-action="override"]', false, 10000);
}

const model = (page) => page.evaluate(() => window.__editor.text());
const posted = (page) => page.evaluate(() => window.__posted);

async function focusAndCaret(page, editor) {
  return page.$eval(editor, (el) => {
    const active = document.activeElement;
    const focused = active === el || el.contains(active);
    if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') {
      return { focused, atEnd: el.selectionStart === el.value.length && el.selectionEnd === el.value.length };
    }
    const sel = getSelection();
    if (!sel.rangeCount || !el.contains(sel.focusNode)) return { focused, atEnd: false };
    const rest = document.createRange();
    rest.setStart(sel.focusNode, sel.focusOffset);
    rest.setEnd(el, el.childNodes.length);
    return { focused, atEnd: sel.isCollapsed && rest.toString().trim() === '' };
  });
}

async function holdShown(page) {
  return page.evaluate(() => {
    const hold = document.querySelector('[data-onrecord="hold"]');
    return !!hold && hold.getClientRects().length > 0;
  });
}

async function pressCtrl(page, key) {
  await page.keyboard.down('Control');
  await page.keyboard.press(key);
  await page.keyboard.up('Control');
}

// The user's path on one page; every observation goes into `seen`, assertions are the test's.
async function runPage(browser, spec, seen) {
  let page;
  try {
    page = await openWithWorkDraft(browser, spec);
    seen.typed = await model(page);
    seen.channel = await page.evaluate(`${IN_CARD('[data-onrecord="channel"]')}.textContent`);

    // Held by the site's own Post button, or by Ctrl+Enter where the site sends on it.
    if (spec.keySend) {
      await pressCtrl(page, 'Enter');
    } else {
      await page.click(spec.post);
    }
    await waitFor(page, () => {
      const hold = document.querySelector('[data-onrecord="hold"]');
      return !!hold && hold.getClientRects().length > 0;
    }, undefined, 10000).then(() => { seen.held = true; }, () => { seen.held = false; });
    await sleep(300);
    seen.postedWhileHeld = await posted(page);

    await clickInCard(page, '[data-onrecord-action="insert-disclaimer"]');
    await waitInCard(page, '[data-onrecord-category="disclaimer"]', false, 10000);
    seen.withDisclaimer = await model(page);
    await sleep(500); // the card re-renders with the new check's answer
    seen.focusAfterInsert = await focusAndCaret(page, spec.editor);

    await answerWhatHolds(page);
    seen.holdAfterAnswers = await holdShown(page);
    if (spec.keySend) {
      await page.click(spec.editor);
      await pressCtrl(page, 'Enter');
    } else {
      await page.click(spec.post);
    }
    await waitFor(page, () => window.__posted.length > 0, undefined, 10000).catch(() => {});
    await sleep(500);
    seen.posted = await posted(page);

    // One Ctrl+Z in the editor.
    await page.click(spec.editor);
    await pressCtrl(page, 'z');
    await sleep(500);
    seen.afterUndo = await model(page);
  } catch (err) {
    seen.error = String(err && err.stack || err);
  } finally {
    await page?.close().catch(() => {});
  }
}

// What the popup's `selector` says once the popup has heard from the background and it matches `want`
// (or after `timeout`, whatever it says then; '' while hidden). Asked again and again from here: the page
// may still be switching process when it first shows.
async function popupText(browser, selector, want, timeout = 20000) {
  const page = await openExtensionPage(browser, 'popup/popup.html', '[data-onrecord="status"]');
  const read = () => page.$eval(selector, (el) => {
    const heard = !/^Looking for/.test(document.querySelector('[data-onrecord="status"]').textContent);
    return heard ? (el.hidden ? '' : el.textContent) : null;
  }).catch(() => null);
  try {
    const deadline = Date.now() + timeout;
    let text = await read();
    while ((text === null || !want.test(text)) && Date.now() < deadline) {
      await sleep(200);
      text = await read();
    }
    return text;
  } finally {
    await page.close().catch(() => {});
  }
}

// The decisions the extension keeps in its storage to send when the helper answers again; with `untilEmpty`,
// once they are all sent (or after 20 s, what is left).
async function keptDecisions(browser, untilEmpty = false) {
  const page = await openExtensionPage(browser, 'popup/popup.html', '[data-onrecord="status"]');
  const read = () => page.evaluate(() => browser.storage.local.get('pendingDecisions')
    .then((got) => got.pendingDecisions || [])).catch(() => null);
  try {
    const deadline = Date.now() + 20000;
    let kept = await read();
    while ((kept === null || (untilEmpty && kept.length)) && Date.now() < deadline) {
      await sleep(200);
      kept = await read();
    }
    return kept;
  } finally {
    await page.close().catch(() => {});
  }
}

// A new tab on `spec`'s page with `text` typed into its editor.
async function openAndType(browser, spec, text) {
  const page = await browser.newPage();
  await page.goto(spec.url, { waitUntil: 'load' });
  await page.waitForSelector(spec.editor, { timeout: 15000 });
  await page.click(spec.editor);
  await page.keyboard.type(text);
  return page;
}

const UNCHECKED_HOLD = '[data-onrecord-rule="onrecord.unchecked.hold"]';

// The helper cannot be reached and posts are held when OnRecord cannot check: the card says the draft was
// not checked, the site's Post button is held, "Post anyway…" with a reason lets it go, and the decision
// is kept (the popup says so) until the helper is back, when the next check sends it.
async function runUnchecked(browser, spec, seen) {
  let page;
  try {
    await pause('stop-helper');
    page = await openAndType(browser, spec, input.work);
    await waitInCard(page, UNCHECKED_HOLD, true, 30000);
    seen.holdLine = await page.evaluate(`(() => { const line = ${IN_CARD(UNCHECKED_HOLD)};
      const title = line.querySelector('h3');
      return { severity: line.getAttribute('data-onrecord-severity'), title: title && title.textContent }; })()`);
    seen.notice = await page.evaluate(`${IN_CARD('[data-onrecord="notice"]')}.textContent`);

    await page.click(spec.post);
    seen.held = await waitFor(page, () => {
      const hold = document.querySelector('[data-onrecord="hold"]');
      return !!hold && hold.getClientRects().length > 0;
    }, undefined, 10000).then(() => true, () => false);
    await sleep(300);
    seen.postedWhileHeld = await posted(page);

    await clickInCard(page, `${UNCHECKED_HOLD} [data-onrecord-action="override"]`);
    await waitInCard(page, '[data-onrecord="override-reason"]', true, 10000);
    const reason = await cardElement(page, '[data-onrecord="override-reason"]');
    await reason.type(input.reason);
    await page.keyboard.press('Enter');
    await waitInCard(page, UNCHECKED_HOLD + ' [data-onrecord-action="override"]', false, 10000).catch(() => {});
    seen.holdAfterReason = await holdShown(page);
    await page.click(spec.post);
    await waitFor(page, () => window.__posted.length > 0, undefined, 10000).catch(() => {});
    await sleep(300);
    seen.posted = await posted(page);
    seen.keptWhileAway = await popupText(browser, '[data-onrecord="kept"]', /answers again/);
    seen.keptDecisions = await keptDecisions(browser);
    await page.close();

    await pause('start-helper');
    page = await openAndType(browser, spec, input.later);
    await waitInCard(page, '[data-onrecord="pack"]', true, 30000).catch(() => {});
    seen.checkedAgain = await page.evaluate(`(${IN_CARD('[data-onrecord="pack"]')} || {}).textContent || null`);
    seen.keptAfter = await keptDecisions(browser, true);
  } catch (err) {
    seen.error = String(err && err.stack || err);
  } finally {
    await page?.close().catch(() => {});
  }
}

// An extension page loads in Firefox's extension process: the tab's switch of process reads to puppeteer
// as its frame detaching, so the navigation is not awaited; the page is, by its content.
async function openExtensionPage(browser, path, ready) {
  const page = await browser.newPage();
  page.goto(`${BASE}/${path}`).catch(() => {});
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const found = await page.$(ready).catch(() => null);
    if (found) return page;
    await sleep(200);
  }
  throw new Error(`${path} did not show ${ready}`);
}

// Adding the disclaimer from the card before any attempt to post: where focus and caret are after it,
// and whether the user's next keys go on at the end of the draft.
async function runTypeOn(browser, spec, seen) {
  let page;
  try {
    page = await openWithWorkDraft(browser, spec);
    await clickInCard(page, '[data-onrecord-action="insert-disclaimer"]');
    await waitInCard(page, '[data-onrecord-category="disclaimer"]', false, 10000);
    await sleep(500); // the card re-renders with the new check's answer
    seen.withDisclaimer = await model(page);
    seen.focusAfterInsert = await focusAndCaret(page, spec.editor);
    await page.keyboard.type(' Thanks');
    await sleep(300);
    seen.typedOn = await model(page);
  } catch (err) {
    seen.error = String(err && err.stack || err);
  } finally {
    await page?.close().catch(() => {});
  }
}

async function setOptions(browser) {
  const page = await openExtensionPage(browser, 'options/options.html', '[data-onrecord="helper-port"]:not([disabled])');
  await page.type('[data-onrecord="helper-port"]', String(input.helperPort));
  if (input.holdWhenUnchecked) await page.click('[data-onrecord="hold-when-unchecked"]:not(:checked)');
  await page.click('[data-onrecord-action="save-options"]');
  await waitFor(page, () => /Saved/.test((document.querySelector('#saved') || {}).textContent || ''));
  await page.close();
}

async function pair(browser) {
  const page = await openExtensionPage(browser, 'popup/popup.html', '[data-onrecord="pair-code"]');
  await waitFor(page, () => /not paired/i.test(document.querySelector('[data-onrecord="status"]').textContent));
  await page.type('[data-onrecord="pair-code"]', input.pairCode);
  await page.click('[data-onrecord-action="pair"]');
  await waitFor(page, () => /Connected and paired/.test(document.querySelector('[data-onrecord="status"]').textContent))
    .catch(() => {});
  const status = await page.$eval('[data-onrecord="status"]', (el) => el.textContent);
  await page.close();
  return status;
}

// With native messaging, nothing to pair: what the popup says once connected, and whether it asks for a code.
async function popupStatus(browser) {
  const page = await openExtensionPage(browser, 'popup/popup.html', '[data-onrecord="status"]');
  await waitFor(page, () => /Connected/.test(document.querySelector('[data-onrecord="status"]').textContent))
    .catch(() => {});
  const status = await page.$eval('[data-onrecord="status"]', (el) => el.textContent);
  const codeShown = await page.$eval('[data-onrecord="pair-code"]', (el) => el.getClientRects().length > 0)
    .catch(() => false);
  await page.close();
  return { status, codeShown };
}

async function main() {
  const proxy = await startProxy(input.hosts.map((h) => h.toLowerCase()), input.sitePort);
  const result = { pages: [] };
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: input.firefox,
    protocol: 'webDriverBiDi',
    headless: true,
    acceptInsecureCerts: true, // the site server's certificate is self-signed, made for this run
    // WebDriver BiDi opens only web pages unless told otherwise; the popup and options are moz-extension:.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.address().port,
      'network.proxy.share_proxy_settings': false,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      // MV3 host permissions granted at install, as Firefox's install prompt does for a user.
      'extensions.originControls.grantByDefault': true,
    },
  });
  try {
    result.version = await browser.version();
    result.extensionId = await browser.installExtension(input.extension);
    await setOptions(browser);
    if (input.pairCode) result.paired = await pair(browser);
    else result.popup = await popupStatus(browser);
    for (const spec of input.pages) {
      if (input.scenario === 'unchecked') {
        const seen = { site: spec.site };
        await runUnchecked(browser, spec, seen);
        result.pages.push(seen);
        continue;
      }
      const seen = { site: spec.site, typeOn: {} };
      await runPage(browser, spec, seen);
      await runTypeOn(browser, spec, seen.typeOn);
      result.pages.push(seen);
    }
  } catch (err) {
    result.error = String(err && err.stack || err);
  } finally {
    await browser.close().catch(() => {});
    proxy.close();
  }
  process.stdout.write(JSON.stringify(result));
  process.stdin.destroy(); // read only at pauses; an open stdin would keep node running
}

main();
