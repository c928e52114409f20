"""Two people on one shared desktop (Remote Desktop, Citrix): two OS users made for the test, each with
their own helper, keyring session and Chromium profile on the same 127.0.0.1, every process started as
its user with ``setpriv``.

Both helpers take the default ports in order (the first user's gets the first free one). The second
user's browser reaches OnRecord over HTTP, looking at the default ports in the extension's order, as on a
real shared host: it meets the first user's helper first. The first user's browser has the native host
registered in its profile, as an installed OnRecord does, and Chromium starts the host as that user.
Each user's drafts must be checked by their own OnRecord alone (the two profiles declare the X account
differently, so the cards differ, and each activity log holds only its own user's decisions), and neither
user, hammering the other's port with idle half-sent connections, wrong tokens and wrong pairing codes,
can lock the other out or void the other's fresh pairing code.

CI runs the tests as root, which is what creating users needs. When the project's interpreter sits in a
folder other users cannot enter (a checkout under /root, a pyenv Python), the test users' processes are
given CAP_DAC_READ_SEARCH (read and traverse only, nothing else) so they can run it; who owns a socket,
which is what the helper judges, is their own uid either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from site_flow import STAFF_PROFILE, WORK, _harness, answer_what_holds, held_then_fixed, posted

pytestmark = pytest.mark.skipif(os.getuid() != 0 or not shutil.which("useradd") or not shutil.which("setpriv"),
                                reason="creating OS users needs root (CI runs the tests as root)")

ROOT = Path(__file__).resolve().parents[2]
WITH_KEYRING = ROOT / "scripts" / "with-keyring.sh"
X_HOME = "home-2026-11-20.html"
X_EDITOR = '[data-testid="tweetTextarea_0"]'
X_POST = '[data-testid="tweetButtonInline"]'
X_STATE = """Array.from(document.querySelectorAll('[data-composer="home"] [data-block="true"]'),
                        (b) => b.textContent).join('\\n')"""

# The same X account, declared personal by one user and official by the other: whichever helper answers
# a draft shows in the card's channel badge.
PERSONAL = {**STAFF_PROFILE, "accounts": [{"site": "x", "handle": "@amyclarke", "channel": "personal"}]}
OFFICIAL = {**STAFF_PROFILE, "name": "Sam Patel",
            "accounts": [{"site": "x", "handle": "@amyclarke", "channel": "official"}]}

# Holds the user's keyring session open and says where it is: prints the session's environment as one
# JSON line, then waits until its standard input is closed.
SESSION = ("import json, os, sys\n"
           "print(json.dumps({k: v for k, v in os.environ.items() if k.startswith(('DBUS_', 'GNOME_KEYRING', 'XDG_'))}),"
           " flush=True)\n"
           "sys.stdin.read()\n")

# What a hostile program of the other user does to a helper's port: hold many half-sent connections
# open, send wrong tokens with the victim's extension origin, and wrong pairing codes. It prints one JSON
# line (how many of its requests got any answer at all), then keeps its connections until stdin closes.
HAMMER = r"""
import json, socket, sys
port, origin, codes = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
answered, held = 0, []

def ask(raw):
    global answered
    try:
        s = socket.create_connection(("127.0.0.1", port), 5)
        s.settimeout(3)
        s.sendall(raw)
        if s.recv(100):
            answered += 1
        s.close()
    except OSError:
        pass

def request(path, body, headers=""):
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n{headers}"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data

for _ in range(300):
    try:
        s = socket.create_connection(("127.0.0.1", port), 5)
        s.sendall(f"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 9000\r\n".encode())
        held.append(s)
    except OSError:
        pass
ask(f"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
for i in range(30):
    ask(request("/v1/status", {}, f"Authorization: Bearer {'wrong%026d' % i}\r\n"))
for code in codes:
    ask(request("/v1/pair", {"code": code}))
print(json.dumps({"answered": answered, "requests": 1 + 30 + len(codes)}), flush=True)
sys.stdin.read()
"""


def _interpreter_reachable(uid: int, gid: int) -> bool:
    # Through a shell: setpriv looks the program up before it drops root's powers, the shell after.
    done = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--init-groups", "sh", "-c",
                           '"$0" -c "import onrecord"', sys.executable], capture_output=True, timeout=30, cwd="/")
    return done.returncode == 0


class DesktopUser:
    """An OS user made for the test, with a home under ``base`` and a keyring session of their own."""

    def __init__(self, base: Path, label: str):
        self.name = f"onr{label}{uuid.uuid4().hex[:6]}"
        self.home = base / self.name
        subprocess.run(["useradd", "--create-home", "--home-dir", str(self.home), "--shell", "/usr/sbin/nologin",
                        "--user-group", self.name], check=True, capture_output=True, timeout=30)
        entry = pwd.getpwnam(self.name)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        self.data = self.home / "onrecord"
        self.caps: list[str] = []
        self.session_env: dict = {}
        self.procs: list[subprocess.Popen] = []
        self.helper_port: int | None = None

    def start(self) -> "DesktopUser":
        os.chmod(self.home, 0o700)
        if not _interpreter_reachable(self.uid, self.gid):
            self.caps = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
        self.run("mkdir", "-m", "700", str(self.data))
        session = self.spawn(["bash", str(WITH_KEYRING), sys.executable, "-c", SESSION], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
        line = session.stdout.readline()
        if not line:
            raise RuntimeError(f"no keyring session for {self.name}")
        self.session_env = json.loads(line)
        return self

    def argv(self, args: list[str]) -> list[str]:
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--init-groups", *self.caps, *args]

    @property
    def env(self) -> dict:
        return {"HOME": str(self.home), "USER": self.name, "LOGNAME": self.name, "LANG": "C.UTF-8",
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ONRECORD_HOME": str(self.data),
                **self.session_env}

    def spawn(self, args: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(self.argv(args), env=self.env, cwd=str(self.home), **kwargs)
        self.procs.append(proc)
        return proc

    def run(self, *args: str) -> str:
        done = subprocess.run(self.argv(list(args)), env=self.env, cwd=str(self.home), capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} as {self.name} failed: {done.stderr.strip()}")
        return done.stdout

    def onrecord(self, *args: str) -> str:
        return self.run(str(_harness().VENV_BIN / "onrecord"), *args)

    def start_helper(self, profile: dict) -> int:
        """Imports ``profile`` and starts ``onrecord run --no-window`` on the first free default port."""
        path = self.home / "profile.yaml"
        path.write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
        os.chown(path, self.uid, self.gid)
        self.onrecord("profile", "import", str(path))
        self.log = self.home / "run.log"
        proc = self.spawn([str(_harness().VENV_BIN / "onrecord"), "run", "--no-window"],
                          stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{self.name}'s helper exited: {self.log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(OSError, ValueError, KeyError):
                self.helper_port = int(json.loads((self.data / "runtime.json").read_text())["port"])
                return self.helper_port
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}'s helper did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def pair_code(self) -> str:
        return json.loads(self.onrecord("pair", "--json"))["code"]

    def chromium(self) -> Path:
        """A program that starts Debian's Chromium as this user (Playwright's driver stays as it is and
        talks to the browser over the pipe it hands down)."""
        wrapper = self.home.parent / f"chromium-{self.name}"
        wrapper.write_text("#!/bin/sh\nexec " + " ".join(self.argv([str(_harness().CHROMIUM)])) + ' "$@"\n')
        wrapper.chmod(0o755)
        return wrapper

    def launch_browser(self, playwright, site_server, native: bool = False):
        """This user's Chromium with the extension; with ``native``, the host manifest in its profile (and
        the HTTP port pointed where nothing listens, so only native messaging can answer)."""
        harness = _harness()
        profile = self.home / "chromium-profile"
        self.run("mkdir", "-m", "700", str(profile))
        if native:
            hosts = profile / "NativeMessagingHosts"
            self.run("mkdir", "-m", "700", str(hosts))
            manifest = self.onrecord("native-host", "manifest", "--browser", "chromium")
            self.run("sh", "-c", 'printf %s "$0" > "$1"', manifest, str(hosts / "org.onrecord.helper.json"))
        saved, harness.CHROMIUM = harness.CHROMIUM, self.chromium()
        try:
            browser = harness.launch(playwright, site_server, profile, env=self.env)
        finally:
            harness.CHROMIUM = saved
        if native:
            browser.set_options(helper_port=harness.free_port())
        return browser

    def programs(self, name: str) -> list[int]:
        """The uids of the running processes whose command line has ``name``."""
        found = []
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if entry.name.isdigit() and name.encode() in (entry / "cmdline").read_bytes():
                    found.append(entry.stat().st_uid)
        return found

    def pair_over_http(self, code: str, origin: str) -> int:
        """POST /v1/pair to this user's helper, as this user; the answer's status."""
        script = ("import http.client, json, sys\n"
                  "c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)\n"
                  "c.request('POST', '/v1/pair', json.dumps({'code': sys.argv[2]}),"
                  " {'Origin': sys.argv[3], 'Content-Type': 'application/json'})\n"
                  "print(c.getresponse().status)\n")
        return int(self.run(sys.executable, "-c", script, str(self.helper_port), code, origin))

    def audit(self) -> list[dict]:
        return json.loads(self.onrecord("audit", "show", "--json"))

    def stop(self) -> None:
        for proc in reversed(self.procs):
            with contextlib.suppress(Exception):
                if proc.stdin:
                    proc.stdin.close()  # a keyring session or a hostile program ends when its input does
                    proc.wait(5)
            with contextlib.suppress(Exception):
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait(10)
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
        # What the browser had D-Bus start for it (the accessibility bus) outlives the session: the user was
        # made for this test, so every process still running as it was started by the test.
        for attempt in range(20):
            left = self.processes()
            if not left:
                return
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM if attempt < 10 else signal.SIGKILL)
            time.sleep(0.1)

    def processes(self) -> list[int]:
        """The processes running as this user."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if entry.stat().st_uid == self.uid:
                        found.append(int(entry.name))
        return found

    def remove(self) -> None:
        for _ in range(20):
            if subprocess.run(["userdel", self.name], capture_output=True, timeout=30).returncode in (0, 6):
                return  # 6: no such user
            time.sleep(0.2)
        raise RuntimeError(f"the test user {self.name} could not be removed")


@pytest.fixture
def desktop():
    """Two users on this machine, removed afterwards (the users, their processes and their homes)."""
    base = Path(tempfile.mkdtemp(prefix="onrecord-desktop-"))
    base.chmod(0o711)  # each user enters their own home, and cannot list the others
    users: list[DesktopUser] = []
    try:
        for label in ("a", "b"):
            users.append(DesktopUser(base, label))
        for user in users:
            user.start()
        yield users
    finally:
        for user in users:
            user.stop()
        try:
            for user in users:
                user.remove()
        finally:
            shutil.rmtree(base, ignore_errors=True)


class Pairing:
    """What the harness's popup pairing needs: the code the user was shown, and where to read the log."""

    def __init__(self, user: DesktopUser, code: str):
        self.code, self.log = code, user.log

    def pair_code(self) -> str:
        return self.code


def _hammer(attacker: DesktopUser, victim: DesktopUser, origin: str, victims_code: str) -> subprocess.Popen:
    """Starts the hostile program as ``attacker`` against ``victim``'s helper, with 12 wrong codes."""
    wrong = [f"{n:06d}" for n in range(100000, 100020) if f"{n:06d}" != victims_code][:12]
    return attacker.spawn([sys.executable, "-c", HAMMER, str(victim.helper_port), origin, ",".join(wrong)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _official_flow(page) -> None:
    """The draft as the official account's owner sees it: no disclaimer asked for, the rest answered."""
    page.locator(X_EDITOR).first.click()
    page.keyboard.type(WORK)
    card = page.locator('[data-onrecord="card"]').first
    expect(card.locator('[data-onrecord="channel"]')).to_have_text("Official · @amyclarke", timeout=15000)
    expect(card.locator("[data-onrecord-category]").first).to_be_visible(timeout=15000)
    expect(card.locator('[data-onrecord-category="disclaimer"]')).to_have_count(0)
    answer_what_holds(card)
    page.locator(X_POST).first.click()
    page.wait_for_function("window.__posted.length === 1", timeout=10000)
    assert posted(page)


def test_two_users_on_one_desktop_each_reach_only_their_own_helper_and_cannot_lock_the_other_out(
        desktop, playwright_instance, site_server, failure_shot):
    sam, amy = desktop
    # The first user's helper takes the first free default port, the second user's a later one, so the
    # second user's browser, looking in the extension's order, meets the first user's helper first.
    sam_port = sam.start_helper(OFFICIAL)
    amy_port = amy.start_helper(PERSONAL)
    assert 47651 <= sam_port < amy_port <= 47655
    sam_browser = sam.launch_browser(playwright_instance, site_server, native=True)
    amy_browser = amy.launch_browser(playwright_instance, site_server)
    origin = f"chrome-extension://{amy_browser.extension_id}"  # the same unpacked extension in both
    try:
        sam_code, amy_code = sam.pair_code(), amy.pair_code()
        # Each user attacks the other's helper with the extension's origin, and keeps what connections it
        # got open while the other pairs and posts.
        hammers = [_hammer(sam, amy, origin, amy_code), _hammer(amy, sam, origin, sam_code)]
        reports = [json.loads(h.stdout.readline() or "{}") for h in hammers]
        for report in reports:
            assert report.get("requests", 0) > 40, reports
            assert report["answered"] == 0, f"another user's program was answered: {reports}"

        # The code the second user was shown before the attack still pairs their browser, with no new one.
        amy_browser.pair(Pairing(amy, amy_code))
        page = amy_browser.open("x", X_HOME)
        failure_shot(page)
        held_then_fixed(page, editor=X_EDITOR, post=X_POST, state=X_STATE, channel="Personal · @amyclarke")

        page = sam_browser.open("x", X_HOME)
        failure_shot(page)
        _official_flow(page)
        # Chromium started the host as its own user; no host runs as the other.
        assert set(sam.programs("onrecord-native-host")) == {sam.uid}, "no native host runs as its browser's user"
        popup = sam_browser.context.new_page()
        popup.goto(sam_browser.extension_url("popup/popup.html"))
        expect(popup.locator('[data-onrecord="status"]')).to_have_text("Connected to OnRecord on this computer.")
        popup.close()
        popup = amy_browser.context.new_page()
        popup.goto(amy_browser.extension_url("popup/popup.html"))
        expect(popup.locator('[data-onrecord="status"]')).to_contain_text("Connected and paired")
        popup.close()
        # The first user's fresh code, attacked as well, still pairs with their own helper.
        assert sam.pair_over_http(sam_code, origin) == 200
    finally:
        amy_browser.close()
        sam_browser.close()

    # Each user's OnRecord recorded its own user's decisions and nothing of the other's.
    amy_events, sam_events = amy.audit(), sam.audit()
    assert amy_events and sam_events
    assert {e["channel"] for e in amy_events} == {"personal"}, amy_events
    assert {e["channel"] for e in sam_events} == {"official"}, sam_events
    assert any(e["decision"] == "fixed" for e in amy_events), amy_events
    assert WORK not in json.dumps(amy_events + sam_events)
    # The second user's browser is paired with their own helper only; the first user's came by native
    # messaging, and their one pairing is the script's.
    assert [c.get("connection", "http") for c in json.loads(amy.onrecord("clients", "--json"))] == ["http"]
    assert sorted(c.get("connection", "http") for c in json.loads(sam.onrecord("clients", "--json"))) == [
        "http", "native"]
