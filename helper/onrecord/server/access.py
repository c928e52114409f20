"""One INFO line per request: method, route, status, duration and, for checks, the rule ids.

The route pattern is logged, not the requested path or query string, which could carry anything.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request

log = logging.getLogger("onrecord.access")


def install_access_log(app: Flask) -> None:
    @app.before_request
    def start_clock():
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = getattr(g, "started", None)
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        rules = getattr(g, "rule_ids", None)
        extra = f" rules={','.join(rules) or '-'}" if rules is not None else ""
        log.info("%s %s %s %.1fms%s", request.method, route, response.status_code, duration, extra)
        return response
