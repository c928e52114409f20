"""What the benchmarks share: figures and their aims, the machine, a helper process, pairing, memory.

Each benchmark (``bench/http.py``, ``bench/startup.py``, ``bench/browser.py``) runs on its own or from
``bench/run.py``, and writes ``{"part", "figures": [...], "details": {...}}`` with ``--json FILE``.
A figure is ``{"id", "label", "value", "unit", "aim", "meets"}``; ``value`` is ``None`` only when the
figure could not be measured, and then ``"missing"`` says why.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
KEYRING_SCRIPT = ROOT / "scripts" / "with-keyring.sh"
PACKAGED = ROOT / "dist" / "onrecord" / "onrecord"

# The origin of a Chrome extension (32 letters a to p): the helper answers only extension origins.
BENCH_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"

# The profile of CONTRACT.md section 2: a civil servant with official and personal accounts on X.
PROFILE_YAML = """\
name: Amy Clarke
organisation: Department of Health
policy_pack: dh
roles: [civil_servant]
job_title: Policy lead, health and wellbeing boards
expertise: [health and wellbeing boards, local government, public health]
line_manager: Sam Patel
accounts:
  - {site: x, handle: "@AmyatDH", channel: official}
  - {site: x, handle: "@amyclarke", channel: personal, bio_has_disclaimer: false}
  - {site: x, handle: "@dhgovuk", channel: corporate}
  - {site: linkedin, handle: "amy-clarke", channel: personal}
"""

# Tweet-sized drafts (up to 280 characters) of the kinds staff write: work news from a personal
# account, an official post, a patient detail, an everyday post with nothing to say about it.
TWEETS = [
    ("@amyclarke", "Proud that our health and wellbeing boards guidance finally went live today at the "
                   "Department of Health. Months of work with councils and the NHS, and a great team."),
    ("@AmyatDH", "Health and wellbeing boards bring councils and the NHS together to plan local services. "
                 "Thread below on how they work and what changes this year for public health teams."),
    ("@amyclarke", "Visited the ward today: Mr Jones in bed 4 is recovering well after his stroke, NHS number "
                   "943 476 5919. Such a good team there."),
    ("@amyclarke", "Sunday bake: lemon drizzle, slightly burnt, still delicious. Off for a walk by the river "
                   "this afternoon if the rain holds off."),
    ("@AmyatDH", "Our take on the new fighter jet procurement: the defence budget needs a rethink, and the "
                 "draft spending review we saw internally agrees."),
]


def varied_drafts(seed: int = 7):
    """Drafts no two alike, as a day of typing gives: pieces of the held-out drafts and the tweets put
    together at random, from the personal and the official account in turn, without end."""
    texts = [text for _, text in TWEETS]
    heldout = ROOT / "tests" / "policy" / "heldout.jsonl"
    if heldout.exists():
        texts += [json.loads(line)["text"] for line in heldout.read_text("utf-8").splitlines() if line.strip()]
    words = [text.split() for text in texts]
    rng = random.Random(seed)
    accounts = [account for account, _ in TWEETS]
    n = 0
    while True:
        first, second = rng.choice(words), rng.choice(words)
        text = " ".join(first[:rng.randint(3, 40)] + second[:rng.randint(0, 20)])[:280]
        yield accounts[n % len(accounts)], f"{text} {n}"
        n += 1


# ---------------------------------------------------------------------------------------------- figures

def figure(fid: str, label: str, value, unit: str, aim: str | None = None, missing: str | None = None) -> dict:
    """One figure; ``aim`` is ``"<= 1.5"``, ``"< 5"`` or ``">= 20000"`` and decides ``meets``."""
    meets = None
    if aim is not None and value is not None:
        op, limit = aim.split()
        limit = float(limit)
        meets = {"<=": value <= limit, "<": value < limit, ">=": value >= limit, ">": value > limit}[op]
    out = {"id": fid, "label": label, "value": value, "unit": unit, "aim": aim, "meets": meets}
    if value is None:
        out["missing"] = missing or "not measured"
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100) by linear interpolation, as numpy's default."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_result(path: str | None, part: str, figures: list[dict], details: dict) -> dict:
    result = {"part": part, "figures": figures, "details": details}
    if path:
        Path(path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def print_figures(figures: list[dict], out=sys.stdout) -> None:
    """A plain table: figure, value, aim, and whether it meets the aim."""
    rows = [("figure", "value", "aim", "")]
    for f in figures:
        if f["value"] is None:
            value = "not measured"
        elif isinstance(f["value"], float):
            value = f"{f['value']:,.3g}" if abs(f["value"]) < 100 else f"{f['value']:,.0f}"
            value += f" {f['unit']}" if f["unit"] else ""
        else:
            value = f"{f['value']:,} {f['unit']}".strip()
        aim = f"{f['aim']} {f['unit']}".strip() if f["aim"] else ""
        verdict = {True: "meets", False: "MISSES", None: ""}[f["meets"]]
        rows.append((f["label"], value, aim, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip(), file=out)
        if i == 0:
            print("  ".join("-" * w for w in widths), file=out)
    for f in figures:
        if f["value"] is None:
            print(f"  {f['label']}: {f['missing']}", file=out)


# ---------------------------------------------------------------------------------------------- machine

def machine() -> dict:
    """What the figures were measured on; the load average shows how busy the machine was."""
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_gb = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb,
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }


# ---------------------------------------------------------------------------------------------- keyring

def in_keyring_session() -> bool:
    return bool(os.environ.get("ONRECORD_IN_KEYRING_SESSION"))


def reexec_in_keyring_session() -> None:
    """The helper keeps its secrets in the system keyring: start this same command inside
    scripts/with-keyring.sh (a private D-Bus session with gnome-keyring) unless already there."""
    if in_keyring_session():
        return
    argv = ["bash", str(KEYRING_SCRIPT), sys.executable, *sys.orig_argv[1:]]
    sys.stdout.flush()
    os.execvp("bash", argv)


# ---------------------------------------------------------------------------------------------- helper

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_home() -> Path:
    """A throw-away ONRECORD_HOME holding the sample profile."""
    home = Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    (home / "profile.yaml").write_text(PROFILE_YAML, encoding="utf-8")
    return home


def helper_env(home: Path) -> dict:
    return dict(os.environ, ONRECORD_HOME=str(home), PYTHONUNBUFFERED="1")


def source_command() -> list[str]:
    """``onrecord`` as installed in the project's virtual environment."""
    script = ROOT / ".venv" / "bin" / "onrecord"
    return [str(script)] if script.exists() else [sys.executable, "-m", "onrecord"]


def health_once(port: int, timeout: float = 0.5) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/v1/health")
        res = conn.getresponse()
        body = res.read()
        return res.status == 200 and b'"onrecord"' in body
    except OSError:
        return False
    finally:
        conn.close()


class Helper:
    """``onrecord run --no-window --port P`` as its own process, in its own ONRECORD_HOME."""

    def __init__(self, command: list[str] | None = None, home: Path | None = None):
        self.command = command or source_command()
        self.home = home or make_home()
        self.own_home = home is None
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.home / "bench-helper-output.txt"
        self.started_in: float | None = None  # seconds from starting it to its first /v1/health answer
        self.cpu_at_start: float | None = None  # the CPU time it had used by then

    def start(self, timeout: float = 30.0, poll: float = 0.005) -> "Helper":
        """Starts the helper and waits for its first answer to /v1/health; ``started_in`` is that wait."""
        out = open(self.log, "wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([*self.command, "run", "--no-window", "--port", str(self.port)],
                                     env=helper_env(self.home), stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        out.close()
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if health_once(self.port, timeout=1.0):
                self.started_in = time.perf_counter() - t0
                self.cpu_at_start = cpu_seconds(self.proc.pid)
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"the helper exited with status {self.proc.returncode}: {self.output()}")
            time.sleep(poll)
        self.stop()
        raise RuntimeError(f"the helper did not answer /v1/health within {timeout:.0f} s: {self.output()}")

    def output(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-2000:]
        return ""

    def pair_code(self) -> str:
        """A one-time pairing code from ``onrecord pair``, as a user would get one."""
        done = subprocess.run([*self.command, "pair", "--json"], env=helper_env(self.home),
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"onrecord pair failed: {done.stderr.strip()}")
        return json.loads(done.stdout)["code"]

    def pair(self, origin: str = BENCH_ORIGIN) -> str:
        """A token for ``origin``, the way the extension gets one: ``onrecord pair``, then POST /v1/pair."""
        return self.pairing(origin)["token"]

    def pairing(self, origin: str = BENCH_ORIGIN) -> dict:
        """POST /v1/pair's whole answer for ``origin``: the token, the client id and the proof key."""
        code = self.pair_code()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("POST", "/v1/pair", body=json.dumps({"code": code}),
                     headers={"Origin": origin, "Content-Type": "application/json"})
        res = conn.getresponse()
        body = json.loads(res.read())
        conn.close()
        if res.status != 200:
            raise RuntimeError(f"POST /v1/pair answered {res.status}: {body}")
        return body

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.own_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "Helper":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (from /proc/PID/stat, in clock ticks)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS from /proc, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
