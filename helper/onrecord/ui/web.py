"""The settings pages and their JSON API, served by the helper under /settings/.

The pages are plain HTML, CSS and JavaScript in ``static/``. Views here only parse the request, call
the stores (through ``onrecord.ui.sources``) and shape the answer; who may call them is decided by
``onrecord.ui.access`` before any view runs.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, jsonify, redirect, request, send_from_directory

from onrecord import __version__
from onrecord.errors import BadInput, NotFound
from onrecord.profile import CHANNELS, ROLES, SITES, Account, Profile
from onrecord.managed.effective import LOCKED_MESSAGE
from onrecord.pack_source import is_url
from onrecord.server.errors import error_response
from onrecord.sites import LABELS as SITE_LABELS
from onrecord.ui import access, forms, sources

blueprint = Blueprint("settings_ui", __name__, url_prefix="/settings",
                      static_folder="static", static_url_path="/static")


def window_access(app=None) -> access.WindowAccess:
    """The window key and sessions of this helper, made by ``create_app``."""
    return (app or current_app).extensions["onrecord_window"]


def _secure_headers(resp: Response) -> Response:
    # The pages load only their own files and nothing may frame them (clickjacking a settings page).
    # 'unsafe-eval' because pywebview builds its js_api bridge with `new Function`; inline scripts stay
    # refused, and the pages put text in with textContent only, never as HTML.
    resp.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


blueprint.after_request(_secure_headers)


@blueprint.get("/")
def index():
    """The window's page. ``?key=`` is traded for a session cookie, then dropped from the address."""
    win = window_access()
    offered = request.args.get("key")
    if offered is not None:
        session = win.exchange(offered)
        if session is None:
            return _closed_page("This window key is not valid any more.", 403)
        resp = redirect(request.base_url, code=303)
        resp.set_cookie(access.COOKIE, session, httponly=True, samesite="Strict", path="/settings/")
        return resp
    if not win.valid_session(request.cookies.get(access.COOKIE)):
        return _closed_page("The settings open only in the OnRecord window.", 403)
    return send_from_directory(blueprint.static_folder, "index.html")


def _closed_page(reason: str, status: int) -> Response:
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OnRecord settings</title>
<link rel="stylesheet" href="static/style.css"></head><body><main class="closed"><h1>OnRecord settings</h1>
<p>{reason}</p><p>To open them, run <code>onrecord settings</code> or choose OnRecord from your
applications menu.</p></main></body></html>"""
    return Response(body, status=status, mimetype="text/html")


@blueprint.before_request
def _guard():
    if not request.path.startswith(f"{blueprint.url_prefix}/api/"):
        return None
    why = access.refusal(request.method, request.headers, request.cookies.get(access.COOKIE), window_access())
    if why:
        return error_response(403, "forbidden", why)
    return None


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput("expected a JSON object in the request body")
    return data


# --- what every page needs ---------------------------------------------------------------------

@blueprint.get("/api/state")
def state():
    profile, notice = sources.saved_profile()
    notice = " ".join(n for n in (notice, sources.settings_problem()) if n) or None
    return jsonify({
        "profile": profile.to_dict() if profile else None,
        "pack_keys": sources.signing_keys_set(),
        "first_run": profile is None,
        "notice": notice,
        "version": __version__,
        "choices": {"sites": SITES, "site_labels": SITE_LABELS, "channels": CHANNELS, "roles": ROLES},
        "managed": _managed_view(),
    })


# --- the profile and its accounts ----------------------------------------------------------------

@blueprint.put("/api/profile")
def put_profile():
    data = _body()
    saved, _ = sources.saved_profile()
    if "accounts" not in data:
        # The profile page edits who you are; accounts have their own page and must not be lost.
        data = {**data, "accounts": [a.to_dict() for a in saved.accounts] if saved else []}
    # Every field is checked before answering, so all the messages show at once.
    problems: list[dict] = []
    typed_url = data.pop("policy_pack_url", None)  # the pack chosen as a web address
    if isinstance(typed_url, str):
        if not typed_url.strip():
            problems.append({"field": "pack_url", "message": f"Enter the pack's web address, for example {sources.EXAMPLE_URL}."})
        else:
            try:
                data["policy_pack"] = sources.check_pack_url(typed_url)
            except forms.FormError as exc:
                problems += exc.fields
    elif saved is not None and data.get("policy_pack") == saved.policy_pack and "policy_pack" in _managed_view()["locked"]:
        pass  # the organisation sets the pack: the user's own, kept for later, is not theirs to change now
    elif isinstance(data.get("policy_pack"), str) and data["policy_pack"].strip():
        try:
            data["policy_pack"] = sources.check_pack_ref(data["policy_pack"].strip())
        except forms.FormError as exc:
            problems += exc.fields
    try:
        profile = forms.profile_from_form(data)
    except forms.FormError as exc:
        problems = exc.fields + problems
    if problems:
        raise forms.FormError(problems[0]["field"], problems[0]["message"], problems[1:])
    sources.save_profile(profile)
    answer = {"profile": profile.to_dict()}
    if is_url(profile.policy_pack) and (saved is None or saved.policy_pack != profile.policy_pack):
        # A new address is fetched at once, so the user learns now whether the pack is accepted.
        answer["pack"] = sources.refresh_pack()
    return jsonify(answer)


@blueprint.post("/api/accounts")
def post_account():
    data = _body()
    _require_profile()
    account = forms.account_from_form(data.get("account"))
    original = data.get("replaces")

    def change(profile: Profile) -> Profile:
        kept = profile.accounts
        if isinstance(original, dict):
            kept = tuple(a for a in kept if not _same(a, original))
        clash = next((a for a in kept if a.site == account.site and a.key == account.key), None)
        if clash is not None and not isinstance(original, dict):
            raise forms.FormError("handle", f"{clash.handle} on {account.site} is already declared")
        return Profile(**{**profile._fields(), "accounts": kept}).with_account(account)
    # Through the service, under the lock the extension's declarations take too.
    updated = sources.change_profile(change)
    return jsonify({"profile": updated.to_dict(), "account": account.to_dict()})


@blueprint.delete("/api/accounts")
def delete_account():
    data = _body()
    _require_profile()

    def change(profile: Profile) -> Profile:
        kept = tuple(a for a in profile.accounts if not _same(a, data))
        if len(kept) == len(profile.accounts):
            raise NotFound(f"no declared account {data.get('handle')!r} on {data.get('site')!r}")
        return Profile(**{**profile._fields(), "accounts": kept})
    updated = sources.change_profile(change)
    return jsonify({"profile": updated.to_dict()})


def _same(account: Account, ref: dict) -> bool:
    site, handle = ref.get("site"), ref.get("handle")
    return isinstance(site, str) and isinstance(handle, str) and account.site == site and \
        account.key == Account(site, handle, account.channel).key


def _require_profile() -> Profile:
    profile, notice = sources.saved_profile()
    if profile is None:
        raise BadInput(notice or "there is no saved profile yet: finish the first-run steps")
    return profile


# --- policy packs and settings --------------------------------------------------------------------

@blueprint.get("/api/packs")
def packs():
    return jsonify({"packs": sources.list_packs()})


@blueprint.get("/api/pack")
def pack():
    ref = request.args.get("ref", "").strip()
    if not ref:
        raise forms.FormError("policy_pack", "Choose a policy pack or give the path of a pack file.")
    return jsonify({"pack": sources.pack_detail(ref)})


@blueprint.get("/api/pack-status")
def get_pack_status():
    return jsonify(sources.pack_status())


@blueprint.post("/api/pack-status")
def check_pack_now():
    return jsonify(sources.refresh_pack())


def _managed_view() -> dict:
    """What the organisation set, for the pages to show locked: each locked name with its value."""
    service = current_app.extensions.get("onrecord_service")
    m = service.managed() if service else None
    if m is None:
        return {"locked": {}, "organisation": None, "problems": [], "message": LOCKED_MESSAGE}
    locked = {}
    for s in forms.SETTINGS:
        is_locked, value = m.locked_setting(s.name)
        if is_locked:
            locked[s.name] = value
    # The organisation's name and pack win over the profile's (the profile keeps the user's own for the day
    # the organisation stops setting them); an agency's staff name their own body on each of its accounts.
    if m.get("organisation"):
        locked["organisation"] = m.get("organisation")
    if "policyPack" in m:
        locked["policy_pack"] = m.get("policyPack")
    return {"locked": locked, "organisation": m.get("organisation"),
            "official_accounts": m.get("officialAccounts", []), "message": LOCKED_MESSAGE,
            # Each bad key or value the organisation set, named (it is ignored; the rest applies).
            "problems": list(m.problems)}


def _settings_answer(view: dict | None = None) -> dict:
    """Every setting as it is in force for this user: the organisation's enforced value, the user's own
    choice, the organisation's recommended value (while the user has not chosen that setting), or the
    default. ``recommended`` says, per setting, the organisation's value and whether it is the one in use."""
    view = view or _managed_view()
    service = current_app.extensions.get("onrecord_service")
    m = service.managed() if service else None
    values = sources.load_settings()
    chosen = sources.chosen_settings()
    recommended = {}
    for s in forms.SETTINGS:
        if m is None or s.name in view["locked"]:
            continue
        is_recommended, value = m.recommended_setting(s.name)
        if is_recommended:
            recommended[s.name] = {"value": value, "in_use": s.name not in chosen}
            if s.name not in chosen:
                values[s.name] = value
    values.update({k: v for k, v in view["locked"].items() if k in forms.BY_NAME})
    return {"settings": values, "recommended": recommended}


@blueprint.get("/api/settings")
def get_settings():
    view = _managed_view()
    return jsonify({**_settings_answer(view), "table": forms.settings_table(), "managed": view})


@blueprint.put("/api/settings")
def put_settings():
    """Saves what the user changed. A value the form sends back as it was shown (a default, or the
    organisation's recommended value) is not made the user's own choice, so it keeps following them."""
    values = forms.settings_from_form(_body())
    view = _managed_view()
    locked = view["locked"]
    refused = [name for name in values if name in locked and values[name] != locked[name]]
    if refused:
        raise forms.FormError(refused[0], f"{LOCKED_MESSAGE}: this setting cannot be changed here.")
    shown = _settings_answer(view)["settings"]
    chosen = sources.chosen_settings()
    changes = {k: v for k, v in values.items() if k not in locked and (k in chosen or v != shown[k])}
    if changes:
        sources.save_settings(changes)
    return jsonify(_settings_answer(view))


@blueprint.delete("/api/settings/<name>")
def forget_setting(name: str):
    """The user's own choice for ``name`` is dropped: it follows the organisation's recommended value (or the
    default) again."""
    if name not in forms.BY_NAME:
        raise NotFound(f"no setting {name!r}")
    sources.forget_setting(name)
    return jsonify(_settings_answer())


# --- browsers ------------------------------------------------------------------------------------

@blueprint.get("/api/pairing")
def pairing():
    return jsonify(sources.pairing_code(new=False))


@blueprint.post("/api/pairing")
def new_pairing():
    return jsonify(sources.pairing_code(new=True))


@blueprint.get("/api/browsers")
def browsers():
    return jsonify({"browsers": sources.list_browsers(), "native": sources.list_native_browsers()})


@blueprint.post("/api/browsers/<client_id>/revoke")
def revoke(client_id: str):
    sources.revoke_browser(client_id)
    return jsonify({"browsers": sources.list_browsers(), "native": sources.list_native_browsers()})


# --- activity ------------------------------------------------------------------------------------

def _activity_filters() -> dict:
    out: dict = {}
    for name in ("from", "to"):
        raw = request.args.get(name, "").strip()
        if raw:
            try:
                out[name] = date.fromisoformat(raw)
            except ValueError:
                raise forms.FormError(f"activity-{name}", f"{raw!r} is not a date like 2026-11-21") from None
    if "from" in out and "to" in out and out["from"] > out["to"]:
        raise forms.FormError("activity-to", "The end date is before the start date.")
    site = request.args.get("site", "").strip()
    if site:
        if site not in SITES:
            raise forms.FormError("activity-site", f"{site!r} is not a site OnRecord knows")
        out["site"] = site
    category = request.args.get("category", "").strip()
    if category:
        out["category"] = category
    return out


@blueprint.get("/api/activity")
def activity():
    return jsonify({"entries": sources.activity(**_activity_filters()), "categories": sources.categories()})


@blueprint.get("/api/activity.csv")
def activity_csv():
    text = sources.activity_csv(**_activity_filters())
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="onrecord-activity.csv"'})


# --- about and the window ------------------------------------------------------------------------

@blueprint.get("/api/about")
def about():
    return jsonify(sources.about())


@blueprint.post("/api/window/close")
def close_window():
    from onrecord.ui import window
    return jsonify({"closed": window.close_windows() > 0})
