"""A real check while another program holds 500 idle connections to the helper's port.

    .venv/bin/python bench/idle.py [--connections 500] [--checks 200] [--json FILE]

Another process (of the same user, so the helper cannot close its connections on accept as it closes
another user's) opens ``--connections`` connections to the helper and sends each the start of a request,
a check whose body never comes, then holds them all open. While it holds them, checks are timed as the
extension sends them, on one keep-alive connection and on a new connection each, against the same checks
with nothing else connected. The figure that matters is the delay the idle connections add to a check
(the aim: at most 100 ms); the number of connections the helper had open shows that it did hold them.
Idle connections are closed after ten quiet seconds (``server/serve.py``), so the timing with them is
done in the seconds after they are opened, and the holder checks that they are all still open at the end.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: bench/ on sys.path would hide the standard library's http
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))

import argparse
import json
import os
import subprocess
import sys
import time

from bench.common import Helper, figure, percentile, print_figures, reexec_in_keyring_session, write_result
from bench.http import Client

# The other program: opens N half-sent connections, says how many it holds, and keeps them until its
# standard input closes; then says how many the helper had closed meanwhile (a closed one reads b"").
HOLDER = r"""
import select, socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.sendall(f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
              "Content-Length: 4000\r\n".encode())
    held.append(s)
print(len(held), flush=True)
sys.stdin.read()
closed = sum(1 for s in held if select.select([s], [], [], 0)[0] and not s.recv(1, socket.MSG_PEEK))
print(closed, flush=True)
"""


def open_sockets(pid: int) -> int:
    """How many sockets process ``pid`` has open (Linux); -1 where that cannot be read."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return -1
    count = 0
    for fd in fds:
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:  # closed while we looked
            pass
    return count


def timed_checks(port: int, token: str, count: int) -> tuple[list[float], list[float]]:
    """``count`` checks on one keep-alive connection and ``count`` each on a new connection, in turn;
    seconds each, the new connection's time including its connect."""
    kept = Client(port, token)
    kept.check()  # connected before the clock starts
    on_kept, on_new = [], []
    for _ in range(count):
        on_kept.append(kept.check())
        t0 = time.perf_counter()
        fresh = Client(port, token)
        fresh.check()
        on_new.append(time.perf_counter() - t0)
        fresh.close()
    kept.close()
    return on_kept, on_new


def measure(connections: int = 500, checks: int = 200) -> dict:
    with Helper() as helper:
        token = helper.pair()
        timed_checks(helper.port, token, 20)  # the pack is read and compiled, the caches warm
        sockets_quiet = open_sockets(helper.proc.pid)
        quiet_kept, quiet_new = timed_checks(helper.port, token, checks)

        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(helper.port), str(connections)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            opened = int(holder.stdout.readline() or 0)
            t0 = time.perf_counter()
            first = Client(helper.port, token)
            first_check = first.check()  # the first check after the flood, on a new connection
            first.close()
            busy_kept, busy_new = timed_checks(helper.port, token, checks)
            sockets_busy = open_sockets(helper.proc.pid)
            took = time.perf_counter() - t0
            holder.stdin.close()
            closed_meanwhile = int(holder.stdout.readline() or -1)
        finally:
            if holder.poll() is None:
                holder.kill()
            holder.wait(10)
    if opened != connections:
        raise RuntimeError(f"the idle program opened {opened} of {connections} connections")

    ms = lambda values, q: round(percentile(values, q) * 1000, 3)  # noqa: E731
    quiet_p50, busy_p50 = ms(quiet_kept, 50), ms(busy_kept, 50)
    quiet_new_p50, busy_new_p50 = ms(quiet_new, 50), ms(busy_new, 50)
    added_p99 = round(max(ms(busy_kept, 99) - ms(quiet_kept, 99), ms(busy_new, 99) - ms(quiet_new, 99)), 3)
    added_worst = round(max(max(busy_new), first_check) * 1000 - ms(quiet_new, 50), 3)
    figures = [
        figure("idle.check_p50_ms_quiet", "check p50, nothing else connected", quiet_p50, "ms"),
        figure("idle.check_p50_ms_with_idle", f"check p50, {connections} idle connections held", busy_p50, "ms"),
        figure("idle.new_connection_check_p50_ms_quiet", "check on a new connection p50, nothing else connected",
               quiet_new_p50, "ms"),
        figure("idle.new_connection_check_p50_ms_with_idle",
               f"check on a new connection p50, {connections} idle held", busy_new_p50, "ms"),
        figure("idle.added_p50_ms", f"delay {connections} idle connections add to a check, p50",
               round(max(busy_p50 - quiet_p50, busy_new_p50 - quiet_new_p50), 3), "ms", "<= 100"),
        figure("idle.added_p99_ms", f"delay {connections} idle connections add to a check, p99", added_p99, "ms",
               "<= 100"),
        figure("idle.added_worst_ms", f"worst check with {connections} idle held, over the quiet p50",
               added_worst, "ms", "<= 100"),
        figure("idle.connections_held", "idle connections the helper held open while timed",
               sockets_busy - sockets_quiet if min(sockets_busy, sockets_quiet) >= 0 else None, "",
               missing="the helper's sockets cannot be counted here (no /proc)"),
    ]
    details = {"connections": connections, "checks": checks, "first_check_after_flood_ms": round(first_check * 1000, 3),
               "seconds_timed_with_idle": round(took, 2), "closed_by_helper_while_timed": closed_meanwhile,
               "helper_sockets_quiet": sockets_quiet, "helper_sockets_with_idle": sockets_busy,
               "quiet_p99_ms": ms(quiet_kept, 99), "with_idle_p99_ms": ms(busy_kept, 99),
               "new_connection_quiet_p99_ms": ms(quiet_new, 99), "new_connection_with_idle_p99_ms": ms(busy_new, 99)}
    return {"figures": figures, "details": details}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=500, help="idle connections to hold (default 500)")
    parser.add_argument("--checks", type=int, default=200, help="checks timed each way (default 200)")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    reexec_in_keyring_session()
    result = measure(args.connections, args.checks)
    write_result(args.json, "idle", result["figures"], result["details"])
    print_figures(result["figures"])
    print(json.dumps(result["details"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
