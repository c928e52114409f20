"""The composition root: ``create_app(config)`` makes the helper's state (the settings, the activity log,
the paired browsers, the compiled policy packs, the service, the settings window's key) and wires it to the guard, the ``/v1`` routes and the settings
window's pages (``onrecord.ui.web.blueprint`` under ``/settings/``). Nothing else makes them: the routes and
the pages reach them through ``app.extensions`` (``settings``, ``audit``, ``clients``, ``library``, ``service``,
``window``).

Tests pass ``config`` in rather than patching. Keys (all optional):

- ``ONRECORD_PORT``: the port the guard accepts in ``Host``; set by ``HelperServer`` once it has bound.
- ``AUDIT_DB``: the activity log's path (default ``audit.sqlite3`` in the data folder).
- ``TODAY``: a function giving the date as ``YYYY-MM-DD``, for the daily permanence reminder.
- ``MANAGED``: a ``ManagedReader`` (default: the platform's managed settings, or ``ONRECORD_MANAGED_DIR``).
- ``PACKS_DIR``: where fetched policy packs are kept (default ``packs/`` in the data folder).
- ``PACK_CAFILE``: the certificate authorities a signed pack's server is checked against (default: the
  system's trust store).
- ``ONRECORD_WINDOW_KEY``, ``ONRECORD_WINDOW_KEY_FILE``: the settings window's key, and whether to write it
  to ``window.key`` for ``onrecord settings`` (default: a new random key, written).

``base_url(app)`` (or ``app.config["BASE_URL"]``) is the helper's address once it is served; the
settings window opens ``settings_url(app)``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from onrecord.pack_source import PackSource
from onrecord.policy.packs import PackLibrary
from onrecord.server.access import install_access_log
from onrecord.server.errors import install_error_handlers
from onrecord.server.guard import Guard
from onrecord.server.routes import api
from onrecord.service import HelperService
from onrecord.managed import default_reader
from onrecord.store.audit import AuditLog
from onrecord.store.audit_json import JsonAudit
from onrecord.store.database import data_folder
from onrecord.store.clients import ClientStore
from onrecord.store.settings_store import SettingsStore
from onrecord.ui.access import WindowAccess


def create_app(config: dict[str, Any] | None = None, settings: SettingsStore | None = None) -> Flask:
    """The helper's app; ``settings`` is the store the caller already read (``onrecord run`` reads the port
    and log level before the app exists), else a new one."""
    app = Flask("onrecord", static_folder=None)  # nothing is served but the routes listed in docs/api.md
    app.config.update(
        DEBUG=False,  # never the Werkzeug debugger: it would run code for whoever reached it
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,  # the settings pages' ceiling; the API's 256 KB is the guard's
        JSON_SORT_KEYS=False,
        ONRECORD_PORT=None,
        BASE_URL=None,
    )
    app.config.update(config or {})
    app.debug = False

    settings = settings or SettingsStore()
    clients = ClientStore()
    # Managed settings: the platform's places, or the reader a test hands in (MANAGED).
    managed = app.config.get("MANAGED") or default_reader()
    json_audit = JsonAudit(managed.current)
    # The policy packs this helper has compiled: its own, shared with no other app.
    library = PackLibrary()
    packs = PackSource(app.config.get("PACKS_DIR") or data_folder() / "packs", managed.current,
                       events=json_audit.write, cafile=app.config.get("PACK_CAFILE"), library=library)
    app.extensions.update(onrecord_managed=managed, onrecord_packs=packs, onrecord_json_audit=json_audit,
                          onrecord_library=library)
    service = HelperService(None, load_settings=settings.view, today=app.config.get("TODAY"), clients=clients,
                            managed=managed, packs=packs, json_audit=json_audit,
                            saved_settings=settings.saved_names, library=library)
    # The retention in force: the organisation's auditRetentionDays wins over the user's setting.
    audit = AuditLog(app.config.get("AUDIT_DB"), retention_days=lambda: service._setting("audit_retention_days"))
    service.audit = audit
    app.extensions["onrecord_settings"] = settings
    app.extensions["onrecord_audit"] = audit
    app.extensions["onrecord_clients"] = clients
    app.extensions["onrecord_service"] = service
    app.extensions["onrecord_window"] = WindowAccess(key=app.config.get("ONRECORD_WINDOW_KEY"),
                                                     write_file=app.config.get("ONRECORD_WINDOW_KEY_FILE", True))

    # Order matters: the clock starts before the guard can refuse, so refusals are logged with a time.
    install_access_log(app)
    Guard(app)
    install_error_handlers(app)
    app.register_blueprint(api)
    from onrecord.ui.web import blueprint as settings_pages  # the settings window's own pages and API
    app.register_blueprint(settings_pages)
    return app


def base_url(app: Flask) -> str | None:
    """``http://127.0.0.1:PORT`` once the helper is served, else None."""
    return app.config.get("BASE_URL")


def settings_url(app: Flask) -> str | None:
    """The settings window's address, with this helper's window key (traded for a cookie on first load)."""
    url = base_url(app)
    return f"{url}/settings/?key={app.extensions['onrecord_window'].key}" if url else None
