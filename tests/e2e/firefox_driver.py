"""What the Firefox tests share: Debian's Firefox ESR driven over WebDriver BiDi by puppeteer-core
(tests/e2e/firefox/flow.mjs), with the extension installed as a temporary add-on from extension/ as it is.

The driver only acts and reports what it saw; the tests make the assertions. Where a test must change
something outside the browser in the middle of the path (stop the helper, start it again), the driver
stops at a named step (``{"pause": NAME}`` on a line of its standard output) and goes on when the test has
done it and answered with a line on its standard input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable

import pytest
from site_flow import WORK, _harness

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = Path(os.environ.get("ONRECORD_FIREFOX", "/usr/bin/firefox-esr"))
FLOW = ROOT / "tests" / "e2e" / "firefox" / "flow.mjs"
DRIVER_TIMEOUT = 600  # seconds for one whole run of the driver


def require_firefox() -> None:
    """Fails, saying what to install, when Firefox ESR or node (which drives it) is missing."""
    if not FIREFOX.exists():
        pytest.fail(f"Firefox ESR is not installed at {FIREFOX} (scripts/test.sh installs Debian's firefox-esr)")
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Firefox tests drive the browser with puppeteer-core from node")


def run_driver(site_server, pages, *, home, env: dict | None = None, on_pause: Callable[[str], None] | None = None,
               explain: Callable[[], str] | None = None, **request) -> dict:
    """Runs tests/e2e/firefox/flow.mjs on ``pages`` ((Page, sends with Ctrl+Enter) pairs) with Firefox's
    HOME at ``home``; ``request`` adds to what it is told (helperPort, pairCode, scenario, ...). At each
    pause the driver names, ``on_pause(name)`` runs before it goes on. Its JSON answer; the test fails
    when the driver or Firefox could not be set up (``explain()`` adds to what it says, e.g. a helper's log)."""
    harness = _harness()
    request = {
        "firefox": str(FIREFOX),
        "extension": str(harness.EXTENSION),
        "sitePort": site_server.port,
        "hosts": sorted(harness.HOST_TO_SITE),
        "work": WORK,
        "pages": [{"site": p.site, "url": site_server.url(p.site, p.path), "editor": p.editor, "post": p.post,
                   "keySend": key_send} for p, key_send in pages],
        **request,
    }
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(["node", str(FLOW), json.dumps(request)], cwd=ROOT, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=stderr, text=True,
                                env={**os.environ, **(env or {}), "HOME": str(home)})
        watchdog = threading.Timer(DRIVER_TIMEOUT, proc.kill)
        watchdog.start()
        answer = ""
        try:
            for line in proc.stdout:
                said = _pause_of(line)
                if said is None:
                    answer += line
                    continue
                if on_pause is None:
                    proc.kill()
                    pytest.fail(f"the Firefox driver paused at {said!r} and nobody was there to go on")
                on_pause(said)
                proc.stdin.write("\n")
                proc.stdin.flush()
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    if code != 0 or not answer.strip():
        pytest.fail(f"the Firefox driver failed ({code}): {errors[-3000:]}")
    result = json.loads(answer)
    if result.get("error"):
        more = f"\n{explain()}" if explain else ""
        pytest.fail(f"Firefox could not be set up: {result['error']}{more}")
    return result


def _pause_of(line: str) -> str | None:
    """The step a line of the driver's output pauses at, or None for a line of its answer."""
    if not line.startswith('{"pause":'):
        return None
    return json.loads(line)["pause"]
