"""Who may use the settings pages: only a window that OnRecord itself opened.

When the helper starts it makes a random window key. A window opens
``/settings/?key=KEY`` once; the helper answers with an HttpOnly, SameSite=Strict cookie holding a
fresh session id and sends the window on to ``/settings/`` (so the key is not left in the address or
its history). Every ``/settings/api`` request must carry that cookie and come from the settings page
itself (same origin). An extension's bearer token is refused there outright: a paired browser may
check drafts, never change who the user is or which browsers are paired.

The key is kept in ``window.key`` in the data folder, readable by the user alone (0600 in a 0700
folder), so that ``onrecord settings``, run later from another process, can open a window too. A file
rather than the keyring because the key lives only as long as the helper process that made it (it is
made anew at each start and removed at exit), and because the window must still open when the keyring
is locked or missing: the About page is where the user learns that. On Linux any process of the same
user can read the Secret Service as easily as a 0600 file, so the keyring would add no protection.
"""

from __future__ import annotations

import atexit
import hmac
import logging
import secrets
import threading
from pathlib import Path
from urllib.parse import urlsplit

from onrecord import paths
from onrecord.errors import DiskFull
from onrecord.store.atomic import write_atomic

log = logging.getLogger(__name__)

COOKIE = "onrecord_window"
KEY_FILE = "window.key"
# Requests that change something must prove they come from the page itself.
CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


def key_path() -> Path:
    return paths.home() / KEY_FILE


class WindowAccess:
    """The window key of this helper process and the sessions it was exchanged for."""

    def __init__(self, key: str | None = None, write_file: bool = True):
        """Made by the app factory, once per helper; ``write_file`` leaves the key in ``window.key``."""
        self.key = key or secrets.token_urlsafe(32)
        self._sessions: set[str] = set()
        self._lock = threading.Lock()
        self._file: Path | None = None
        if write_file:
            try:
                write_atomic(key_path(), self.key + "\n", mode=0o600, what="the settings window's key")
            except DiskFull as exc:
                # The helper still serves the extension, and opens its own window with the key it holds;
                # only `onrecord settings` from another process cannot open one until there is space.
                log.warning("%s", exc.message)
            else:
                self._file = key_path()
                atexit.register(self.remove_file)

    def remove_file(self) -> None:
        """Forget the key on disk when this helper stops, unless a newer helper has replaced it."""
        if self._file is None:
            return
        try:
            if self._file.read_text("utf-8").strip() == self.key:
                self._file.unlink()
        except OSError:
            pass

    def exchange(self, offered: str | None) -> str | None:
        """A new session id for the right key, else None."""
        if not offered or not hmac.compare_digest(offered.encode(), self.key.encode()):
            return None
        session = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions.add(session)
        return session

    def valid_session(self, session: str | None) -> bool:
        if not session:
            return False
        with self._lock:
            known = list(self._sessions)
        return any(hmac.compare_digest(session.encode(), s.encode()) for s in known)


def read_key_file(home: Path | None = None) -> str | None:
    """The current window key written by the running helper, or None."""
    p = (home / KEY_FILE) if home else key_path()
    try:
        return p.read_text("utf-8").strip() or None
    except OSError:
        return None


def refusal(method: str, headers, session: str | None, access: WindowAccess) -> str | None:
    """Why this request may not use the settings API, or None when it may.

    ``headers`` is any mapping with case-insensitive ``get`` (Flask's ``request.headers``).
    """
    if headers.get("Authorization"):
        return "the settings are changed only from the OnRecord window; a browser token is not accepted here"
    host = headers.get("Host", "")
    hostname = urlsplit(f"//{host}").hostname or ""
    if hostname not in LOOPBACK_HOSTS:
        return "the settings are served only on this computer's loopback address"
    origin = headers.get("Origin")
    if origin is not None and origin != f"http://{host}":
        return "the settings API answers only the settings page itself, not other pages or extensions"
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return "the settings API answers only the settings page itself, not other pages or extensions"
    if method in CHANGING and origin is None and fetch_site is None:
        return "a change to the settings must come from the settings page itself"
    if not access.valid_session(session):
        return "this window has no valid session: open the settings with `onrecord settings`"
    return None


def window_url(port: int, key: str, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/settings/?key={key}"

