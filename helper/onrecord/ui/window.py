"""The settings window: a pywebview window on the helper's /settings/ pages.

``run_window(url)`` blocks on the main thread until the window closes; the helper keeps serving the
extension from its other threads meanwhile, and after.

Backends: WebView2 on Windows and WKWebView on macOS need nothing extra. On Linux OnRecord uses Qt
(PyQt6 with Qt WebEngine, the ``qt`` extra): it installs from PyPI as wheels, with no compiler and no
build dependencies, and PyInstaller bundles it. GTK would need PyGObject < 3.51 built against the
system's GObject with its development packages. The Debian libraries Qt needs at run time are listed
in packaging/linux/apt-runtime.txt.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

TITLE = "OnRecord"
SIZE = (980, 760)
MIN_SIZE = (560, 480)
ICON = Path("assets") / "icons" / "onrecord.png"

_open: list = []
_lock = threading.Lock()


def linux_backend() -> str:
    return "qt"


def icon_path() -> str | None:
    """OnRecord's icon for the window (used by Qt and GTK): in the packaged app, or in the source tree."""
    here = Path(__file__).resolve()
    bases = [Path(getattr(sys, "_MEIPASS", "")) if getattr(sys, "_MEIPASS", None) else None,
             here.parents[3] if len(here.parents) > 3 else None]
    for base in bases:
        if base is not None and (base / ICON).is_file():
            return str(base / ICON)
    return None


def _prepare_qt_environment() -> None:
    """Qt WebEngine's Chromium refuses to start its sandbox as root (containers, CI); everyone else
    keeps the sandbox."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    # Prefer X11 (or XWayland): pywebview's Qt backend is tested there, and window titles are visible
    # to accessibility tools and to `xdotool`.
    if os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


# A browser's zoom levels (Chromium's), which Ctrl+plus and Ctrl+minus step through; Ctrl+0 is 100%.
ZOOM_LEVELS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0)
# Qt key sequences: "Ctrl++" is Ctrl+Shift+= on most layouts, so the unshifted Ctrl+= zooms in too.
ZOOM_KEYS = {"Ctrl++": 1, "Ctrl+=": 1, "Ctrl+-": -1, "Ctrl+0": 0}


def next_zoom(current: float, step: int) -> float:
    """The zoom one level in (``step`` 1) or out (-1) from ``current``, or 100% for 0."""
    if step == 0:
        return 1.0
    if step > 0:
        return next((z for z in ZOOM_LEVELS if z > current + 0.005), ZOOM_LEVELS[-1])
    return next((z for z in reversed(ZOOM_LEVELS) if z < current - 0.005), ZOOM_LEVELS[0])


def add_zoom_keys(window) -> None:
    """Ctrl+plus, Ctrl+minus and Ctrl+0 zoom the page, as in a browser: Qt's web view has no zoom keys of
    its own (WebView2 on Windows has them already). Called on Qt's GUI thread by pywebview's
    ``before_show`` event, which runs its handlers there, before the window first shows."""
    from qtpy.QtGui import QKeySequence, QShortcut

    native = window.native
    view = getattr(native, "webview", None)
    if view is None or not hasattr(view, "setZoomFactor"):
        return

    def zoom(step: int) -> None:
        view.setZoomFactor(next_zoom(view.zoomFactor(), step))

    native._onrecord_zoom_keys = []  # kept alive with the window
    for keys, step in ZOOM_KEYS.items():
        shortcut = QShortcut(QKeySequence(keys), native)
        shortcut.activated.connect(lambda step=step: zoom(step))
        native._onrecord_zoom_keys.append(shortcut)


PACK_FILE_TYPES = ("Policy packs (*.yaml;*.yml;*.json)", "All files (*.*)")


class WindowApi:
    """What the page may ask of the window itself (``window.pywebview.api``)."""

    def __init__(self):
        self.window = None

    def choose_pack_file(self) -> str | None:
        """The path of a pack file the user picks in the system's own file dialog, or None."""
        import webview
        if self.window is None:
            return None
        picked = self.window.create_file_dialog(webview.FileDialog.OPEN, file_types=PACK_FILE_TYPES)
        return str(picked[0]) if picked else None

    def close(self) -> bool:
        # Called on pywebview's bridge thread: the window is destroyed from another one, so the call
        # can answer the page first.
        threading.Thread(target=close_windows, name="close-window", daemon=True).start()
        return True


def close_windows() -> int:
    """Close the settings windows this process opened; the helper goes on serving."""
    with _lock:
        windows = list(_open)
    for w in windows:
        try:
            w.destroy()
        except Exception:  # a window already closing: nothing left to do
            log.debug("window already closed", exc_info=True)
    return len(windows)


def run_window(url: str, title: str = TITLE) -> None:
    """Open the settings window on ``url`` (with its window key) and block until it is closed."""
    import webview

    if sys.platform.startswith("linux"):
        _prepare_qt_environment()
    webview.settings["ALLOW_DOWNLOADS"] = True  # the activity page's CSV export
    bridge = WindowApi()
    window = webview.create_window(title, url, width=SIZE[0], height=SIZE[1], min_size=MIN_SIZE,
                                   js_api=bridge, text_select=True)
    bridge.window = window
    if sys.platform.startswith("linux"):
        window.events.before_show += add_zoom_keys
    with _lock:
        _open.append(window)
    try:
        webview.start(gui=linux_backend() if sys.platform.startswith("linux") else None, private_mode=True,
                      icon=icon_path())
    finally:
        with _lock:
            if window in _open:
                _open.remove(window)
