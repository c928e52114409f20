"""The page inside the real settings window, read from inside it.

``onrecord run`` opens its pywebview window (Qt WebEngine on Linux) as a user gets it; the test starts it
with ``QTWEBENGINE_REMOTE_DEBUGGING``, which Qt WebEngine reads at start, and evaluates JavaScript in the
window's own page over the DevTools protocol (``Runtime.evaluate``, what pywebview's ``evaluate_js`` does
from inside the process). Nothing in OnRecord is changed for the test.
"""

from __future__ import annotations

import itertools
import json
import time

import requests
import websocket


class WindowPage:
    """The settings page shown in the real window whose DevTools server listens on ``port``."""

    def __init__(self, port: int, timeout: float = 120):
        self.port = port
        target = self._wait_for_target(timeout)
        # The DevTools server refuses a WebSocket that states an Origin; this client is not a web page.
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self._ids = itertools.count(1)

    def _wait_for_target(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                pages = requests.get(f"http://127.0.0.1:{self.port}/json", timeout=5).json()
                found = [p for p in pages if p.get("type") == "page" and "/settings/" in p.get("url", "")]
                if found:
                    return found[0]
                last = pages
            except (requests.RequestException, ValueError) as exc:
                last = exc
            time.sleep(0.5)
        raise AssertionError(f"no settings page in the real window after {timeout}s (last answer: {last})")

    def evaluate(self, expression: str):
        """The value of ``expression`` (awaited when it is a promise) in the window's page."""
        ident = next(self._ids)
        self.ws.send(json.dumps({"id": ident, "method": "Runtime.evaluate", "params": {
            "expression": expression, "awaitPromise": True, "returnByValue": True}}))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") != ident:
                continue  # an event
            if "error" in answer:
                raise AssertionError(f"the window's page refused {expression!r}: {answer['error']}")
            result = answer["result"]
            if "exceptionDetails" in result:
                raise AssertionError(f"{expression!r} raised in the window's page: {result['exceptionDetails']}")
            return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30, what: str | None = None):
        """The first truthy value of ``expression``, asked again until ``timeout``."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.25)
        raise AssertionError(f"timed out after {timeout}s waiting for {what or expression} (last value: {value!r})")

    def close(self) -> None:
        self.ws.close()
