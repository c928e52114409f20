"""The composition root: ``create_app(config)`` wires the store, the policy engine, the guard, the ``/v1``
routes and the settings window's pages (``onrecord.ui.web.blueprint`` under ``/settings/``).

Tests pass ``config`` in rather than patching. Keys (all optional):

- ``ONRECORD_PORT``: the port the guard accepts in ``Host``; set by ``HelperServer`` once it has bound.
- ``AUDIT_DB``: the activity log's path (default ``audit.sqlite3`` in the data folder).
- ``TODAY``: a function giving the date as ``YYYY-MM-DD``, for the daily permanence reminder.

``base_url(app)`` (or ``app.config["BASE_URL"]``) is the helper's address once it is served; the
settings window opens ``settings_url(app)``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from onrecord.server.access import install_access_log
from onrecord.server.errors import install_error_handlers
from onrecord.server.guard import Guard
from onrecord.server.routes import api
from onrecord.service import HelperService
from onrecord.store import settings_store
from onrecord.store.audit import AuditLog


def create_app(config: dict[str, Any] | None = None) -> Flask:
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

    audit = AuditLog(app.config.get("AUDIT_DB"), retention_days=lambda: settings_store.load()["audit_retention_days"])
    app.extensions["onrecord_audit"] = audit
    # Settings are read on checks from personal accounts: the file's path is found once, here, as the
    # activity log's is, since finding it creates the data folder (a system call) each time.
    settings_file = settings_store.settings_file()
    app.extensions["onrecord_service"] = HelperService(audit, load_settings=lambda: settings_store.view(settings_file),
                                                       today=app.config.get("TODAY"))

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
    url = base_url(app)
    return f"{url}/settings/" if url else None
