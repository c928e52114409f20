"""Native messaging against HTTP, side by side in one run, as the extension uses each.

    .venv/bin/python bench/native.py [--checks N] [--json FILE]

- native: ``onrecord-native-host`` started as Chromium starts it (the caller's origin as its argument),
  spoken to in length-prefixed JSON over its standard input and output. The first check is timed from
  the process start (what the first check after the browser starts costs); then checks one at a time.
- http: ``onrecord run`` on a free port, paired as the extension pairs; each check is what the extension
  sends for one: a fresh proof (``POST /v1/prove``) and then ``POST /v1/check``, on one keep-alive
  connection. ``/v1/check`` alone is timed too.
- relay: the design not chosen, measured for the record: a host that passes each frame on, over a Unix
  socket (mode 0600) in a private folder, to a process that holds the checking service, and back.

The three are asked in turn, the same drafts in the same order, so neither gets a warmer cache. The aim
is a native check within 1.5 times the HTTP check's median.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: bench/ on sys.path would hide the standard library's http
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))

import argparse
import http.client
import json
import os
import secrets
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (ROOT, TWEETS, Helper, figure, helper_env, median, percentile, print_figures,
                          reexec_in_keyring_session, write_result)

HOST_PROGRAM = ROOT / ".venv" / "bin" / "onrecord-native-host"
PYTHON = ROOT / ".venv" / "bin" / "python"


def _chrome_origin() -> str:
    sys.path.insert(0, str(ROOT / "helper"))
    from onrecord.nativehost.registration import STORE_IDS
    return f"chrome-extension://{STORE_IDS['chromium'][0]}/"


def _frame(message) -> bytes:
    raw = json.dumps(message).encode()
    return struct.pack("=I", len(raw)) + raw


def _read(stream) -> dict:
    head = stream.read(4)
    (n,) = struct.unpack("=I", head)
    return json.loads(stream.read(n))


class Framed:
    """A process spoken to in frames over its standard input and output, as a browser speaks to a host."""

    def __init__(self, argv: list[str], env: dict):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env)
        self.next_id = 0

    def ask(self, path: str, body: dict) -> dict:
        self.next_id += 1
        self.proc.stdin.write(_frame({"id": self.next_id, "path": path, "body": body}))
        self.proc.stdin.flush()
        answer = _read(self.proc.stdout)
        if answer.get("status") != 200 or answer.get("id") != self.next_id:
            raise RuntimeError(f"{path} answered {answer}")
        return answer

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)


# The relay that was not chosen: a service process on a Unix socket, and a host that passes frames on.
_SERVICE = r'''
import os, socket, struct, sys
from onrecord.nativehost import framing
from onrecord.nativehost.host import Host, _make_service, _routes
path = sys.argv[1]
old = os.umask(0o177)  # the socket is made 0600: only this user may connect
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
os.umask(old)
server.listen(8)
print("ready", flush=True)
host = Host(_routes(_make_service()))
while True:
    conn, _ = server.accept()
    stream = conn.makefile("rwb", buffering=0)
    host.serve(stream, stream)
    conn.close()
'''
_RELAY = r'''
import socket, struct, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(sys.argv[1])
s = sock.makefile("rwb", buffering=0)
inp, out = sys.stdin.buffer, sys.stdout.buffer
def exactly(stream, n):
    data = b""
    while len(data) < n:
        piece = stream.read(n - len(data))
        if not piece:
            raise SystemExit(0)
        data += piece
    return data
while True:
    head = exactly(inp, 4)
    s.write(head + exactly(inp, struct.unpack("=I", head)[0]))
    head = exactly(s, 4)
    out.write(head + exactly(s, struct.unpack("=I", head)[0]))
    out.flush()
'''


class HttpExtension:
    """What the extension's background does over HTTP for one check: prove, then check."""

    def __init__(self, port: int, pairing: dict, origin: str):
        self.port = port
        self.pairing = pairing
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Origin": origin, "Content-Type": "application/json"}

    def _post(self, path: str, body: dict, auth: bool) -> dict:
        headers = dict(self.headers)
        if auth:
            headers["Authorization"] = f"Bearer {self.pairing['token']}"
        self.conn.request("POST", path, body=json.dumps(body), headers=headers)
        res = self.conn.getresponse()
        answer = json.loads(res.read())
        if res.status != 200:
            raise RuntimeError(f"{path} answered {res.status}: {answer}")
        return answer

    def prove(self) -> None:
        self._post("/v1/prove", {"client_id": self.pairing["client_id"], "nonce": secrets.token_hex(32)}, False)

    def check(self, body: dict) -> None:
        self._post("/v1/check", body, True)


def _timed(f) -> float:
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1000


def measure(checks: int = 2000) -> dict:
    origin = _chrome_origin()
    drafts = [{"site": "x", "account": a, "text": t, "context": "post", "reply_to": None} for a, t in TWEETS]
    with Helper() as helper:
        env = helper_env(helper.home)
        subprocess.run([str(ROOT / ".venv" / "bin" / "onrecord"), "profile", "import", str(helper.home / "profile.yaml")],
                       env=env, check=True, capture_output=True)
        pairing = helper.pairing(origin.rstrip("/"))
        web = HttpExtension(helper.port, pairing, origin.rstrip("/"))
        http_first = _timed(lambda: (web.prove(), web.check(drafts[0])))

        t0 = time.perf_counter()
        native = Framed([str(HOST_PROGRAM), origin], env)
        native.ask("/v1/check", drafts[0])
        native_first = (time.perf_counter() - t0) * 1000

        folder = Path(tempfile.mkdtemp(prefix="onrecord-relay-"))
        os.chmod(folder, 0o700)
        sock = folder / "helper.sock"
        service = subprocess.Popen([str(PYTHON), "-c", _SERVICE, str(sock)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        service.stdout.readline()
        t0 = time.perf_counter()
        relay = Framed([str(PYTHON), "-c", _RELAY, str(sock)], env)
        relay.ask("/v1/check", drafts[0])
        relay_first = (time.perf_counter() - t0) * 1000

        times = {"native": [], "http": [], "http_check_only": [], "relay": []}
        for i in range(checks):
            body = drafts[i % len(drafts)]
            order = [("native", lambda: native.ask("/v1/check", body)),
                     ("http", lambda: (web.prove(), web.check(body))),
                     ("http_check_only", lambda: web.check(body)),
                     ("relay", lambda: relay.ask("/v1/check", body))]
            if i % 2:
                order.reverse()
            for name, f in order:
                times[name].append(_timed(f))
        native.close()
        relay.close()
        service.kill()
        service.wait()

    p50 = {k: median(v) for k, v in times.items()}
    p95 = {k: percentile(v, 95) for k, v in times.items()}
    ratio = p50["native"] / p50["http"]
    figures = [
        figure("native.first_check_ms", "first check after the browser starts: native (host start + check)",
               round(native_first, 1), "ms"),
        figure("native.http_first_check_ms", "first check after the browser starts: HTTP (prove + check, helper running)",
               round(http_first, 1), "ms"),
        figure("native.relay_first_check_ms", "first check through a relay host to a running service",
               round(relay_first, 1), "ms"),
        figure("native.check_p50_ms", "check over native messaging, median", round(p50["native"], 2), "ms"),
        figure("native.http_check_p50_ms", "check over HTTP as the extension sends it (prove + check), median",
               round(p50["http"], 2), "ms"),
        figure("native.http_check_only_p50_ms", "POST /v1/check alone, median", round(p50["http_check_only"], 2), "ms"),
        figure("native.relay_check_p50_ms", "check through the relay over a Unix socket, median",
               round(p50["relay"], 2), "ms"),
        figure("native.ratio_to_http", "native median / HTTP median", round(ratio, 2), "x", aim="<= 1.5"),
    ]
    details = {"checks": checks, "p50_ms": p50, "p95_ms": p95}
    return {"figures": figures, "details": details}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=2000, help="checks of each kind (default 2,000)")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    reexec_in_keyring_session()
    result = measure(args.checks)
    write_result(args.json, "native", result["figures"], result["details"])
    print_figures(result["figures"])
    for name in ("native", "http", "http_check_only", "relay"):
        print(f"  {name:16} p50 {result['details']['p50_ms'][name]:.2f} ms   p95 {result['details']['p95_ms'][name]:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
