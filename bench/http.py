"""The helper over HTTP: /v1/check against /v1/health on one server, throughput, resident memory.

    .venv/bin/python bench/http.py [--checks 10000] [--json FILE]

Starts ``onrecord run --no-window`` on a free port in a throw-away ONRECORD_HOME (inside
scripts/with-keyring.sh, which it enters by itself), pairs as an extension would (``onrecord pair``, then
``POST /v1/pair`` with an extension Origin), and then, on one keep-alive connection, sends /v1/health and
/v1/check in turn, timing each from sending the request to reading the whole answer. Two clients, each in
its own process on its own connection, then send checks at once for the throughput. Resident memory
(VmRSS) is read idle, after the first tenth of the checks and after all of them.
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
import multiprocessing
import time

from bench.common import (BENCH_ORIGIN, TWEETS, Helper, cpu_seconds, figure, percentile, print_figures,
                          reexec_in_keyring_session, varied_drafts, write_result)


# A draft from the personal account that raises five prompts (confidential, personal details, disclaimer,
# identity, permanence), four of them with the words that set them off: the answer is at its largest.
FIVE_PROMPTS = ("@amyclarke", "Embargoed until Monday: the new NHS guidance. Text me on 07700 900123 about it.")


class Client:
    """One keep-alive connection, as the extension's background holds one, sending what it sends."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.health_headers = {"Origin": BENCH_ORIGIN}
        self.check_headers = {"Origin": BENCH_ORIGIN, "Authorization": f"Bearer {token}",
                              "Content-Type": "application/json"}
        self.bodies = [json.dumps({"site": "x", "account": account, "text": text, "context": "post",
                                   "reply_to": None}).encode() for account, text in TWEETS]
        self.sent = 0

    def health(self) -> float:
        t0 = time.perf_counter()
        self.conn.request("GET", "/v1/health", headers=self.health_headers)
        res = self.conn.getresponse()
        body = res.read()
        elapsed = time.perf_counter() - t0
        if res.status != 200 or b'"status":"ok"' not in body.replace(b" ", b""):
            raise RuntimeError(f"/v1/health answered {res.status}: {body[:200]!r}")
        return elapsed

    def check(self, draft: tuple[str, str] | None = None) -> float:
        """Send one check: the next of the tweets in turn, or ``draft`` (account, text)."""
        if draft is None:
            body = self.bodies[self.sent % len(self.bodies)]
        else:
            body = json.dumps({"site": "x", "account": draft[0], "text": draft[1], "context": "post",
                               "reply_to": None}).encode()
        self.sent += 1
        t0 = time.perf_counter()
        self.conn.request("POST", "/v1/check", body=body, headers=self.check_headers)
        res = self.conn.getresponse()
        answer = res.read()
        elapsed = time.perf_counter() - t0
        if res.status != 200 or b'"prompts"' not in answer:
            raise RuntimeError(f"/v1/check answered {res.status}: {answer[:300]!r}")
        return elapsed

    def close(self) -> None:
        self.conn.close()


def _throughput_worker(port: int, token: str, count: int, start, done) -> None:
    client = Client(port, token)
    client.check()  # connected before the clock starts
    start.wait()
    for _ in range(count):
        client.check()
    client.close()
    done.put(count)


def throughput(port: int, token: str, per_client: int, clients: int = 2) -> float:
    """Checks a second answered with ``clients`` processes sending at once, each on its own connection."""
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [ctx.Process(target=_throughput_worker, args=(port, token, per_client, start, done))
             for _ in range(clients)]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    total = sum(done.get(timeout=600) for _ in procs)
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join(30)
        if p.exitcode != 0:
            raise RuntimeError(f"a throughput client failed (exit {p.exitcode})")
    return total / elapsed


def measure(total_checks: int = 10_000, settle: float = 2.0) -> dict:
    warm = max(20, total_checks // 10)
    pairs = max(50, total_checks * 3 // 10)
    per_client = max(20, total_checks * 3 // 20)
    with Helper() as helper:
        time.sleep(settle)  # idle: started, nothing asked of it yet
        rss_idle = helper.rss_mb()
        token = helper.pair()
        client = Client(helper.port, token)
        first_check = client.check()  # the first after start: the policy pack is read and compiled now
        for _ in range(warm - 1):
            client.check()
            client.health()
        rss_warm = helper.rss_mb()

        health, check = [], []
        for i in range(pairs):  # in turn, and which goes first alternates, so neither gets the warmer cache
            if i % 2:
                health.append(client.health())
                check.append(client.check())
            else:
                check.append(client.check())
                health.append(client.health())

        # The same on a draft that raises five prompts, each with its evidence.
        health5, check5 = [], []
        for i in range(pairs):
            if i % 2:
                health5.append(client.health())
                check5.append(client.check(FIVE_PROMPTS))
            else:
                check5.append(client.check(FIVE_PROMPTS))
                health5.append(client.health())

        # The helper's own CPU time for each kind of request (all its threads, from /proc): unlike the
        # timings, it does not stretch when other work shares the machine.
        cpu = {}
        for kind, send in (("health", client.health), ("check", client.check)):
            before = cpu_seconds(helper.proc.pid)
            for _ in range(pairs // 3):
                send()
            cpu[kind] = (cpu_seconds(helper.proc.pid) - before) / (pairs // 3) * 1000

        tput = throughput(helper.port, token, per_client)
        # Then drafts no two alike, as a day of typing sends: first half as many as ``total_checks``
        # (at least), while the RE2 sets fill their caches of states to the size they are allowed, then as
        # many again. What the helper keeps per draft seen must have stopped growing by then.
        sent = client.sent + 2 * (per_client + 1)
        drafts = varied_drafts()
        first = max(total_checks - sent, total_checks // 2)
        varied = first + total_checks // 2
        for _ in range(first):
            client.check(next(drafts))
        sent += first
        time.sleep(settle)
        rss_after = helper.rss_mb()
        more = total_checks // 2
        for _ in range(more):
            client.check(next(drafts))
        time.sleep(settle)
        rss_later = helper.rss_mb()
        client.close()

    ms = 1000
    h50, h99 = percentile(health, 50) * ms, percentile(health, 99) * ms
    c50, c99 = percentile(check, 50) * ms, percentile(check, 99) * ms
    f50, f99 = percentile(check5, 50) * ms, percentile(check5, 99) * ms
    g50 = percentile(health5, 50) * ms
    figures = [
        figure("http.check_p50_ms", "/v1/check p50", round(c50, 3), "ms"),
        figure("http.check_p99_ms", "/v1/check p99", round(c99, 3), "ms", "< 5"),
        figure("http.health_p50_ms", "/v1/health p50", round(h50, 3), "ms"),
        figure("http.health_p99_ms", "/v1/health p99", round(h99, 3), "ms"),
        figure("http.check_health_p50_ratio", "/v1/check p50 / /v1/health p50", round(c50 / h50, 3), "x",
               "<= 1.5"),
        figure("http.check_five_prompts_p50_ms", "/v1/check p50, a draft raising five prompts", round(f50, 3), "ms"),
        figure("http.check_five_prompts_p99_ms", "/v1/check p99, a draft raising five prompts", round(f99, 3), "ms",
               "< 5"),
        figure("http.check_five_prompts_health_p50_ratio", "/v1/check p50 (five prompts) / /v1/health p50",
               round(f50 / g50, 3), "x", "<= 1.5"),
        figure("http.first_check_ms", "the first /v1/check after start", round(first_check * ms, 1), "ms"),
        figure("http.throughput_2_clients", "checks/s over HTTP, 2 clients", round(tput, 1), "checks/s"),
        figure("http.rss_idle_mb", "helper RSS idle", round(rss_idle, 1), "MB", "< 60"),
        figure("http.rss_after_checks_mb", f"helper RSS after {sent:,} checks", round(rss_after, 1), "MB"),
        figure("http.rss_growth_mb", f"RSS growth over {more:,} more checks, all different",
               round(rss_later - rss_after, 1), "MB", "<= 1"),
    ]
    details = {
        "checks_sent": sent + more, "warm_up_checks": warm, "interleaved_pairs": pairs,
        "throughput_checks_per_client": per_client, "rss_after_warm_up_mb": round(rss_warm, 1),
        "rss_growth_warm_up_to_all_checks_mb": round(rss_after - rss_warm, 1),
        "checks_all_different": varied,
        "check_ms": {"min": round(min(check) * ms, 3), "mean": round(sum(check) / len(check) * ms, 3),
                     "p90": round(percentile(check, 90) * ms, 3), "max": round(max(check) * ms, 3)},
        "health_ms": {"min": round(min(health) * ms, 3), "mean": round(sum(health) / len(health) * ms, 3),
                      "p90": round(percentile(health, 90) * ms, 3), "max": round(max(health) * ms, 3)},
        "check_minus_health_p50_ms": round(c50 - h50, 3),
        "helper_cpu_ms_per_request": {kind: round(ms, 3) for kind, ms in cpu.items()},
        "helper_cpu_check_health_ratio": round(cpu["check"] / cpu["health"], 2),
        "client": "http.client, one keep-alive connection; times include the client's own work",
    }
    return {"figures": figures, "details": details}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=10_000,
                        help="checks to send in all (default 10,000); the memory figure is read after them")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    reexec_in_keyring_session()
    result = measure(args.checks)
    write_result(args.json, "http", result["figures"], result["details"])
    print_figures(result["figures"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
