"""The real settings window: `onrecord run` under Xvfb opens a Qt WebEngine window titled OnRecord.

The test finds the window by its title with xdotool, as an outside check does, saves a screenshot of it
(to docs/images/settings-window.png, shown in the README, only with ONRECORD_UPDATE_IMAGES=1), closes it through the window's own API and
checks that the helper goes on serving the extension.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from .conftest import Helper, onrecord

BRAND_BLUE = (0x0B, 0x4F, 0x8A)

# Grabs one X window by id with Qt (already a dependency of the window), and prints the colour of a
# point in the page's header: the page has drawn once that point is OnRecord's blue.
GRAB = """
import sys
from PyQt6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(int(sys.argv[1])).toImage()
image.save(sys.argv[2])
c = image.pixelColor(int(sys.argv[3]), int(sys.argv[4]))
print(image.width(), image.height(), c.red(), c.green(), c.blue())
"""


# How many rows from the top of one X window, at column x, are OnRecord's blue: the height of the page's
# header band, which grows and shrinks with the page's zoom.
BAND = """
import sys
from PyQt6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(int(sys.argv[1])).toImage()
x, (r0, g0, b0) = int(sys.argv[2]), (0x0B, 0x4F, 0x8A)
rows = 0
for y in range(image.height()):
    c = image.pixelColor(x, y)
    if max(abs(c.red() - r0), abs(c.green() - g0), abs(c.blue() - b0)) > 12:
        break
    rows += 1
print(rows)
"""


def windows_titled(title: str, env: dict) -> list[int]:
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], env=env,
                       capture_output=True, text=True)
    return [int(w) for w in r.stdout.split()]


def the_window(env: dict) -> int | None:
    """The window titled OnRecord as it is now. Qt may replace a top-level's X window once WebEngine
    attaches its surface, so an id found earlier can go stale; every use looks it up again."""
    found = windows_titled("OnRecord", env)
    return found[-1] if found else None


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def grab(window: int | None, path: Path, env: dict, x: int = 30, y: int = 12) -> tuple[int, int, tuple[int, int, int]]:
    if window is None:  # between Qt's replacing one X window and showing the next
        return 0, 0, (0, 0, 0)
    out = subprocess.run([sys.executable, "-c", GRAB, str(window), str(path), str(x), str(y)],
                         env={**env, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    w, h, r, g, b = map(int, out.stdout.split()[-5:])
    return w, h, (r, g, b)


def near(colour, wanted, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted))


def test_onrecord_run_opens_the_window_on_the_wizard_and_closing_it_leaves_the_helper(onrecord_home, display, tmp_path,
                                                                                      doc_image):
    env = dict(os.environ, DISPLAY=display)
    helper = Helper(onrecord_home, window=True, env={"DISPLAY": display})
    try:
        wait_for(lambda: the_window(env), 90, "a window titled OnRecord")
        # The page has asked the helper for what the wizard needs, with the window's own session.
        wait_for(lambda: "GET /settings/api/packs 200" in helper.output(), 60, "the page to load")
        shot = tmp_path / "window.png"
        size = wait_for(lambda: (lambda g: g if near(g[2], BRAND_BLUE) else None)(grab(the_window(env), shot, env)),
                        60, "the page to be drawn")
        assert size[0] >= 800 and size[1] >= 600
        time.sleep(1.0)  # fonts and the focus ring settle
        grab(the_window(env), shot, env)
        doc_image("settings-window.png").write_bytes(shot.read_bytes())
        assert "GET /settings/ 303" in helper.output()  # the key was traded for the window's cookie

        # Close the window as its Close button does: through the settings API, with the window's session.
        r = helper.session().post(f"{helper.base}/settings/api/window/close", json={}, timeout=10)
        assert r.status_code == 200 and r.json()["closed"] is True
        wait_for(lambda: not windows_titled("OnRecord", env), 30, "the window to close")
        # The helper goes on serving the extension.
        time.sleep(1.0)
        assert helper.proc.poll() is None
        assert requests.get(f"{helper.base}/v1/health", timeout=5).json()["status"] == "ok"

        # `onrecord settings` opens it again from another process, with a key of its own that the helper
        # accepts. (Ctrl+W, its keyboard close, is tested on the page in test_pages.py: on a virtual screen
        # with no window manager, which window has the keyboard is not dependable.)
        again = subprocess.Popen([sys.executable, "-m", "onrecord", "settings"],
                                 env={**env, "ONRECORD_HOME": str(onrecord_home)},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: the_window(env), 90, "the window opened by `onrecord settings`")
            wait_for(lambda: near(grab(the_window(env), tmp_path / "again.png", env)[2], BRAND_BLUE), 60,
                     "the second window's page (its key was accepted)")
            assert again.poll() is None  # it stays open until closed
        finally:
            if again.poll() is None:
                again.terminate()
            again.wait(30)
        wait_for(lambda: not windows_titled("OnRecord", env), 30, "the second window to close")
        assert helper.proc.poll() is None
    finally:
        helper.stop()


def test_onrecord_settings_without_a_running_helper_says_how_to_start_one(onrecord_home):
    r = onrecord("settings", home=onrecord_home, check=False)
    assert r.returncode == 2
    assert "not running" in r.stderr and "onrecord run" in r.stderr
    assert r.stderr.count("\n") == 1


def test_onrecord_settings_gives_a_window_address_the_helper_accepts(helper):
    url = onrecord("settings", "--print-url", home=helper.home).stdout.strip()
    assert url.startswith(f"{helper.base}/settings/?key=")
    s = requests.Session()
    assert s.get(url, timeout=5).status_code == 200
    assert s.get(f"{helper.base}/settings/api/state", timeout=5).status_code == 200


def header_height(env: dict) -> int:
    window = the_window(env)
    if window is None:
        return 0
    out = subprocess.run([sys.executable, "-c", BAND, str(window), "4"], env={**env, "QT_QPA_PLATFORM": "xcb"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split()[-1])


def test_zoom_keys_zoom_the_real_window(onrecord_home, display):
    """Ctrl+plus, Ctrl+minus and Ctrl+0, typed on the keyboard (XTEST through xdotool) into the real window,
    zoom the page as a browser does: the header band grows, shrinks and comes back to its height."""
    env = dict(os.environ, DISPLAY=display)
    helper = Helper(onrecord_home, window=True, env={"DISPLAY": display})
    try:
        wait_for(lambda: the_window(env), 90, "a window titled OnRecord")
        wait_for(lambda: "GET /settings/api/packs 200" in helper.output(), 60, "the page to load")
        normal = wait_for(lambda: header_height(env) or None, 60, "the page's header to be drawn")
        time.sleep(1.0)
        normal = header_height(env)

        def press(keys: str) -> None:
            window = the_window(env)
            subprocess.run(["xdotool", "windowfocus", "--sync", str(window)], env=env, check=True, timeout=30)
            subprocess.run(["xdotool", "key", "--clearmodifiers", keys], env=env, check=True, timeout=30)

        press("ctrl+equal")
        press("ctrl+plus")
        # Two steps in: 125%.
        zoomed = wait_for(lambda: (lambda h: h if h >= normal * 1.2 else None)(header_height(env)), 30,
                          f"the header to grow from {normal} px")
        assert zoomed <= normal * 1.3
        press("ctrl+0")
        wait_for(lambda: abs(header_height(env) - normal) <= 1, 30, "the header to come back to its height")
        press("ctrl+minus")
        wait_for(lambda: header_height(env) < normal * 0.95, 30, "the header to shrink")
    finally:
        helper.stop()
