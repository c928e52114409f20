// The settings window: plain DOM code, no framework. Every change goes through the helper's
// /settings/api, which answers only this page (its session cookie and its own origin).
"use strict";

const ROLE_LABELS = {
  civil_servant: "Civil servant", minister: "Minister", special_adviser: "Special adviser",
  nhs_staff: "NHS staff", contractor: "Contractor",
};
const CHANNEL_LABELS = { personal: "Personal", official: "Official", corporate: "Corporate" };
const DECISION_LABELS = {
  acknowledged: "Acknowledged", fixed: "Changed the post", overridden: "Went ahead, with a reason",
  cancelled: "Did not post", posted: "Posted",
};
const PAGES = ["accounts", "profile", "policy", "browsers", "activity", "about"];
const WIZARD_STEPS = 3;

const state = { profile: null, choices: null, packs: [], page: null, step: 1, wizardAccounts: [], settings: null, table: [] };

// --- small helpers ------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) node.append(c);
  return node;
}

class ApiError extends Error {
  constructor(body, status) {
    const err = (body && body.error) || {};
    super(err.message || `The helper answered ${status}`);
    this.fields = err.fields || [];
    this.status = status;
  }
}

async function api(method, path, body) {
  const opts = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(`api/${path}`, opts);
  } catch (e) {
    throw new ApiError({ error: { message: "OnRecord's helper is not answering. Is it still running?" } }, 0);
  }
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new ApiError(data, resp.status);
  return data;
}

function say(text) {
  const box = $("#status");
  box.textContent = "";
  // A fresh text node makes screen readers announce the same message twice in a row.
  window.setTimeout(() => { box.textContent = text; }, 50);
}

// Sites by the names people know them by, from the helper's site table.
function siteLabel(id) {
  return (state.choices && state.choices.site_labels && state.choices.site_labels[id]) || id;
}

function fmtTime(iso) {
  if (!iso) return "never";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

// Each cell carries its column's name, which a narrow window shows beside it (table.stack in style.css).
function labelCells(table) {
  const names = Array.from(table.tHead.rows[0].cells, (th) => th.textContent.trim());
  for (const row of table.tBodies[0].rows) {
    Array.from(row.cells).forEach((td, i) => { if (names[i]) td.dataset.label = names[i]; });
  }
}

// --- field errors: the message sits next to its field and is announced with it -----------------

function fieldElement(form, field) {
  const byId = form.querySelector(`#f-${CSS.escape(field)}`) || form.querySelector(`#${CSS.escape(field)}`);
  if (byId) return byId;
  return form.querySelector(`[name="${CSS.escape(field)}"]`);
}

function clearErrors(root) {
  $$(".error", root).forEach((e) => e.remove());
  $$("[aria-invalid]", root).forEach((e) => {
    e.removeAttribute("aria-invalid");
    const ids = (e.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
    if (ids.length) e.setAttribute("aria-describedby", ids.join(" ")); else e.removeAttribute("aria-describedby");
  });
  const problem = $("#problem");
  problem.hidden = true;
  problem.textContent = "";
}

function showFieldError(target, message) {
  const id = `${target.id || target.getAttribute("name")}-error`;
  const msg = el("p", { class: "error", id, text: message });
  if (target.tagName === "FIELDSET") {
    target.querySelector("legend").after(msg);
  } else {
    target.before(msg);
  }
  target.setAttribute("aria-invalid", "true");
  const ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  target.setAttribute("aria-describedby", [id, ...ids].join(" "));
}

// Shows each message next to its field (or in the summary when the field is not on this form),
// and moves focus to the first field to put right. Returns the first field shown.
function showErrors(form, error, fieldMap = (f) => f) {
  clearErrors(form);
  const fields = error.fields && error.fields.length ? error.fields : [{ field: "form", message: error.message }];
  let first = null;
  const loose = [];
  for (const { field, message } of fields) {
    const target = fieldElement(form, fieldMap(field));
    if (target) {
      showFieldError(target, message);
      first = first || target;
    } else {
      loose.push(message);
    }
  }
  if (loose.length) {
    const problem = $("#problem");
    problem.append(el("p", { text: "Please put this right:" }), el("ul", {}, loose.map((m) => el("li", { text: m }))));
    problem.hidden = false;
  }
  return first;
}

function focusField(target) {
  if (!target) { $("#problem").focus(); return; }
  let focusable = target;
  if (target.matches("fieldset")) {
    // A choice already made is where the user goes back to; a pack file choice means its path.
    const checked = target.querySelector("input:checked");
    focusable = checked && checked.id === "pack-file-choice" ? $("#f-pack_file")
      : checked && checked.id === "pack-url-choice" ? $("#f-pack_url")
        : (checked || target.querySelector("input, select, textarea"));
  }
  (focusable || target).focus();
}

// --- channels and disclaimers (what the policies say, plainly) ----------------------------------

function renderChannelHelp() {
  for (const box of $$("[data-channels]")) {
    box.replaceChildren(
      el("h2", { text: "Corporate, official or personal?" }),
      el("dl", {},
        el("dt", { text: "Corporate" }),
        el("dd", { text: "Your organisation's own voice, not signed by a person: announcements and news (for example @dhgovuk). The organisation's rules for official content apply." }),
        el("dt", { text: "Official" }),
        el("dd", { text: "You, by name, speaking for your organisation in your role (for example @AmyatDH). Say who you are, stay within your area of expertise, and have your line manager's agreement for what you post." }),
        el("dt", { text: "Personal" }),
        el("dd", { text: "You, as yourself. You may mention work, but you are not speaking for your organisation: when a post touches work, make clear the views are your own, in the post or in your bio. The Civil Service Code or your staff policy still applies." })),
      el("p", { class: "hint", text: "From the Department of Health's guidance on corporate, official and personal channels and the NHS England social media policy (section 3.1)." }));
  }
}

let disclaimersAsked = 0;
async function renderDisclaimers(ref) {
  const boxes = $$("[data-disclaimers]");
  const asked = ++disclaimersAsked;
  if (!ref) { boxes.forEach((b) => b.replaceChildren()); return null; }
  let pack = null;
  try {
    pack = (await api("GET", `pack?ref=${encodeURIComponent(ref)}`)).pack;
  } catch (e) {
    pack = null;
  }
  if (asked !== disclaimersAsked) return pack; // a later choice has been made meanwhile
  if (!pack) { boxes.forEach((b) => b.replaceChildren()); return null; }
  for (const box of boxes) {
    if (!pack.disclaimers.length) { box.replaceChildren(); continue; }
    box.replaceChildren(
      el("h2", { text: "Disclaimer wordings" }),
      el("p", { class: "hint", text: `What ${pack.name} offers. When a personal post touches work, OnRecord can add one of these for you; or put one in your account's bio.` }),
      el("dl", {}, pack.disclaimers.map((d, i) => [
        i === 0 || pack.disclaimers[i - 1].use !== d.use ? el("dt", { text: d.use }) : null,
        el("dd", {}, el("blockquote", { text: d.text }))])));
  }
  return pack;
}

// --- the profile form: the first-run steps, and later the Profile page --------------------------

function renderProfileChoices() {
  const roles = $("#role-choices");
  roles.replaceChildren(...state.choices.roles.map((r) => el("div", { class: "choice" },
    el("input", { type: "checkbox", name: "roles", value: r, id: `role-${r}` }),
    el("label", { for: `role-${r}`, text: ROLE_LABELS[r] || r }))));
  const packs = $("#pack-choices");
  packs.replaceChildren(...state.packs.map((p) => el("div", { class: "choice" },
    el("input", { type: "radio", name: "pack_choice", value: p.id, id: `pack-${p.id}` }),
    el("label", { for: `pack-${p.id}`, text: p.name }))));
  $$("input[name=pack_choice]").forEach((i) => i.addEventListener("change", onPackChange));
  $("#f-pack_file").addEventListener("input", () => { $("#pack-file-choice").checked = true; });
  $("#f-pack_file").addEventListener("change", onPackChange);
  $("#f-pack_url").addEventListener("input", () => { $("#pack-url-choice").checked = true; });
  $("#f-pack_url").addEventListener("change", onPackChange);
  // In the window, the system's own file dialog; in a plain browser there is none, so no button.
  const offerBrowse = () => { if (window.pywebview && window.pywebview.api && window.pywebview.api.choose_pack_file) $("#pack-browse").hidden = false; };
  window.addEventListener("pywebviewready", offerBrowse);
  offerBrowse();
  $("#pack-browse").addEventListener("click", async () => {
    const path = await window.pywebview.api.choose_pack_file();
    if (!path) return;
    $("#f-pack_file").value = path;
    $("#pack-file-choice").checked = true;
    onPackChange();
    $("#f-pack_file").focus();
  });
}

function chosenPack() {
  const picked = $("input[name=pack_choice]:checked");
  if (!picked) return "";
  if (picked.value === "__url__") return $("#f-pack_url").value.trim();
  return picked.value === "__file__" ? $("#f-pack_file").value.trim() : picked.value;
}

const isUrl = (ref) => typeof ref === "string" && ref.includes("://");
const lockedValue = (name) => (state.managed && has(state.managed.locked, name) ? state.managed.locked[name] : undefined);

// What the organisation sets on the Profile page (its name, its pack) is shown as theirs and cannot be
// changed here; the profile keeps the user's own values for the day the organisation stops setting them.
function drawProfileLocks() {
  const org = lockedValue("organisation");
  const pack = lockedValue("policy_pack");
  $("#f-organisation").disabled = org !== undefined;
  $("#f-organisation-locked").hidden = org === undefined;
  if (org !== undefined) $("#f-organisation").value = org;
  else $("#f-organisation").value = state.profile ? state.profile.organisation : $("#f-organisation").value;
  describe($("#f-organisation"), "f-organisation-locked", org !== undefined);
  $$("#f-policy_pack input, #f-policy_pack button").forEach((i) => { i.disabled = pack !== undefined; });
  $("#f-policy_pack-locked").hidden = pack === undefined;
  describe($("#f-policy_pack"), "f-policy_pack-locked", pack !== undefined);
  if (pack !== undefined) showPackRef(pack);
  else showPackRef(state.profile ? state.profile.policy_pack : "");
}

function describe(node, id, on) {
  const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) node.setAttribute("aria-describedby", ids.join(" ")); else node.removeAttribute("aria-describedby");
}

function showPackRef(ref) {
  const builtin = $$("input[name=pack_choice]").find((i) => i.value === ref);
  $("#f-pack_url").value = "";
  if (builtin) builtin.checked = true;
  else if (isUrl(ref)) { $("#pack-url-choice").checked = true; $("#f-pack_url").value = ref; }
  else if (ref) { $("#pack-file-choice").checked = true; $("#f-pack_file").value = ref; }
}

function onPackChange() {
  renderDisclaimers(chosenPack());
}

function fillProfileForm(p) {
  $("#f-name").value = p ? p.name : "";
  $("#f-job_title").value = (p && p.job_title) || "";
  $("#f-line_manager").value = (p && p.line_manager) || "";
  $("#f-organisation").value = p ? p.organisation : "";
  $("#f-expertise").value = p ? (p.expertise || []).join("\n") : "";
  $$("input[name=roles]").forEach((i) => { i.checked = !!p && (p.roles || []).includes(i.value); });
  showPackRef(p ? p.policy_pack : "");
  drawProfileLocks();
}

function readProfileForm() {
  // A field the organisation sets keeps the user's own value (or, before there is one, the organisation's).
  const own = (name, fallback) => (lockedValue(name) !== undefined && state.profile ? state.profile[name] : fallback);
  const picked = $("input[name=pack_choice]:checked");
  const pack = lockedValue("policy_pack") !== undefined ? { policy_pack: own("policy_pack", lockedValue("policy_pack")) }
    : (picked && picked.value === "__url__" ? { policy_pack_url: $("#f-pack_url").value } : { policy_pack: chosenPack() });
  if (pack.policy_pack !== undefined && isUrl(pack.policy_pack) && lockedValue("policy_pack") === undefined) {
    pack.policy_pack_url = pack.policy_pack;
    delete pack.policy_pack;
  }
  return {
    name: $("#f-name").value,
    organisation: own("organisation", $("#f-organisation").value),
    ...pack,
    roles: $$("input[name=roles]:checked").map((i) => i.value),
    job_title: $("#f-job_title").value,
    expertise: $("#f-expertise").value.split(/\n|;/).map((s) => s.trim()).filter(Boolean),
    line_manager: $("#f-line_manager").value,
  };
}

// Server field names to form fields: the pack is one choice, wherever it came from.
function profileFieldMap(field) {
  if (field.startsWith("accounts")) return "wizard-accounts";
  return field;
}

function stepOf(node) {
  const step = node && node.closest("[data-step]");
  return step ? Number(step.dataset.step) : null;
}

function showStep(n) {
  state.step = n;
  $$("#profile-form [data-step]").forEach((s) => { s.hidden = Number(s.dataset.step) !== n; });
  $("#step-counter").textContent = `Step ${n} of ${WIZARD_STEPS}`;
  $("#wizard-back").hidden = n === 1;
  $("#wizard-next").hidden = n === WIZARD_STEPS;
  $("#profile-save").hidden = n !== WIZARD_STEPS;
  $("#profile-save").textContent = "Save and finish";
  const first = $(`#profile-form [data-step="${n}"] input, #profile-form [data-step="${n}"] select`);
  if (first && state.page === "wizard") first.focus();
}

// Checks what can be checked here before moving on; the helper checks everything again on save.
function checkStep(n) {
  const form = $("#profile-form");
  clearErrors(form);
  const missing = [];
  if (n === 1 && !$("#f-name").value.trim()) missing.push({ field: "name", message: "Enter your name." });
  if (n === 2) {
    if (!$("#f-organisation").value.trim()) missing.push({ field: "organisation", message: "Enter your organisation." });
    if (!chosenPack() && lockedValue("policy_pack") === undefined) missing.push({ field: "policy_pack", message: "Choose a policy pack, give the path of a pack file, or your organisation's web address for its pack." });
  }
  if (!missing.length) return true;
  focusField(showErrors(form, { fields: missing }));
  return false;
}

async function saveProfile(event) {
  event.preventDefault();
  const form = $("#profile-form");
  const wizard = state.page === "wizard";
  // Enter in a field of an earlier first-run step moves on, as Next does; only the last step saves.
  if (wizard && state.step < WIZARD_STEPS) {
    if (checkStep(state.step)) showStep(state.step + 1);
    return;
  }
  const body = readProfileForm();
  if (wizard) {
    // A handle typed but not added yet is what the user meant to add; with no account at all, ask first.
    if (wizardEditor.hasTyped() && !(await wizardEditor.commit({ refocus: false }))) return;
    if (!state.wizardAccounts.length && !(await confirmNoAccounts())) { wizardEditor.focus(); return; }
    body.accounts = state.wizardAccounts;
  }
  try {
    const data = await api("PUT", "profile", body);
    clearErrors(form);
    state.profile = data.profile;
    if (wizard) {
      // The last first-run step is connecting the browser: the Browsers page, with a code ready to type.
      location.hash = "#browsers";
      await route();
      drawPairing(await api("POST", "pairing"));
      const n = data.profile.accounts.length;
      say(`Saved. OnRecord knows who you are and ${n} ${n === 1 ? "account" : "accounts"}. Now connect your browser with the code shown.`);
    } else {
      const fetched = data.pack && data.pack.outcome;
      say(fetched ? `Your profile is saved. ${fetched.accepted ? "The policy pack was fetched and its signature checked" : "The policy pack could not be used yet"}: ${fetched.message}`
        : "Your profile is saved.");
    }
  } catch (e) {
    const first = showErrors(form, e, profileFieldMap);
    if (wizard && first && stepOf(first)) showStep(stepOf(first));
    focusField(first);
  }
}

// --- accounts: one editor, used by the first-run steps (kept in memory) and the Accounts page ---

// The organisation an account's disclaimers name when it names none of its own: the organisation's managed
// name, else the profile's.
function organisationInForce() {
  const managed = lockedValue("organisation");
  return managed !== undefined ? managed : (state.profile && state.profile.organisation) || "Your organisation";
}

function accountEditor(root, { list, save, remove, organisations = () => [] }) {
  const prefix = root.id;
  const table = el("table", { class: "stack" },
    el("caption", { class: "visually-hidden", text: "Your declared accounts" }),
    el("thead", {}, el("tr", {}, ["Site", "Handle", "Kind", "Disclaimer in bio", "Speaks for", "Actions"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody"));
  const empty = el("p", { text: "No accounts yet. Add the accounts you post from." });
  const form = el("form", { class: "account-form", novalidate: true, "aria-labelledby": `${prefix}-form-title` });
  const title = el("h2", { id: `${prefix}-form-title`, text: "Add an account" });
  const siteSel = el("select", { id: `${prefix}-site`, name: "site" },
    state.choices.sites.map((s) => el("option", { value: s, text: siteLabel(s) })));
  const handle = el("input", { id: `${prefix}-handle`, name: "handle", autocomplete: "off", "aria-describedby": `${prefix}-handle-hint` });
  const channels = el("fieldset", { class: "field group", id: `${prefix}-channel` },
    el("legend", { text: "Kind of account" }),
    state.choices.channels.map((c) => el("div", { class: "choice" },
      el("input", { type: "radio", name: "channel", value: c, id: `${prefix}-channel-${c}`, checked: c === "personal" }),
      el("label", { for: `${prefix}-channel-${c}`, text: CHANNEL_LABELS[c] || c }))));
  const bio = el("input", { type: "checkbox", id: `${prefix}-bio`, name: "bio_has_disclaimer" });
  const bioChoice = el("div", { class: "choice" }, bio, el("label", { for: bio.id, text: "My bio on this account already says my views are my own" }));
  // Staff of an agency or arm's-length body post from their own body's accounts: its disclaimers name it.
  const org = el("input", { id: `${prefix}-organisation`, name: "organisation", autocomplete: "organization", maxlength: "200",
    "aria-describedby": `${prefix}-organisation-hint` });
  const submit = el("button", { type: "submit", text: "Add account" });
  const cancel = el("button", { type: "button", class: "secondary", hidden: true, text: "Cancel" });
  let editing = null;

  form.append(title,
    el("div", { class: "field" }, el("label", { for: siteSel.id, text: "Site" }), siteSel),
    el("div", { class: "field" }, el("label", { for: handle.id, text: "Handle or name" }),
      el("p", { class: "hint", id: `${prefix}-handle-hint`, text: "As the site shows it: @amyclarke on X, amy-clarke on LinkedIn, @amy@mastodon.social on Mastodon, your blog's address." }),
      handle),
    channels,
    bioChoice,
    el("div", { class: "field" }, el("label", { for: org.id, text: "Another body it speaks for (optional)" }),
      el("p", { class: "hint", id: `${prefix}-organisation-hint`, text: "Leave empty for your organisation. Fill it in when this account speaks for another body, such as the agency you work for: its disclaimers then name that body." }),
      org),
    el("div", { class: "actions" }, submit, cancel));

  // A bio disclaimer is what a personal account needs; official and corporate accounts speak for the
  // organisation, so the box is offered only for personal ones.
  function showBioChoice() {
    const picked = $("input[name=channel]:checked", form);
    bioChoice.hidden = !picked || picked.value !== "personal";
    if (bioChoice.hidden) bio.checked = false;
  }
  channels.addEventListener("change", showBioChoice);

  function reset() {
    editing = null;
    form.reset();
    $(`#${prefix}-channel-personal`, form).checked = true;
    showBioChoice();
    title.textContent = "Add an account";
    submit.textContent = "Add account";
    cancel.hidden = true;
    clearErrors(form);
  }

  function startEdit(acc) {
    editing = { site: acc.site, handle: acc.handle };
    siteSel.value = acc.site;
    handle.value = acc.handle;
    $(`#${prefix}-channel-${acc.channel}`, form).checked = true;
    showBioChoice();
    bio.checked = !!acc.bio_has_disclaimer && !bioChoice.hidden;
    org.value = acc.organisation || "";
    title.textContent = `Edit ${acc.handle}`;
    submit.textContent = "Save changes";
    cancel.hidden = false;
    handle.focus();
  }

  function draw() {
    // The organisation's official and corporate accounts are declared for everyone: shown, theirs, and
    // not editable here. They win over the user's own declaration of the same account.
    const theirs = organisations();
    const accounts = list().filter((a) => !theirs.some((o) => sameAccount(a, o)));
    empty.hidden = accounts.length + theirs.length > 0;
    table.hidden = accounts.length + theirs.length === 0;
    const locked = (state.managed && state.managed.message) || "Set by your organisation";
    table.tBodies[0].replaceChildren(...theirs.map((a) => el("tr", { "data-onrecord-locked": "account" },
      el("td", { text: siteLabel(a.site) }),
      el("td", { text: a.handle }),
      el("td", { text: CHANNEL_LABELS[a.channel] || a.channel }),
      el("td", { text: "No" }),
      el("td", { text: organisationInForce() }),
      el("td", { class: "actions" }, el("span", { class: "locked", text: locked })))), ...accounts.map((a) => el("tr", {},
      el("td", { text: siteLabel(a.site) }),
      el("td", { text: a.handle }),
      el("td", { text: CHANNEL_LABELS[a.channel] || a.channel }),
      el("td", { text: a.bio_has_disclaimer ? "Yes" : "No" }),
      el("td", { text: a.organisation || organisationInForce() }),
      el("td", { class: "actions" },
        el("button", { type: "button", class: "secondary", "aria-label": `Edit ${a.handle} on ${siteLabel(a.site)}`, text: "Edit", onclick: () => startEdit(a) }),
        " ",
        el("button", {
          type: "button", class: "danger", "aria-label": `Remove ${a.handle} on ${siteLabel(a.site)}`, text: "Remove",
          onclick: async () => {
            try {
              await remove(a);
              draw();
              say(`Removed ${a.handle}.`);
              handle.focus();
            } catch (e) { focusField(showErrors(form, e)); }
          },
        })))));
    labelCells(table);
  }

  cancel.addEventListener("click", () => { reset(); handle.focus(); });
  // Adds (or saves) the account in the form; true when it was, false when the form shows why not.
  async function commit({ refocus = true } = {}) {
    const picked = $("input[name=channel]:checked", form);
    const acc = { site: siteSel.value, handle: handle.value.trim(), channel: picked ? picked.value : "", bio_has_disclaimer: bio.checked };
    if (org.value.trim()) acc.organisation = org.value.trim();
    clearErrors(form);
    if (!acc.handle) { focusField(showErrors(form, { fields: [{ field: "handle", message: "Enter the handle as the site shows it." }] }, (f) => `${prefix}-${f}`)); return false; }
    try {
      const wasEditing = editing;
      await save(acc, editing);
      reset();
      draw();
      say(wasEditing ? `Saved ${acc.handle}.` : `Added ${acc.handle} as ${acc.channel === "official" ? "an" : "a"} ${acc.channel} account.`);
      if (refocus) handle.focus();
      return true;
    } catch (e) {
      focusField(showErrors(form, e, (f) => `${prefix}-${f.replace(/^accounts\.\d+\./, "")}`));
      return false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    event.stopPropagation(); // in the first-run steps this form sits inside the profile's own form
    commit();
  });

  root.replaceChildren(table, empty, form);
  reset();
  draw();
  return {
    draw,
    commit,
    // A handle typed but not yet added: saving the profile adds it rather than losing it.
    hasTyped: () => handle.value.trim() !== "",
    focus: () => handle.focus(),
  };
}

function sameAccount(a, ref) {
  return a.site === ref.site && a.handle.toLowerCase() === ref.handle.toLowerCase();
}

// Whether to save the first-run steps with no account declared: the user's answer in a modal dialog.
function confirmNoAccounts() {
  const dialog = $("#no-accounts");
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "save"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

let wizardEditor = null;
function wizardAccountsEditor() {
  wizardEditor = accountEditor($("#wizard-accounts"), {
    list: () => state.wizardAccounts,
    save: async (acc, replaces) => {
      const rest = state.wizardAccounts.filter((a) => !(replaces && sameAccount(a, replaces)));
      if (!replaces && rest.some((a) => sameAccount(a, acc))) {
        throw new ApiError({ error: { fields: [{ field: "handle", message: `${acc.handle} is already in the list.` }] } }, 400);
      }
      state.wizardAccounts = [...rest, acc];
    },
    remove: async (acc) => { state.wizardAccounts = state.wizardAccounts.filter((a) => !sameAccount(a, acc)); },
  });
}

let accountsPage = null;
async function showAccounts() {
  const data = await api("GET", "state");
  state.profile = data.profile;
  state.managed = data.managed || state.managed;
  if (!accountsPage) {
    accountsPage = accountEditor($("#accounts-editor"), {
      list: () => (state.profile ? state.profile.accounts : []),
      organisations: () => (state.managed && state.managed.official_accounts) || [],
      save: async (acc, replaces) => {
        const body = { account: acc };
        if (replaces) body.replaces = replaces;
        state.profile = (await api("POST", "accounts", body)).profile;
      },
      remove: async (acc) => { state.profile = (await api("DELETE", "accounts", { site: acc.site, handle: acc.handle })).profile; },
    });
  }
  accountsPage.draw();
}

// --- settings, drawn from the helper's declarative table ----------------------------------------

function settingLabel(name) {
  return { reminder_frequency: "How often to remind personal accounts that posts are public and permanent",
    audit_retention_days: "Keep the activity log for (days)", port: "Port", log_level: "Log detail" }[name] || name;
}
const CHOICE_LABELS = {
  every_post: "Before every post", first_post_of_day: "On the first post of each day", never: "Never",
  DEBUG: "Everything (for fault-finding)", INFO: "Normal", WARNING: "Warnings and errors", ERROR: "Errors only",
};

const has = (obj, key) => !!obj && Object.prototype.hasOwnProperty.call(obj, key);

function takeSettings(data) {
  state.settings = data.settings;
  if (data.table) state.table = data.table;
  if (data.managed) state.managed = data.managed;
  state.recommended = data.recommended || {};
}

// What the organisation enforces and recommends, as last drawn: a change shows without a restart.
function managedShape() {
  return JSON.stringify([state.managed && state.managed.locked, state.managed && state.managed.problems, state.recommended]);
}

async function renderSettings(form) {
  takeSettings(await api("GET", "settings"));
  drawSettings(form);
}

function drawSettings(form) {
  const locked = (state.managed && state.managed.locked) || {};
  const recommended = state.recommended || {};
  const names = form.dataset.settings.split(" ");
  const rows = state.table.filter((s) => names.includes(s.name));
  form.replaceChildren(...rows.map((s) => {
    const id = `${form.id}-${s.name}`;
    const hintId = `${id}-hint`;
    const input = s.choices
      ? el("select", { id, name: s.name, "aria-describedby": hintId }, s.choices.map((c) => el("option", { value: c, text: CHOICE_LABELS[c] || c })))
      : el("input", { id, name: s.name, inputmode: "numeric", "aria-describedby": hintId });
    input.value = String(state.settings[s.name]);
    // A setting the organisation enforces is shown, marked as theirs, and cannot be changed here.
    if (has(locked, s.name)) {
      input.disabled = true;
      input.setAttribute("aria-describedby", `${hintId} ${id}-locked`);
      return el("div", { class: "field", "data-onrecord-locked": s.name }, el("label", { for: id, text: settingLabel(s.name) }),
        el("p", { class: "hint", id: hintId, text: s.help }), input,
        el("p", { class: "locked", id: `${id}-locked`, text: state.managed.message || "Set by your organisation" }));
    }
    // A recommended value is the organisation's default: the user may change it, and take it back.
    if (has(recommended, s.name)) {
      const rec = recommended[s.name];
      input.setAttribute("aria-describedby", `${hintId} ${id}-recommended`);
      const label = CHOICE_LABELS[rec.value] || String(rec.value);
      const note = rec.in_use ? el("p", { class: "hint", id: `${id}-recommended`, text: "Recommended by your organisation." })
        : el("p", { class: "hint", id: `${id}-recommended` }, `Your organisation recommends: ${label}. You chose your own. `,
          el("button", { type: "button", class: "secondary", text: "Use your organisation's value", onclick: async () => {
            try {
              takeSettings(await api("DELETE", `settings/${encodeURIComponent(s.name)}`));
              drawSettings(form);
              say(`${settingLabel(s.name)}: your organisation's value (${label}) is in use again.`);
              form.elements[s.name].focus();
            } catch (e) { focusField(showErrors(form, e, (f) => `${form.id}-${f}`)); }
          } }));
      return el("div", { class: "field", "data-onrecord-recommended": s.name }, el("label", { for: id, text: settingLabel(s.name) }),
        el("p", { class: "hint", id: hintId, text: s.help }), input, note);
    }
    return el("div", { class: "field" }, el("label", { for: id, text: settingLabel(s.name) }), el("p", { class: "hint", id: hintId, text: s.help }), input);
  }), el("div", { class: "actions" }, el("button", { type: "submit", text: "Save settings" })));
  form.onsubmit = async (event) => {
    event.preventDefault();
    const values = {};
    rows.forEach((s) => { if (!has(locked, s.name)) values[s.name] = form.elements[s.name].value; });
    try {
      takeSettings(await api("PUT", "settings", values));
      drawSettings(form);
      clearErrors(form);
      say("Settings saved.");
    } catch (e) {
      focusField(showErrors(form, e, (f) => `${form.id}-${f}`));
    }
  };
}

// While a page with settings shows, it follows the organisation: a setting it locks, unlocks or
// recommends shows as such without a restart. Values being typed in unlocked fields are kept.
const MANAGED_POLL_MS = 2000;
async function followManaged() {
  const forms = { policy: "#policy-settings", about: "#about-settings", profile: null, accounts: null };
  if (!has(forms, state.page) || document.hidden) return;
  if (state.page === "accounts") {
    const data = await api("GET", "state");
    if (JSON.stringify(data.managed) === JSON.stringify(state.managed)) return;
    state.managed = data.managed;
    if (accountsPage && !accountsPage.hasTyped()) accountsPage.draw();
    return;
  }
  const before = managedShape();
  const data = await api("GET", "settings");
  const profileLocks = JSON.stringify(data.managed && data.managed.locked);
  if (state.page === "profile" && profileLocks !== JSON.stringify(state.managed && state.managed.locked)) {
    state.managed = data.managed;
    drawProfileLocks();
    say("Your organisation has changed its settings.");
    return;
  }
  const shownBefore = { ...state.settings };
  const form = forms[state.page] && $(forms[state.page]);
  if (!form) return;
  const typed = {};
  for (const field of Array.from(form.elements)) {
    if (field.name && !field.disabled && String(shownBefore[field.name]) !== field.value) typed[field.name] = field.value;
  }
  takeSettings(data);
  if (managedShape() === before) return;
  const focusedName = document.activeElement && form.contains(document.activeElement) ? document.activeElement.name : null;
  drawSettings(form);
  drawManagedProblems();
  for (const [name, value] of Object.entries(typed)) if (form.elements[name] && !form.elements[name].disabled) form.elements[name].value = value;
  if (focusedName && form.elements[focusedName]) form.elements[focusedName].focus();
  say("Your organisation has changed its settings.");
}

// --- policy ---------------------------------------------------------------------------------------

// Each key or value the organisation set that OnRecord had to ignore, named, where the settings show.
function drawManagedProblems() {
  const problems = (state.managed && state.managed.problems) || [];
  for (const box of $$("[data-managed-problems]")) {
    box.hidden = problems.length === 0;
    box.replaceChildren(...(problems.length ? [
      el("p", { text: "Some of your organisation's settings could not be used and are ignored (the rest apply). Your IT team can put them right:" }),
      el("ul", {}, problems.map((p) => el("li", { text: p })))] : []));
  }
}

// The pack from a web address in force, its version and when it was last confirmed, as `onrecord policy show` says.
function drawPackStatus(status) {
  const box = $("#pack-status");
  box.hidden = !status || !status.url;
  if (box.hidden) return;
  const info = status.in_force;
  const facts = [["Address", status.url]];
  if (info) {
    facts.push(["Pack in force", `${info.id}, version ${info.version}`],
      ["Signature", `Checked (key ${info.signed_by})${info.expires ? `; good until ${info.expires}` : ""}`],
      ["Last confirmed", fmtTime(info.last_confirmed)]);
  } else if (status.kept) {
    facts.push(["Pack in force", `None from this address: version ${status.kept.version} of ${status.kept.id} is kept but cannot be used (${status.signature.replace(/_/g, " ")})`]);
  } else {
    facts.push(["Pack in force", status.managed ? "None from this address yet: your own pack is in use meanwhile"
      : `None from this address yet: the built-in ${status.fallback} pack is in use meanwhile`]);
  }
  if (status.last_error) facts.push(["Last problem", status.last_error]);
  $("#pack-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

async function showPolicy() {
  const data = await api("GET", "state");
  state.profile = data.profile;
  await renderSettings($("#policy-settings"));
  drawManagedProblems();
  const status = await api("GET", "pack-status");
  drawPackStatus(status);
  const tbody = $("#rules tbody");
  tbody.replaceChildren();
  if (!state.profile) return;
  const ref = (status.in_force && status.url) || lockedValue("policy_pack") || state.profile.policy_pack;
  const pack = isUrl(ref) && !status.in_force ? null : await renderDisclaimers(ref);
  if (!pack) {
    $("#policy-in-use").textContent = isUrl(ref) ? `No policy pack from ${ref} is in force yet.`
      : `The policy pack ${ref} could not be loaded. Choose another on the Profile page.`;
    return;
  }
  const where = lockedValue("policy_pack") !== undefined ? "It is set by your organisation." : "Change it on the Profile page.";
  $("#policy-in-use").textContent = `You follow ${pack.name} (${pack.rules.length} rules). ${where}`;
  tbody.replaceChildren(...pack.rules.map((r) => el("tr", {},
    el("td", { text: r.category.replace(/_/g, " ") }),
    el("td", { text: { info: "Shows a note", confirm: "Asks you to confirm", warn: "Asks for a reason" }[r.severity] || r.severity }),
    el("td", { text: r.message }),
    el("td", {}, (r.link || r.url) ? el("a", { href: r.link || r.url, text: r.source, rel: "noreferrer", target: "_blank" }) : r.source))));
  labelCells($("#rules"));
}

// --- browsers -------------------------------------------------------------------------------------

let pairingExpires = 0;
function tickPairing() {
  if (!pairingExpires || state.page !== "browsers") return;
  const left = Math.round((pairingExpires - Date.now()) / 1000);
  if (left <= 0) {
    pairingExpires = 0;
    drawPairing({ code: null, seconds_left: 0 });
    say("The pairing code has expired. Show a new code when you are ready.");
  }
}

function drawPairing(p) {
  pairingExpires = p.code ? Date.now() + p.seconds_left * 1000 : 0;
  $("#pair-code").textContent = p.code || "No code yet";
  $("#pair-expiry").textContent = p.code
    ? `Works once, for the next ${Math.max(1, Math.round(p.seconds_left / 60))} minute(s).`
    : "Choose Show a new code when you are ready to pair a browser.";
}

async function showBrowsers() {
  drawPairing(await api("GET", "pairing"));
  const found = await api("GET", "browsers");
  await drawBrowsers(found.browsers);
  drawNative(found.native || []);
}

// Browsers that reached OnRecord by native messaging: no pairing, so nothing to revoke here.
function drawNative(browsers) {
  $("#native-empty").hidden = browsers.length > 0;
  $("#native").hidden = browsers.length === 0;
  $("#native tbody").replaceChildren(...browsers.map((b) => el("tr", {},
    el("td", { text: b.browser }),
    el("td", { text: b.origin }),
    el("td", { text: fmtTime(b.first_seen) }),
    el("td", { text: fmtTime(b.last_seen) }))));
}

// While the Browsers page shows, it follows the helper: a browser that pairs (or connects) appears, and
// the code it used goes, without the user having to leave the page or refocus the window.
const BROWSERS_POLL_MS = 1500;
let browsersShown = "";
async function followBrowsers() {
  if (state.page !== "browsers" || document.hidden) return;
  // The code is asked after only while one is showing: once spent, the helper has none to give.
  const [pairing, { browsers }] = await Promise.all([pairingExpires ? api("GET", "pairing") : null, api("GET", "browsers")]);
  if (state.page !== "browsers") return;
  const before = JSON.parse(browsersShown || "[]");
  if (pairing && $("#pair-code").textContent !== (pairing.code || "No code yet")) drawPairing(pairing);
  if (JSON.stringify(browsers) === browsersShown) return;
  const known = new Set(before.map((b) => b.id));
  const added = browsersShown ? browsers.filter((b) => !known.has(b.id) && !b.revoked) : [];
  await drawBrowsers(browsers);
  for (const b of added) say(`${b.browser} is now connected to OnRecord.`);
}

async function drawBrowsers(browsers) {
  browsersShown = JSON.stringify(browsers);
  // A redraw keeps the keyboard where it was: on the same browser's button.
  const focused = document.activeElement && document.activeElement.closest("#paired tr[data-client]");
  const focusedId = focused && focused.dataset.client;
  $("#paired-empty").hidden = browsers.length > 0;
  $("#paired").hidden = browsers.length === 0;
  $("#paired tbody").replaceChildren(...browsers.map((b) => el("tr", { "data-client": b.id },
    el("td", { text: `${b.browser} (${b.origin})` }),
    el("td", { text: fmtTime(b.paired_at) }),
    el("td", { text: fmtTime(b.last_seen) }),
    el("td", { text: b.revoked ? `Revoked ${fmtTime(b.revoked_at)}` : "Paired" }),
    el("td", { class: "actions" }, b.revoked ? "" : el("button", {
      type: "button", class: "danger", text: "Revoke", "aria-label": `Revoke ${b.browser} paired ${fmtTime(b.paired_at)}`,
      onclick: async () => {
        try {
          await drawBrowsers((await api("POST", `browsers/${encodeURIComponent(b.id)}/revoke`)).browsers);
          say(`${b.browser} can no longer reach OnRecord. Pair it again to use it.`);
          $("#browsers-heading").focus();
        } catch (e) { showErrors($("#page-browsers"), e); }
      },
    })))));
  labelCells($("#paired"));
  if (focusedId) {
    const again = $(`#paired tr[data-client="${CSS.escape(String(focusedId))}"] button`);
    (again || $("#browsers-heading")).focus();
  }
}

// --- activity -------------------------------------------------------------------------------------

function activityQuery() {
  const form = $("#activity-filter");
  const q = new URLSearchParams();
  for (const name of ["from", "to", "site", "category"]) if (form.elements[name].value) q.set(name, form.elements[name].value);
  return q.toString();
}

async function loadActivity() {
  const form = $("#activity-filter");
  const query = activityQuery();
  $("#activity-export").href = `api/activity.csv${query ? `?${query}` : ""}`;
  try {
    const data = await api("GET", `activity${query ? `?${query}` : ""}`);
    clearErrors(form);
    const cats = $("#activity-category");
    if (cats.options.length === 1) cats.append(...data.categories.map((c) => el("option", { value: c, text: c.replace(/_/g, " ") })));
    $("#activity-count").textContent = data.entries.length === 1 ? "1 entry." : `${data.entries.length} entries.`;
    $("#activity tbody").replaceChildren(...data.entries.map((e) => el("tr", {},
      el("td", { text: fmtTime(e.time) }), el("td", { text: siteLabel(e.site) }), el("td", { text: e.account }),
      el("td", { text: CHANNEL_LABELS[e.channel] || e.channel }), el("td", { text: e.categories.join(", ").replace(/_/g, " ") }),
      el("td", { text: DECISION_LABELS[e.decision] || e.decision }), el("td", { text: e.reason || "" }))));
    labelCells($("#activity"));
  } catch (e) {
    focusField(showErrors(form, e));
  }
}

function showActivity() {
  const sites = $("#activity-site");
  if (sites.options.length === 1) sites.append(...state.choices.sites.map((s) => el("option", { value: s, text: siteLabel(s) })));
  return loadActivity();
}

// --- about ----------------------------------------------------------------------------------------

async function showAbout() {
  const a = await api("GET", "about");
  const facts = [
    ["Version", a.version],
    ["Data folder", a.data_folder],
    ["Log folder", a.log_folder],
    ["Keyring", a.keyring.secure ? `${a.keyring.backend} (secure)` : `Not usable: ${a.keyring.message}`],
    ["Helper", `Running at ${a.helper.url || "this computer"} (process ${a.helper.pid}, for ${Math.round(a.helper.uptime_seconds / 60)} min); `
      + (a.helper.paired_browsers === null ? "paired browsers unknown" : `${a.helper.paired_browsers} paired browser(s)`)],
  ];
  $("#about-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  $("#about-help").textContent = a.help;
  await renderSettings($("#about-settings"));
  drawManagedProblems();
}

// The window's own bridge when it has one (any pywebview window, including one opened by
// `onrecord settings` in another process), else the helper, which closes the window it opened.
function closeWindow() {
  if (window.pywebview) {
    // In a window, always its own bridge: wait for it rather than ask the helper, which would close
    // the window it opened itself, not necessarily this one.
    if (window.pywebview.api && window.pywebview.api.close) window.pywebview.api.close();
    else window.addEventListener("pywebviewready", () => window.pywebview.api.close(), { once: true });
    return;
  }
  api("POST", "window/close").catch(() => window.close());
}

// --- pages ------------------------------------------------------------------------------------------

const SHOW = { accounts: showAccounts, policy: showPolicy, browsers: showBrowsers, activity: showActivity, about: showAbout,
  profile: async () => { fillProfileForm(state.profile); await renderDisclaimers(state.profile && state.profile.policy_pack); } };

function setMode(wizard) {
  document.body.classList.toggle("wizard", wizard);
  $("#nav").hidden = wizard;
  $$("[data-wizard-only]").forEach((n) => { n.hidden = !wizard; });
  $("#profile-heading").textContent = wizard ? "Welcome to OnRecord" : "Profile";
  if (!wizard) {
    $$("#profile-form [data-step]").forEach((s) => { s.hidden = s.hasAttribute("data-wizard-only"); });
    $("#profile-save").hidden = false;
    $("#profile-save").textContent = "Save profile";
  }
}

async function route() {
  clearErrors(document);
  const wanted = location.hash.replace("#", "");
  const wizard = !state.profile;
  // Any other fragment (the skip link's #main) keeps the page that is showing.
  const kept = PAGES.includes(state.page) ? state.page : "accounts";
  const page = wizard ? "wizard" : (PAGES.includes(wanted) ? wanted : kept);
  const moved = state.page !== null && state.page !== page;
  state.page = page;
  setMode(wizard);
  const section = wizard ? "profile" : page;
  $$(".page").forEach((s) => { s.hidden = s.id !== `page-${section}`; });
  $$("#nav a").forEach((a) => {
    if (a.dataset.page === page) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  document.title = `OnRecord: ${wizard ? "first steps" : $(`#nav a[data-page="${page}"]`).textContent}`;
  try {
    if (wizard) showStep(state.step);
    else await SHOW[page]();
  } catch (e) {
    showErrors($(`#page-${section}`), e);
  }
  if (moved) $(`#${section}-heading`).focus();
}

async function start() {
  const data = await api("GET", "state");
  state.profile = data.profile;
  state.choices = data.choices;
  state.managed = data.managed || { locked: {} };
  if (!data.pack_keys) {
    // Said before the user types an address, not only after: no keys, no pack from a web address.
    $("#f-pack_url-hint").append(" Your organisation has not set these keys on this computer, so a pack from a web address cannot be used here yet.");
  }
  try {
    state.packs = (await api("GET", "packs")).packs;
  } catch (e) {
    state.packs = [];
  }
  if (data.notice) say(data.notice);
  renderChannelHelp();
  renderProfileChoices();
  fillProfileForm(state.profile);
  wizardAccountsEditor();
  $("#profile-form").addEventListener("submit", saveProfile);
  $("#wizard-next").addEventListener("click", () => { if (checkStep(state.step)) showStep(state.step + 1); });
  $("#wizard-back").addEventListener("click", () => showStep(state.step - 1));
  $("#pair-new").addEventListener("click", async () => {
    drawPairing(await api("POST", "pairing"));
    say(`New pairing code: ${$("#pair-code").textContent.split("").join(" ")}`);
  });
  $("#activity-filter").addEventListener("submit", (e) => { e.preventDefault(); loadActivity(); });
  $("#close-window").addEventListener("click", closeWindow);
  $("#pack-refresh").addEventListener("click", async () => {
    try {
      const r = await api("POST", "pack-status");
      drawPackStatus(r.status);
      say(r.outcome ? r.outcome.message : "No policy pack is named by a web address.");
    } catch (e) { showErrors($("#page-policy"), e); }
  });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "w") { e.preventDefault(); closeWindow(); }
  });
  $(".skip").addEventListener("click", (e) => { e.preventDefault(); $("#main").focus(); });
  window.addEventListener("hashchange", route);
  // Coming back to the window shows what changed meanwhile: accounts declared from the browser's card,
  // a browser that has just paired. What is being typed in a form is left alone.
  window.addEventListener("focus", () => {
    if (state.page === "accounts") showAccounts().catch(() => {});
    if (state.page === "browsers") api("GET", "browsers").then((d) => { drawBrowsers(d.browsers); drawNative(d.native || []); }).catch(() => {});
  });
  window.setInterval(tickPairing, 1000);
  window.setInterval(() => { followBrowsers().catch(() => {}); }, BROWSERS_POLL_MS);
  window.setInterval(() => { followManaged().catch(() => {}); }, MANAGED_POLL_MS);
  await route();
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  const problem = $("#problem");
  problem.textContent = e.message;
  problem.hidden = false;
});
