"""The native messaging host: ``onrecord native-host`` as a browser starts it.

The browser starts the program as the user's own process and says who is calling: Chrome, Chromium,
Edge and Brave pass the caller's origin (``chrome-extension://ID/``, and on Windows also
``--parent-window=N``); Firefox passes the path of the host manifest and the add-on's id. A caller whose
id is not allowed (the store ids, plus ``allowedExtensionIds`` from managed settings) is answered one
refusal and the host exits: the browser's own check should have kept it out, so this is the second lock.

Each request is ``{"id", "path", "body"}`` and carries the same request as the HTTP route ``path``;
each answer is ``{"id", "status", "body"}`` with the HTTP route's status and JSON (docs/api.md,
"Native messaging"). There is no pairing and no token: the browser has already said which extension is
calling, and only the user's own browser could have started this process.

Drafts are checked here, in this process, with the same ``HelperService`` the HTTP helper uses, so posts
are checked even when ``onrecord run`` is not running and the settings window has never been opened.

Standard output carries protocol frames and nothing else: at start the real output is set aside for the
frames and file descriptor 1 is pointed at standard error, so a stray print can never corrupt the stream.
Nothing here logs a draft or a request body.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from dataclasses import dataclass
from typing import BinaryIO, Callable

from onrecord import __version__
from onrecord.errors import BadInput, OnRecordError, Refused
from onrecord.nativehost import framing

log = logging.getLogger("onrecord.native")

API_VERSION = 1
CHROME_ORIGIN = re.compile(r"^chrome-extension://([a-p]{32})/?$")
MAX_ID = 64

EXIT_REFUSED = 3


class CallerRefused(Refused):
    code = "forbidden"


@dataclass(frozen=True)
class Caller:
    """Who the browser says is calling: ``family`` is ``chromium`` (Chrome, Edge, Brave...) or ``firefox``."""

    family: str
    extension_id: str

    @property
    def origin(self) -> str:
        return (f"chrome-extension://{self.extension_id}" if self.family == "chromium"
                else f"firefox-addon:{self.extension_id}")


def identify_caller(argv: list[str]) -> Caller:
    """The caller from the arguments the browser passed; ``CallerRefused`` when they name none."""
    for arg in argv:
        match = CHROME_ORIGIN.match(arg)
        if match:
            return Caller("chromium", match.group(1))
    # Firefox: the manifest's path, then the add-on id (an email-like id or a {UUID}).
    if len(argv) >= 2 and argv[0].endswith(".json") and re.fullmatch(r"[A-Za-z0-9._@{}+-]{1,200}", argv[1]):
        return Caller("firefox", argv[1])
    raise CallerRefused("no caller named: the browser starts this program with the calling extension's origin")


def check_allowed(caller: Caller, allowed: Callable[[str], frozenset[str]]) -> None:
    if caller.extension_id not in allowed(caller.family):
        raise CallerRefused(f"extension {caller.extension_id} is not allowed to use OnRecord "
                            "(the allowed ids are the store's and managed settings' allowedExtensionIds)")


def browser_name(caller: Caller) -> str:
    """Which browser started us, by its program's name where the system says (Linux), else its family."""
    names = {"chrome": "Chrome", "google-chrome": "Chrome", "chromium": "Chromium", "chromium-browser": "Chromium",
             "msedge": "Edge", "microsoft-edge": "Edge", "brave": "Brave", "brave-browser": "Brave",
             "firefox": "Firefox", "firefox-esr": "Firefox", "firefox-bin": "Firefox"}
    try:
        exe = os.path.basename(os.readlink(f"/proc/{os.getppid()}/exe"))
        if exe in names:
            return names[exe]
    except OSError:
        pass
    return "Firefox" if caller.family == "firefox" else "Chromium-based browser"


# Requests ----------------------------------------------------------------------------------------

def _routes(service) -> dict[str, Callable[[dict], dict]]:
    """The HTTP routes the extension calls, by path: each parses the body as the route does
    (``onrecord.server.parse``), calls the service and answers the route's JSON."""
    from onrecord.server import parse

    def health(body):
        return {"app": "onrecord", "status": "ok", "version": __version__, "api": API_VERSION}

    def status(body):
        parse.no_fields(body)
        pack = service.pack_report()
        return {"paired": True, "native": True, "version": __version__, "api": API_VERSION,
                **({"pack": pack} if pack else {})}

    def check(body):
        # As POST /v1/check answers: the pack that checked it, and the profile's problem when there is one.
        result, pack = service.check_with_pack(parse.check_request(body))
        answer, problem = result.to_json(), service.profile_problem()
        return {**answer, **({"profile_problem": problem} if problem else {}), **({"pack": pack} if pack else {})}

    def settings(body):
        parse.no_fields(body)
        return service.extension_settings()

    return {
        "/v1/account": lambda body: service.account(*parse.account_ref(body)),
        "/v1/accounts": lambda body: service.declare_account(parse.account_declaration(body)),
        "/v1/accounts/list": lambda body: {"accounts": service.declared_accounts(parse.site_only(body))},
        "/v1/check": check,
        "/v1/decisions": lambda body: service.record_decision(parse.decision_request(body)),
        "/v1/health": health,
        "/v1/settings": settings,
        "/v1/status": status,
    }


def _envelope(message) -> tuple[object, str, dict]:
    if not isinstance(message, dict):
        raise BadInput("a request is a JSON object: {\"id\", \"path\", \"body\"}")
    unknown = sorted(set(message) - {"id", "path", "body"})
    if unknown:
        raise BadInput(f"unknown field {', '.join(map(repr, unknown))} (fields: id, path, body)")
    rid = message.get("id")
    if isinstance(rid, bool) or not isinstance(rid, (int, str)) or (isinstance(rid, str) and len(rid) > MAX_ID):
        raise BadInput("id: expected a number or a short text")
    path = message.get("path")
    if not isinstance(path, str):
        raise BadInput("path: expected the route's path, such as /v1/check")
    body = message.get("body", {})
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise BadInput("body: expected a JSON object")
    return rid, path, body


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


class Host:
    """Answers requests one at a time from ``routes`` (path to function); ``seen`` is called on each."""

    def __init__(self, routes: dict[str, Callable[[dict], dict]], seen: Callable[[], None] = lambda: None):
        self.routes = routes
        self.seen = seen

    def answer(self, message) -> dict:
        rid = message.get("id") if isinstance(message, dict) else None
        if isinstance(rid, bool) or not isinstance(rid, (int, str)) or (isinstance(rid, str) and len(rid) > MAX_ID):
            rid = None
        try:
            rid, path, body = _envelope(message)
            route = self.routes.get(path)
            if route is None:
                return {"id": rid, "status": 404, "body": _error("not_found", f"no such request: {path[:100]}")}
            self.seen()
            return {"id": rid, "status": 200, "body": route(body)}
        except OnRecordError as exc:
            from onrecord.server.status import status_for
            return {"id": rid, "status": status_for(exc), "body": _error(exc.code, exc.message)}
        except Exception as exc:  # the request's edge: answer, log the type only (a message may quote a draft)
            log.error("internal error answering a request: %s", type(exc).__name__)
            return {"id": rid, "status": 500, "body": _error("internal", "internal error")}

    def serve(self, stdin: BinaryIO, stdout: BinaryIO) -> int:
        """Answer until the browser closes standard input."""
        while True:
            try:
                message = framing.read_message(stdin)
            except framing.FrameTooLarge as exc:
                framing.write_message(stdout, {"id": None, "status": 413, "body": _error("too_large", str(exc))})
                continue
            except framing.BadFrame as exc:
                framing.write_message(stdout, {"id": None, "status": 400, "body": _error("bad_input", str(exc))})
                continue
            if message is None:
                return 0
            framing.write_message(stdout, self.answer(message))


# The program ---------------------------------------------------------------------------------------

def _protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """Standard input and a private copy of standard output for the frames; fd 1 then goes to stderr."""
    if sys.platform == "win32":
        import msvcrt
        msvcrt.setmode(0, os.O_BINARY)
        msvcrt.setmode(1, os.O_BINARY)
    sys.stdout.flush()
    frames = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return sys.stdin.buffer, frames


def _make_service():
    """The same service the HTTP helper's app factory makes, over the same data folder."""
    from onrecord.service import HelperService
    from onrecord.store.audit import AuditLog
    from onrecord.store.clients import ClientStore
    from onrecord.store.settings_store import SettingsStore

    settings = SettingsStore()
    audit = AuditLog(None, retention_days=lambda: settings.view()["audit_retention_days"])
    return HelperService(audit, load_settings=settings.view, clients=ClientStore())


def _recorder(caller: Caller, browser: str, clients) -> Callable[[], None]:
    """Notes the browser as connected now, and again at most every ``LAST_SEEN_EVERY`` seconds."""
    from onrecord.store.clients import LAST_SEEN_EVERY

    last = [0.0]

    def seen() -> None:
        now = time.monotonic()
        if now - last[0] < LAST_SEEN_EVERY:
            return
        last[0] = now
        try:
            clients.record_native(caller.origin, browser)
        except Exception as exc:  # a busy database never stops a check
            log.warning("could not note the browser as connected: %s", type(exc).__name__)
    return seen


def run(argv: list[str], allowed: Callable[[str], frozenset[str]] | None = None) -> int:
    """The host's main: ``argv`` is what the browser passed."""
    stdin, stdout = _protocol_streams()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="onrecord native-host: %(levelname)s %(message)s")
    try:
        caller = identify_caller(argv)
        if allowed is None:
            from onrecord.nativehost.registration import allowed_ids as allowed
        check_allowed(caller, allowed)
    except CallerRefused as exc:
        print(f"onrecord native-host: {exc.message}", file=sys.stderr)
        framing.write_message(stdout, {"id": None, "status": 403, "body": _error(exc.code, exc.message)})
        return EXIT_REFUSED
    service = _make_service()
    host = Host(_routes(service), _recorder(caller, browser_name(caller), service.clients))
    try:
        return host.serve(stdin, stdout)
    except BrokenPipeError:
        return 0
