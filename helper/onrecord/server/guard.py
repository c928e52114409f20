"""The guard: every request is judged here before any route sees it, OPTIONS included.

In order, and the first refusal wins:

1. ``Host`` is ``127.0.0.1:PORT`` or ``localhost:PORT`` with the helper's own port, else 403. This is
   what stops DNS rebinding: a page on ``evil.example`` resolved to 127.0.0.1 still sends its own Host.
2. ``/settings/...`` belongs to the settings window: only a same-origin ``Origin`` (or none, for a page
   load) gets through, and authentication is left to the settings blueprint's own window secret. An
   extension token means nothing there.
3. ``GET /v1/health`` is open to all (it says only that OnRecord is here). Everything else needs an
   extension ``Origin`` (``chrome-extension://``, ``moz-extension://``, ``safari-web-extension://``): a
   missing, ``null`` or web origin is refused with 403, and no CORS header is given. Once a token is
   presented, only the origin it was paired from will do.
4. A preflight from an extension origin is answered here (204), without a token (browsers send none).
5. A route that acts refuses GET (405) before anything else is read.
6. ``Authorization: Bearer TOKEN`` for every route but health, pair and prove (401 when missing, wrong or
   revoked; 403 when the token was paired from another origin). A token anywhere else is ignored.
   Wrong tokens are not counted: a 256-bit token cannot be guessed, and a count per origin (which any
   local program can claim) would let a stranger's wrong tokens lock the real extension out. Guessing
   the 6-digit pairing code is limited by the code itself (``clients.MAX_WRONG_CODES``), and on Linux
   another user's connections never get this far (``serve.py`` closes them on accept).
7. Bodies: ``application/json`` only (415), at most 256 KB (413), valid UTF-8 JSON, an object, nested
   at most 32 deep (400). The parsed body is left in ``g.body`` for the route; no body at all is ``{}``.

CORS answers echo the one allowed origin with ``Vary: Origin``; never ``*``.
"""

from __future__ import annotations

import json
import re

from flask import Flask, Response, current_app, g, request

from onrecord.server.errors import error_response

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 32

# What makes an origin an extension's is its scheme, which no web page can claim: Chrome and Edge send
# chrome-extension://ID, Firefox moz-extension://UUID, Safari safari-web-extension://UUID. The id itself
# is not checked against a format, since only a browser sets Origin and a local program can send any.
EXTENSION_ORIGIN = re.compile(r"^(?:chrome-extension|moz-extension|safari-web-extension)://[a-z0-9][a-z0-9._-]{0,127}$",
                              re.IGNORECASE)
_BEARER = re.compile(r"^Bearer ([A-Za-z0-9_-]{20,128})$")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")

PUBLIC_PATHS = ("/v1/health",)
TOKENLESS_PATHS = ("/v1/health", "/v1/pair", "/v1/prove")
SETTINGS_PREFIX = "/settings"


def refuse(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    return error_response(status, code, message, headers)


def json_depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (iteratively: no recursion to exhaust)."""
    if isinstance(value, dict) and not any(isinstance(v, (dict, list)) for v in value.values()):
        return 1  # a flat object, as every check is: no walk needed
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _content_length(value: str | None) -> int | None:
    """``CONTENT_LENGTH`` as a number, or None when it is missing or not one (as werkzeug reads it)."""
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


def _own_hosts() -> tuple[str, ...]:
    port = current_app.config.get("ONRECORD_PORT")
    if not port:
        return ()
    return (f"127.0.0.1:{port}", f"localhost:{port}")


def _acts(path: str) -> bool:
    """True when the route at ``path`` accepts POST but not GET (a GET there is refused with 405)."""
    adapter = current_app.url_map.bind("localhost")
    methods = set()
    for method in ("GET", "POST"):
        try:
            adapter.match(path, method=method)
            methods.add(method)
        except Exception:  # NotFound or MethodNotAllowed: the route does not take this method
            pass
    return methods == {"POST"}


class Guard:
    """Installs the checks above on ``app``."""

    def __init__(self, app: Flask):
        self.clients = app.extensions["onrecord_clients"]
        app.extensions["onrecord_guard"] = self
        app.before_request(self.before)
        app.after_request(self.after)

    def before(self):
        g.cors_origin = None
        g.client = None
        host = request.headers.get("Host", "").lower()
        if host not in _own_hosts():
            return refuse(403, "forbidden", "this helper answers only on its own loopback address")
        path = request.path
        origin = request.headers.get("Origin")
        if path == SETTINGS_PREFIX or path.startswith(SETTINGS_PREFIX + "/"):
            if origin is not None and origin.lower() not in {f"http://{h}" for h in _own_hosts()}:
                return refuse(403, "forbidden", "the settings pages answer only the settings window")
            return None
        if path in PUBLIC_PATHS and request.method in ("GET", "HEAD"):
            if origin and EXTENSION_ORIGIN.match(origin):
                g.cors_origin = origin
            return None
        if not origin or not EXTENSION_ORIGIN.match(origin):
            return refuse(403, "forbidden", "only the OnRecord browser extension may call this helper")
        g.cors_origin = origin
        if request.method == "OPTIONS":
            return self._preflight(origin)
        if request.method in ("GET", "HEAD") and _acts(path):
            return refuse(405, "method_not_allowed", "this route acts: use POST with a JSON body")
        if path not in TOKENLESS_PATHS:
            refused = self._authenticate(origin)
            if refused is not None:
                return refused
        if request.method in _BODY_METHODS:
            return self._read_body()
        return None

    def _preflight(self, origin: str) -> Response:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        return response

    def _authenticate(self, origin: str) -> Response | None:
        header = request.environ.get("HTTP_AUTHORIZATION")
        if not header:
            return refuse(401, "unauthorized", "pair this browser first: run `onrecord pair` and enter the code",
                          {"WWW-Authenticate": "Bearer"})
        match = _BEARER.match(header.strip())
        client = self.clients.authenticate(match.group(1)) if match else None
        if client is None:
            return refuse(401, "unauthorized", "this browser is not paired, or its pairing was revoked",
                          {"WWW-Authenticate": "Bearer"})
        if client.origin != origin:
            g.cors_origin = None  # a stolen token's answer is not for that extension to read
            return refuse(403, "forbidden", "this token was paired with another extension")
        g.client = client
        return None

    def _read_body(self) -> Response | None:
        # Read from the WSGI environ rather than werkzeug's request properties, which parse the same
        # headers again on each use: this runs on every check, and costs a fraction as much so.
        environ = request.environ
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        length = None if chunked else _content_length(environ.get("CONTENT_LENGTH"))
        if not length and not chunked:
            g.body = {}  # a POST with no body at all asks with no fields; there is nothing to misread
            return None
        if environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower() != "application/json":
            return refuse(415, "unsupported_media_type", "send the body as JSON (Content-Type: application/json)")
        if length is not None and length > MAX_BODY_BYTES:
            return refuse(413, "too_large", f"the body is over {MAX_BODY_BYTES // 1024} KB")
        # With a length, exactly that many bytes (WSGI forbids reading past it); sent chunked, up to the
        # limit and one byte more, through werkzeug's stream, which knows where a chunked body ends.
        stream, wanted = (request.stream, MAX_BODY_BYTES + 1) if length is None else (environ["wsgi.input"], length)
        raw = b""
        while len(raw) < wanted:  # a stream may answer in pieces: read until the end or the limit
            piece = stream.read(wanted - len(raw))
            if not piece:
                break
            raw += piece
        if len(raw) > MAX_BODY_BYTES:
            return refuse(413, "too_large", f"the body is over {MAX_BODY_BYTES // 1024} KB")
        try:
            body = json.loads(raw.decode("utf-8"))
        except RecursionError:
            return refuse(400, "bad_input", f"the JSON is nested more than {MAX_DEPTH} deep")
        except (UnicodeDecodeError, ValueError):
            return refuse(400, "bad_input", "the body is not valid UTF-8 JSON")
        if json_depth(body) > MAX_DEPTH:
            return refuse(400, "bad_input", f"the JSON is nested more than {MAX_DEPTH} deep")
        if not isinstance(body, dict):
            return refuse(400, "bad_input", "the body must be a JSON object")
        g.body = body
        return None

    def after(self, response: Response) -> Response:
        response.vary.add("Origin")
        origin = getattr(g, "cors_origin", None)
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
        else:
            response.headers.pop("Access-Control-Allow-Origin", None)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
