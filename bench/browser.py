"""In the browser: what the extension costs while someone types on a busy X timeline, and how soon
its prompts show.

    .venv/bin/python bench/browser.py [--rounds 7] [--trials 10] [--chars 80] [--json FILE]

Debian's Chromium (headless), driven by Playwright and set up by the browser tests' own harness
(tests/e2e/conftest.py): the saved X page with a busy, changing timeline (busy-timeline-*.html: 300
posts, over 3,000 elements, a post in and a post out every 50 ms) served over HTTPS under its real name,
the extension loaded, its helper port set in its options page and paired through its popup with a real
helper. The other browser is the same Chromium with the same flags and no extension.

1. Main-thread time per typed character: the same text is typed at the same pace into the compose box,
   with the extension and without it, in alternating rounds. The time is the kernel's count of CPU time
   of the page renderers' main threads, from before the first key to a second after the last (long enough
   for the debounced check and the card), divided by the characters typed. An idle window as long, just
   before, gives the typing's own share. V8's sampling profiler, in separate rounds, gives the extension's
   own script time.
2. Prompts visible after the debounce: the page records when the compose box last changed (a
   MutationObserver of its own) and, at every animation frame, whether the card's shadow root holds a
   visible prompt. The figure is the first frame with a prompt, less the last change plus the extension's
   debounce (DEBOUNCE_MS in extension/content/core/logic.js): the check's journey through the extension's
   background and the helper, and the card's drawing.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file: bench/ on sys.path would hide the standard library's http
    import pathlib
    import sys
    _here = str(pathlib.Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(pathlib.Path(p or ".").resolve()) != _here]
    sys.path.insert(0, str(pathlib.Path(_here).parent))

import argparse
import contextlib
import importlib.util
import mimetypes
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.common import (ROOT, Helper, figure, median, percentile, print_figures, reexec_in_keyring_session,
                          write_result)

CHROMIUM = "/usr/bin/chromium"
EXTENSION = ROOT / "extension"
FIXTURES = ROOT / "tests" / "fixtures" / "sites" / "x"
HARNESS = ROOT / "tests" / "e2e" / "conftest.py"
WITH, WITHOUT = "with-extension", "without-extension"  # the two browsers' profile folders
EDITOR = '[data-testid="tweetTextarea_0"]'
TYPED = "Proud that our health and wellbeing boards guidance went live at the Department of Health"

# Runs in the page's own world before its scripts: when the compose box last changed, and a watcher
# that resolves at the first animation frame in which the card shows a visible prompt.
PAGE_PROBE = """
(() => {
  const bench = window.__onrecordBench = { lastEdit: null, result: null };
  document.addEventListener('DOMContentLoaded', () => {
    const editor = document.querySelector('%(editor)s');
    new MutationObserver(() => { bench.lastEdit = performance.now(); })
      .observe(editor, { childList: true, subtree: true, characterData: true });
  });
  bench.watch = () => {
    bench.result = null;
    bench.cardShown = null;
    // When the card first appears: the extension draws it, marked busy, as it sends the check, so this is
    // when its debounce really ended (a timer can fire late on a busy page).
    const seen = new MutationObserver(() => {
      if (document.querySelector('[data-onrecord="card"]')) { bench.cardShown = performance.now(); seen.disconnect(); }
    });
    seen.observe(document.documentElement, { childList: true, subtree: true });
    const frame = () => {
      const host = document.querySelector('[data-onrecord="card"]');
      const prompt = host && host.shadowRoot && host.shadowRoot.querySelector('[data-onrecord-category]');
      if (prompt && prompt.checkVisibility()) {
        bench.result = { visible: performance.now(), lastEdit: bench.lastEdit, cardShown: bench.cardShown,
                         categories: Array.from(host.shadowRoot.querySelectorAll('[data-onrecord-category]'),
                                                (p) => p.getAttribute('data-onrecord-category')) };
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
})();
""" % {"editor": EDITOR}


def debounce_ms() -> int:
    """The extension's own debounce, read from its source so the figure follows any change to it."""
    source = (EXTENSION / "content" / "core" / "logic.js").read_text(encoding="utf-8")
    match = re.search(r"DEBOUNCE_MS\s*=\s*(\d+)", source)
    if not match:
        raise RuntimeError("DEBOUNCE_MS not found in extension/content/core/logic.js")
    return int(match.group(1))


def busy_fixture() -> Path:
    pages = sorted(FIXTURES.glob("busy-timeline-*.html"))
    if not pages:
        raise RuntimeError(f"no busy timeline page in {FIXTURES.relative_to(ROOT)}")
    return pages[-1]


def e2e_harness():
    """The browser tests' harness (tests/e2e/conftest.py): its fixture server, its Chromium launch and its
    pairing through the extension's popup, so the benchmark's browser is set up exactly as the tests' is."""
    if "onrecord_e2e_harness" not in sys.modules:
        spec = importlib.util.spec_from_file_location("onrecord_e2e_harness", HARNESS)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look themselves up here
        spec.loader.exec_module(module)
    return sys.modules["onrecord_e2e_harness"]


class FixtureServer:
    """The saved site pages over HTTPS, under the sites' real names, as the browser tests serve them."""

    def __init__(self, workdir: Path):
        harness = e2e_harness()
        mimetypes.add_type("text/javascript", ".js")
        cert, key = harness.make_certificate(workdir)

        class Handler(harness.SiteHandler):
            timeout = 30

            def setup(self):
                # The TLS handshake happens here, on the connection's own thread: a connection that
                # Chromium opens ahead of need and leaves silent must not hold up every other one.
                self.request.settimeout(self.timeout)
                self.request.do_handshake()
                super().setup()

        class Server(harness.ThreadingHTTPSServer):
            def handle_error(self, request, client_address):
                pass  # Chromium turning down the self-signed certificate before it is told to accept it

        self.httpd = Server(("127.0.0.1", 0), Handler)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.site = harness.SiteServer(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self) -> str:
        return self.site.url("x", busy_fixture().name)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch_with_extension(pw, server: FixtureServer, workdir: Path, helper: Helper):
    """Chromium with the extension, its helper port set in its options page and paired through its popup."""
    harness = e2e_harness()
    browser = harness.launch(pw, server.site, workdir / WITH)
    browser.set_options(helper_port=helper.port)
    browser.pair(helper)
    return browser.context


def launch_without_extension(pw, server: FixtureServer, workdir: Path):
    """The same Chromium, the same flags, no extension."""
    return pw.chromium.launch_persistent_context(
        str(workdir / WITHOUT), executable_path=CHROMIUM, headless=True,
        args=["--headless=new", f"--host-resolver-rules={server.site.resolver_rules}", "--ignore-certificate-errors",
              "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
              "--disable-quic"],
        viewport={"width": 1280, "height": 900})


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector(EDITOR)
    page.wait_for_function("window.__timelineTicks > 5")  # the timeline is churning
    return page


CARD_SHOWS_PROMPT = """() => {
  const host = document.querySelector('[data-onrecord="card"]');
  return !!(host && host.shadowRoot && host.shadowRoot.querySelector('[data-onrecord-category]'));
}"""


def card_text(page) -> str:
    return page.evaluate("""() => {
      const host = document.querySelector('[data-onrecord="card"]');
      return host && host.shadowRoot ? host.shadowRoot.querySelector('section').textContent : 'no card';
    }""")


def card_categories(page) -> list[str]:
    return page.evaluate("""() => {
      const host = document.querySelector('[data-onrecord="card"]');
      if (!host || !host.shadowRoot) return [];
      return Array.from(host.shadowRoot.querySelectorAll('[data-onrecord-category]'),
                        (p) => p.getAttribute('data-onrecord-category'));
    }""")


def _processes() -> dict[int, tuple[int, str]]:
    """Every process: its parent and its command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            found[int(entry.name)] = (ppid, (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def page_main_thread_ns(profile_dir: Path) -> int:
    """CPU time so far of the main threads of a Chromium's web page renderers, in nanoseconds.

    The kernel's own count (/proc/PID/task/TID/schedstat, in nanoseconds) is time on a CPU, not time
    waited for one, so it holds on a machine that other work keeps busy, where Chromium's wall-clock
    task durations do not. The extension's own pages and service worker run in other processes and are
    left out; a spare renderer that Chromium keeps ready adds next to nothing."""
    procs = _processes()
    roots = [pid for pid, (_, cmd) in procs.items()
             if f"--user-data-dir={profile_dir}" in cmd and "--type=" not in cmd]
    family, todo = set(roots), list(roots)
    while todo:
        parent = todo.pop()
        for pid, (ppid, _) in procs.items():
            if ppid == parent and pid not in family:
                family.add(pid)
                todo.append(pid)
    total = 0
    for pid in family:
        cmd = procs[pid][1]
        if "--type=renderer" not in cmd or "--extension-process" in cmd:
            continue
        with contextlib.suppress(OSError):  # the main thread is the task whose id is the process's
            total += int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0])
    return total


def typing_round(context, profile_dir: Path, url: str, text: str, delay_ms: int, settle_ms: int,
                 extension: bool) -> dict:
    """The page's main-thread CPU time while ``text`` is typed, and in an idle window as long just before."""
    page = open_page(context, url)
    try:
        page.wait_for_timeout(1000)  # the extension has found the compose box; the page has settled
        page.click(EDITOR)
        window = len(text) * delay_ms + settle_ms
        start = page_main_thread_ns(profile_dir)
        page.wait_for_timeout(window)
        idle = page_main_thread_ns(profile_dir)
        page.keyboard.type(text, delay=delay_ms)
        page.wait_for_timeout(settle_ms)
        typed = page_main_thread_ns(profile_dir)
        content = page.eval_on_selector(EDITOR, "e => e.textContent")
        if content != text:
            raise RuntimeError(f"the compose box holds {content!r}, not what was typed")
        if extension:
            try:
                page.wait_for_function(CARD_SHOWS_PROMPT, timeout=15_000)
            except Exception as exc:
                raise RuntimeError("the extension showed no prompt for the typed draft within 15 s "
                                   f"(the card says {card_text(page)!r}): is it paired with the helper?") from exc
        idle_ms, typing_ms = (idle - start) / 1e6, (typed - idle) / 1e6
        if idle_ms <= 0:
            raise RuntimeError(f"no main-thread time was counted for the page (is {profile_dir} its profile?)")
        n = len(text)
        return {
            "cpu_ms_per_char": typing_ms / n,
            "typing_only_ms_per_char": (typing_ms - idle_ms) / n,
            "idle_cpu_share": idle_ms / window,
        }
    finally:
        page.close()


def extension_script_round(context, url: str, text: str, delay_ms: int, settle_ms: int) -> float:
    """Milliseconds of the extension's own scripts on the page's main thread per typed character.

    V8's sampling profiler (every 100 microseconds) attributes each sample to the script it was in: the
    samples in the extension's files (``chrome-extension://`` URLs: its content scripts) are its cost.
    Work the browser does because of it (drawing the card) is not in this count; the A/B figures hold it."""
    page = open_page(context, url)
    try:
        page.wait_for_timeout(1000)
        page.click(EDITOR)
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        cdp.send("Profiler.start")
        page.keyboard.type(text, delay=delay_ms)
        page.wait_for_timeout(settle_ms)
        profile = cdp.send("Profiler.stop")["profile"]
        cdp.detach()
    finally:
        page.close()
    extension_nodes = {node["id"] for node in profile["nodes"]
                       if node["callFrame"]["url"].startswith("chrome-extension://")}
    micros = sum(delta for sample, delta in zip(profile["samples"], profile["timeDeltas"])
                 if sample in extension_nodes)
    return micros / 1000 / len(text)


def prompt_trial(context, url: str, text: str, debounce: int) -> dict:
    """Milliseconds from the end of the debounce to the first frame that shows a prompt."""
    page = open_page(context, url)
    try:
        page.wait_for_timeout(1000)
        page.click(EDITOR)
        page.evaluate("() => window.__onrecordBench.watch()")
        # The whole draft in one edit (as a paste is), so the debounce ends once, after this edit: typed
        # key by key on a busy machine, a pause between two keys could end it early, for half the draft.
        page.keyboard.insert_text(text)
        handle = page.wait_for_function("() => window.__onrecordBench.result", timeout=15_000)
        result = handle.json_value()
        notice = page.evaluate("""() => {
          const host = document.querySelector('[data-onrecord="card"]');
          const notice = host && host.shadowRoot && host.shadowRoot.querySelector('[data-onrecord="notice"]');
          return notice ? notice.textContent : null;
        }""")
        if notice:  # the card's prompts are then the extension's fallback, not the helper's answer
            raise RuntimeError(f"the helper did not check the draft; the card says: {notice}")
        debounce_end = result["lastEdit"] + debounce
        return {"ms": result["visible"] - debounce_end, "categories": result["categories"],
                "timer_late_ms": (result["cardShown"] - debounce_end) if result["cardShown"] else None}
    finally:
        page.close()


def measure(rounds: int = 7, trials: int = 10, chars: int = 80, delay_ms: int = 60) -> dict:
    from playwright.sync_api import sync_playwright

    debounce = debounce_ms()
    text = TYPED[:chars]
    settle_ms = debounce + 700
    workdir = Path(tempfile.mkdtemp(prefix="onrecord-bench-browser-"))
    server = FixtureServer(workdir)
    url = server.url()
    helper = Helper().start()
    try:
        with sync_playwright() as pw:
            with_ext = launch_with_extension(pw, server, workdir, helper)
            without = launch_without_extension(pw, server, workdir)
            try:
                for context in (with_ext, without):  # the probe in both, so its own small cost cancels
                    context.add_init_script(PAGE_PROBE)
                    for page in context.pages:
                        page.close()
                browsers = {"with": (with_ext, workdir / WITH), "without": (without, workdir / WITHOUT)}
                for name, (context, profile) in browsers.items():  # warm both before counting
                    typing_round(context, profile, url, text, delay_ms, settle_ms, name == "with")
                runs = {"with": [], "without": []}
                for r in range(rounds):  # alternating, so a busy moment on the machine hits both alike
                    for name in (["with", "without"] if r % 2 == 0 else ["without", "with"]):
                        context, profile = browsers[name]
                        runs[name].append(typing_round(context, profile, url, text, delay_ms, settle_ms,
                                                       name == "with"))
                script = [extension_script_round(with_ext, url, text, delay_ms, settle_ms)
                          for _ in range(max(1, rounds // 2))]
                before = len(helper.log.read_bytes())
                latencies = [prompt_trial(with_ext, url, f"{TYPED} ({i + 1})", debounce) for i in range(trials)]
                # The helper's own time for those checks, from its access log (the rest is the browser's).
                helper_ms = [float(m) for m in re.findall(r"POST /v1/check 200 ([\d.]+)ms",
                                                          helper.log.read_bytes()[before:].decode(errors="replace"))]
            finally:
                with_ext.close()
                without.close()
    finally:
        helper.stop()
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)

    def med(name: str, key: str) -> float:
        return median([run[key] for run in runs[name]])

    cpu_with, cpu_without = med("with", "cpu_ms_per_char"), med("without", "cpu_ms_per_char")
    only_with, only_without = med("with", "typing_only_ms_per_char"), med("without", "typing_only_ms_per_char")
    ms = [t["ms"] for t in latencies]
    figures = [
        figure("browser.cpu_ms_per_char_with", "page main thread per typed char, with extension",
               round(cpu_with, 3), "ms"),
        figure("browser.cpu_ms_per_char_without", "page main thread per typed char, without",
               round(cpu_without, 3), "ms"),
        figure("browser.typing_ratio", "typing on the busy page, with / without", round(cpu_with / cpu_without, 3),
               "x", "<= 1.05"),
        figure("browser.typing_only_ms_per_char_with", "typing's own share per char, with", round(only_with, 3), "ms"),
        figure("browser.typing_only_ms_per_char_without", "typing's own share per char, without",
               round(only_without, 3), "ms"),
        figure("browser.typing_only_ratio", "typing's own share, with / without", round(only_with / only_without, 3),
               "x", "<= 1.05"),
        figure("browser.extension_script_ms_per_char", "the extension's own scripts per typed char",
               round(median(script), 3), "ms"),
        figure("browser.extension_script_share", "the extension's own scripts, share of the page's time",
               round(median(script) / cpu_without, 4), "", "<= 0.05"),
        figure("browser.prompts_visible_p50_ms", "prompts visible after debounce, p50", round(median(ms), 1), "ms",
               "<= 150"),
        figure("browser.prompts_visible_max_ms", f"prompts visible after debounce, worst of {len(ms)}",
               round(max(ms), 1), "ms", "<= 150"),
    ]
    details = {
        "fixture": str(busy_fixture().relative_to(ROOT)), "typed_chars": len(text), "key_delay_ms": delay_ms,
        "settle_after_last_key_ms": settle_ms, "debounce_ms": debounce, "rounds": rounds,
        "page_main_thread_cpu_share_idle": {"with": round(med("with", "idle_cpu_share"), 3),
                                            "without": round(med("without", "idle_cpu_share"), 3)},
        "rounds_ms_per_char": {name: [{k: round(v, 3) for k, v in run.items()} for run in runs[name]]
                               for name in runs},
        "prompts_visible_ms": [round(x, 1) for x in ms],
        "prompts_visible_p90_ms": round(percentile(ms, 90), 1),
        "helper_check_ms": helper_ms,
        # How late the extension's debounce timer fired on the busy page, in each trial (included above).
        "debounce_timer_late_ms": [None if t["timer_late_ms"] is None else round(t["timer_late_ms"], 1)
                                   for t in latencies],
        "categories_shown": sorted({c for t in latencies for c in t["categories"]}),
        "chromium": chromium_version(),
    }
    return {"figures": figures, "details": details}


def chromium_version() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="typing rounds with and without (default 7)")
    parser.add_argument("--trials", type=int, default=10, help="drafts timed until their prompts show (default 10)")
    parser.add_argument("--chars", type=int, default=80, help="characters typed in each round (default 80)")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    reexec_in_keyring_session()
    result = measure(args.rounds, args.trials, args.chars)
    write_result(args.json, "browser", result["figures"], result["details"])
    print_figures(result["figures"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
