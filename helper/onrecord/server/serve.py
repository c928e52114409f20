"""Serving the app with waitress on 127.0.0.1: the port fallback, a serving thread, a clean stop.

Waitress is a pure-Python production WSGI server that runs the same on Windows, macOS and Linux, so the
packaged helper needs no compiler or C extension; it never exposes tracebacks.
"""

from __future__ import annotations

import errno
import logging
import threading

from flask import Flask
from waitress import create_server
from waitress import wasyncore

from onrecord.errors import OnRecordError
from onrecord.server.peer import CLOSES_ON_ACCEPT, from_another_user
from onrecord.settings import BY_NAME

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = BY_NAME["port"].default  # the settings table is the one place that says 47651
FALLBACKS = 4  # the first port, then the next four

# Idle connections cost a socket and nothing else: no thread waits on one (waitress hands a request to
# its threads only once it has arrived whole). So the connection limit is high (waitress's default of 100
# let 150 idle connections from another program stop a real check for seconds), sockets are watched
# with poll() (select() cannot watch past 1024), and a connection quiet for CHANNEL_TIMEOUT seconds is
# closed. Connections from another user are closed on accept (peer.py).
CONNECTION_LIMIT = 2000
CHANNEL_TIMEOUT = 10
CLEANUP_INTERVAL = 2


def _raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files towards ``wanted`` (within the hard limit)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class PortUnavailable(OnRecordError):
    code = "port_unavailable"


def candidate_ports(explicit: int | None = None, first: int = DEFAULT_PORT) -> list[int]:
    """``--port`` alone when given; otherwise the first port and the next four."""
    if explicit:
        return [int(explicit)]
    return [first + i for i in range(FALLBACKS + 1)]


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}"


class HelperServer:
    """A waitress server bound to the first free port of ``ports``; ``start()`` serves on a thread."""

    def __init__(self, app: Flask, ports: list[int], threads: int = 4, close_other_users: bool = CLOSES_ON_ACCEPT):
        self.app = app
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.server = None
        refused = []
        # Room for the connection limit and the helper's own files (databases, log, window).
        limit = min(CONNECTION_LIMIT, max(100, _raise_open_file_limit(CONNECTION_LIMIT + 200) - 200))
        for port in ports:
            try:
                self.server = create_server(
                    app, host=HOST, port=port, threads=threads, ident="OnRecord",
                    expose_tracebacks=False, clear_untrusted_proxy_headers=True,
                    # The guard refuses bodies over 256 KB with a JSON answer; this bounds what waitress
                    # buffers. The overflow sizes are above it so a body (perhaps a draft) or an answer
                    # is never spooled to a temporary file on disk.
                    max_request_body_size=4 * 1024 * 1024, inbuf_overflow=8 * 1024 * 1024,
                    outbuf_overflow=8 * 1024 * 1024, max_request_header_size=64 * 1024,
                    channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=CLEANUP_INTERVAL,
                    connection_limit=limit, asyncore_use_poll=True, backlog=1024,
                )
                break
            except OSError as exc:
                if exc.errno not in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                    raise
                refused.append(str(port))
        if self.server is None:
            raise PortUnavailable(f"port {', '.join(refused)} {'is' if len(refused) == 1 else 'are'} taken on {HOST}: "
                                  "stop what uses it or choose another with --port")
        self._accept_own_users_pending(self.server, close_other_users)
        self.port = int(self.server.effective_port)
        self.url = base_url(self.port)
        # The guard accepts only this port in Host; the settings window learns its URL from here.
        app.config["ONRECORD_PORT"] = self.port
        app.config["BASE_URL"] = self.url

    @staticmethod
    def _accept_own_users_pending(server, close_other_users: bool) -> None:
        """Accept every connection waiting at once, and close those another user's program opened.

        Waitress accepts one connection per turn of its loop, and each turn polls every open socket: a
        program that opens hundreds of connections at once puts a real check behind all of them in the
        queue, for seconds. Taking the whole queue in one turn (up to the connection limit) keeps the
        real check's wait to one turn. With ``close_other_users`` (Linux and Windows, where asking is
        cheap; see peer.py) a connection from another user is closed before a byte of it is read.
        """
        accept = server.accept

        def accept_own_user():
            while True:
                accepted = accept()
                if accepted is None or not close_other_users or not from_another_user(accepted[0]):
                    return accepted
                accepted[0].close()

        def handle_accept_pending():
            while len(server._map) < server.adj.connection_limit:
                try:
                    accepted = accept_own_user()
                    if accepted is None:
                        return  # the queue is empty
                    conn, addr = accepted
                    server.set_socket_options(conn)
                except OSError:  # as waitress: a connection closed before it was accepted is no error
                    continue
                server.channel_class(server, conn, server.fix_addr(addr), server.adj, map=server._map)

        server.accept = accept_own_user
        server.handle_accept = handle_accept_pending

    def serve(self) -> None:
        """Serve until ``stop()``: waitress's loop, one poll at a time so a stop is noticed within a second."""
        server = self.server
        try:
            while not self._stop.is_set() and server._map:
                wasyncore.loop(timeout=0.5, map=server._map, use_poll=True, count=1)
        finally:
            server.task_dispatcher.shutdown()
            wasyncore.close_all(server._map)

    def start(self) -> "HelperServer":
        self._thread = threading.Thread(target=self._serve_logged, name="onrecord-http", daemon=True)
        self._thread.start()
        return self

    def is_serving(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _serve_logged(self) -> None:
        try:
            self.serve()
        except Exception:  # the thread's edge: log, never die silently
            log.exception("the HTTP server stopped on an error")

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        try:
            self.server.pull_trigger()
        except Exception:  # already closed
            pass
        if self._thread is not None:
            self._thread.join(timeout)
