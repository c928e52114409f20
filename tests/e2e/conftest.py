"""The browser tests' harness: real Chromium with the real extension, the saved site pages served over
HTTPS under the sites' real names, and a real helper, paired through the extension's popup.

- ``site_server``: an HTTPS server (self-signed certificate made at test time) that serves
  ``tests/fixtures/sites/<site>/`` for each of that site's host names. Chromium reaches it through
  ``--host-resolver-rules`` and ``--ignore-certificate-errors``, so the production manifest's matches apply.
- ``helper``: ``onrecord run --no-window`` on a free port with a temporary ONRECORD_HOME and a corpus profile.
- ``browser``: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright with the extension loaded,
  its helper port set in the options page and paired through the popup, as a user would.
- ``offline_browser``: the same extension pointed at a port where no helper runs.
- ``open_site(browser, site, file)``: a new tab on a saved page, the extension's card awaited by the tests.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import mimetypes
import os
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from onrecord import sites as site_table

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = ROOT / "tests" / "fixtures" / "sites"
PROFILES = ROOT.parent / "shared" / "corpus" / "profiles"
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium"))

# The real host names of each site (those of its examples in the site table); every one is mapped to the
# fixture server.
SITE_HOSTS: dict[str, tuple[str, ...]] = {s.id: s.example_hosts for s in site_table.TABLE if s.adapter}
HOST_TO_SITE = {host: site for site, hosts in SITE_HOSTS.items() for host in hosts}


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------------------------- sites


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/fixtures/sites/<site>/ for the site the Host header names. A site's folder may hold
    a routes.json mapping real paths (e.g. "/wp-admin/post-new.php") to its saved files."""

    def translate_path(self, path: str) -> str:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        site = HOST_TO_SITE.get(host)
        if site is None:
            return str(FIXTURES / "__no_such_site__")
        base = FIXTURES / site
        clean = path.split("?", 1)[0].split("#", 1)[0]
        routes = base / "routes.json"
        if routes.is_file():
            mapped = json.loads(routes.read_text(encoding="utf-8")).get(clean)
            if mapped:
                return str(base / mapped)
        target = (base / clean.lstrip("/")).resolve()
        if base.resolve() not in target.parents and target != base.resolve():
            return str(FIXTURES / "__outside__")
        return str(target)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # the test output is for the tests
        pass


class ThreadingHTTPSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for every fixture host, made now (nothing secret is committed)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    names = ",".join(f"DNS:{h}" for h in HOST_TO_SITE)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=onrecord-fixtures", "-addext", f"subjectAltName={names}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


@dataclass
class SiteServer:
    port: int

    def url(self, site: str, file: str) -> str:
        return f"https://{SITE_HOSTS[site][0]}/{file.lstrip('/')}"

    @property
    def resolver_rules(self) -> str:
        return ",".join(f"MAP {host}:443 127.0.0.1:{self.port}" for host in HOST_TO_SITE)


def build_editor_bundles() -> None:
    """Bundles the real editor libraries (npm, pinned by package-lock.json) that the saved pages embed;
    see tests/fixtures/editors/build.mjs. The bundles are build output, not in git."""
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        pytest.fail("node_modules/esbuild is missing: run `npm ci` (scripts/test.sh does) before the browser tests")
    done = subprocess.run(["node", str(ROOT / "tests" / "fixtures" / "editors" / "build.mjs")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"building the editor bundles failed: {done.stderr.strip()}")


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    build_editor_bundles()
    mimetypes.add_type("text/javascript", ".js")
    cert, key = make_certificate(tmp_path_factory.mktemp("tls"))
    server = ThreadingHTTPSServer(("127.0.0.1", 0), SiteHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SiteServer(server.server_address[1])
    server.shutdown()
    server.server_close()


# ----------------------------------------------------------------------------------------------- helper


@dataclass
class Helper:
    home: Path
    port: int
    profile: Path
    proc: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.home / "run.log"

    @property
    def env(self) -> dict:
        return {**os.environ, "ONRECORD_HOME": str(self.home)}

    def onrecord(self, *args: str) -> str:
        done = subprocess.run([str(VENV_BIN / "onrecord"), *args], env=self.env, capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"onrecord {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> "Helper":
        self.onrecord("profile", "import", str(self.profile))
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "onrecord"), "run", "--no-window", "--port", str(self.port)],
            env=self.env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the helper exited: {self.log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"the helper did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def pair_code(self) -> str:
        return json.loads(self.onrecord("pair", "--json"))["code"]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def start_helper(tmp_path_factory, profile: str = "dh-amy.yaml") -> Helper:
    return Helper(home=tmp_path_factory.mktemp("onrecord-home"), port=free_port(),
                  profile=PROFILES / profile).start()


@pytest.fixture(scope="session")
def helper(tmp_path_factory):
    h = start_helper(tmp_path_factory)
    yield h
    h.stop()


# ----------------------------------------------------------------------------------------------- browser


@dataclass
class Browser:
    context: object
    extension_id: str
    site_server: SiteServer
    pages: list = field(default_factory=list)

    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def set_options(self, helper_port: int | None = None, disabled_sites: list[str] | None = None) -> None:
        """Fills in the options page as a user would."""
        page = self.context.new_page()
        page.goto(self.extension_url("options/options.html"))
        if helper_port is not None:
            page.fill('[data-onrecord="helper-port"]', str(helper_port))
        for site in disabled_sites or []:
            page.uncheck(f'[data-onrecord-site="{site}"]')
        page.click('[data-onrecord-action="save-options"]')
        page.wait_for_selector("#saved:has-text('Saved')")
        page.close()

    def pair(self, helper: Helper) -> None:
        """Pairs through the popup with a code from `onrecord pair`, as a user would."""
        page = self.context.new_page()
        page.goto(self.extension_url("popup/popup.html"))
        status = page.locator('[data-onrecord="status"]')
        status.filter(has_text="not paired").wait_for(timeout=15000)
        page.fill('[data-onrecord="pair-code"]', helper.pair_code())
        page.click('[data-onrecord-action="pair"]')
        try:
            status.filter(has_text="Connected and paired").wait_for(timeout=15000)
        except Exception as err:
            shown = page.locator("main").inner_text()
            raise AssertionError(f"pairing through the popup failed; it shows: {shown}\nhelper log: "
                                 f"{helper.log.read_text(errors='replace')[-1500:]}") from err
        page.close()

    def open(self, site: str, file: str):
        page = self.context.new_page()
        self.pages.append(page)
        page.goto(self.site_server.url(site, file))
        return page

    def close_pages(self) -> None:
        for page in self.pages:
            with contextlib.suppress(Exception):
                page.close()
        self.pages.clear()

    def close(self) -> None:
        self.context.close()


def launch(playwright, site_server: SiteServer, user_data_dir: Path, env: dict | None = None) -> Browser:
    """Chromium with the extension; ``env`` is the browser's environment (and so the native host's)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (scripts/test.sh installs Debian's chromium)")
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        # Chromium's new headless mode runs extensions, so no screen is needed.
        headless=True,
        ignore_default_args=["--disable-extensions"],
        args=[
            "--headless=new",
            f"--disable-extensions-except={EXTENSION}",
            f"--load-extension={EXTENSION}",
            f"--host-resolver-rules={site_server.resolver_rules}",
            "--ignore-certificate-errors",
            "--disable-features=DisableLoadExtensionCommandLineSwitch",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic",
        ],
        viewport={"width": 1280, "height": 900},
        **({"env": env} if env is not None else {}),
    )
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event(
        "serviceworker", timeout=15000)
    extension_id = worker.url.split("/")[2]
    return Browser(context, extension_id, site_server)


@pytest.fixture(scope="session")
def browser(playwright_instance, site_server, helper, tmp_path_factory):
    """The extension in Chromium, paired with the session's helper."""
    b = launch(playwright_instance, site_server, tmp_path_factory.mktemp("chromium-profile"))
    b.set_options(helper_port=helper.port)
    b.pair(helper)
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _close_pages(request):
    """The session's browser is shared: each test's tabs are closed after it."""
    yield
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").close_pages()


@pytest.fixture
def unpaired_browser(playwright_instance, site_server, helper, tmp_path):
    """The extension in Chromium, pointed at the session's helper but not paired with it."""
    b = launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    b.set_options(helper_port=helper.port)
    yield b
    b.close()


@pytest.fixture
def offline_browser(playwright_instance, site_server, tmp_path):
    """The extension in Chromium with no helper where it looks (a port nothing listens on)."""
    b = launch(playwright_instance, site_server, tmp_path / "chromium-profile")
    b.set_options(helper_port=free_port())
    yield b
    b.close()


# ----------------------------------------------------------------------------------------------- page helpers


@pytest.fixture
def failure_shot(request):
    """Saves a screenshot of each page registered with it when the test fails (test-output/, not in git)."""
    pages = []
    yield pages.append
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        folder = ROOT / "test-output"
        folder.mkdir(exist_ok=True)
        for i, page in enumerate(pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(folder / f"{request.node.name}-{i}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
