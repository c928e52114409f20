"""``onrecord run [--no-window] [--port PORT]``: start the helper (and the settings window)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

from onrecord.errors import BadInput
from onrecord.logging_setup import setup_logging
from onrecord.settings import BY_NAME
from onrecord.store import secrets, settings_store
from onrecord.store.instance import InstanceLock

log = logging.getLogger("onrecord.run")
FIRST_PORT = BY_NAME["port"].default
PURGE_EVERY = 3600  # seconds


def register(sub) -> None:
    p = sub.add_parser("run", help="start the helper (and the settings window unless --no-window)")
    p.add_argument("--no-window", action="store_true", help="serve the extension only; open no window")
    p.add_argument("--port", type=int, metavar="PORT",
                   help=f"serve on this port only (default: {FIRST_PORT}, or the next free one up to {FIRST_PORT + 4})")
    p.set_defaults(func=run)


def _no_display() -> bool:
    # Without a display a Qt window aborts the whole process, and the extension would lose its helper.
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_window(url: str) -> None:
    """The settings window runs on the main thread; when it closes, the helper keeps serving."""
    if _no_display():
        log.warning("no display: the settings window cannot open here; the helper serves without it")
        return
    from onrecord.ui.window import run_window
    try:
        run_window(url)
    except NotImplementedError as exc:
        log.warning("no settings window: %s", exc)
    except Exception as exc:  # the window's edge: the extension must keep its helper
        log.error("the settings window failed (%s); the helper keeps serving", type(exc).__name__)


def _close_window() -> None:
    try:
        from onrecord.ui.window import close_windows
        close_windows()
    except Exception as exc:  # no window open, or none available: nothing to close
        log.debug("no window to close (%s)", type(exc).__name__)


def _purge(app) -> None:
    try:
        app.extensions["onrecord_audit"].purge()
    except Exception as exc:  # the loop's edge: a broken activity log never stops the helper
        log.warning("could not purge the activity log: %s", type(exc).__name__)


def _register_native_host() -> None:
    """The packaged macOS app has no installer step (a .dmg is dragged to Applications): register the
    native messaging host for this user's browsers at each start, which changes nothing once done."""
    if not (getattr(sys, "frozen", False) and sys.platform == "darwin"):
        return  # the Linux and Windows installers register it
    try:
        from onrecord.nativehost.registration import Registrar
        registrar = Registrar()
        registrar.install("user", registrar.browsers("user"))
    except Exception as exc:  # the helper serves whatever happens here
        log.warning("could not register the native messaging host: %s", type(exc).__name__)


def run(args) -> int:
    if args.port is not None and not 1 <= args.port <= 65535:
        raise BadInput(f"--port: {args.port} is not a port number (1 to 65535)")
    store = settings_store.SettingsStore()
    settings = store.load()
    log_path = setup_logging(settings["log_level"])
    lock = InstanceLock().acquire()
    server = None
    # From here on a signal asks for a clean stop (release the lock, remove runtime.json), never a kill.
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
        if not args.no_window:
            _close_window()
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        secrets.require_secure_backend()
        from onrecord.app import create_app, settings_url
        from onrecord.server.serve import HelperServer, candidate_ports
        app = create_app(settings=store)
        app.extensions["onrecord_clients"].ensure_token_key()  # made here, once, before any request needs it
        service = app.extensions["onrecord_service"]
        # The port: an organisation's managed helperPort wins over the user's setting.
        server = HelperServer(app, candidate_ports(args.port, service._setting("port")))
        lock.publish(server.port, server.url)
        if store.problem:
            log.warning(store.problem)
        _purge(app)
        from onrecord.pack_source import Refresher, refresh_interval
        packs = app.extensions["onrecord_packs"]
        # A pack named by URL: fetched now and every packRefreshHours; the last good one is used meanwhile.
        refresher = Refresher(service.refresh_pack, refresh_interval(packs.managed))
        refresher.start()

        service.managed()  # the managed settings in force at start go into the JSON audit
        _register_native_host()
        server.start()
        log.info("OnRecord is listening on %s (log: %s)", server.url, log_path)
        print(f"OnRecord is listening on {server.url}", flush=True)
        if not args.no_window and not stop.is_set():
            _open_window(settings_url(app))
        last_purge = time.monotonic()
        while not stop.wait(0.5):
            if not server.is_serving():
                log.error("the HTTP server stopped; exiting")
                return 1
            if time.monotonic() - last_purge > PURGE_EVERY:  # retention holds on days nothing is recorded
                last_purge = time.monotonic()
                _purge(app)
        log.info("stopping")
        return 0
    finally:
        if server is not None:
            server.stop()
        lock.release()
        logging.shutdown()
