"""``onrecord --self-test``: prove that this installation works, above all the packaged program.

A frozen build can lack a module or a data file that nothing imported at build time; this finds
that before staff do. Each check prints one line; the exit status is 0 only when every check passed.

- the OS keyring stores, returns and deletes a secret (a real backend, never a plaintext file);
- the bundled profile schema validates a sample profile;
- every built-in policy pack loads and each of its examples gives the prompts it promises;
- the helper starts on a free port and answers ``GET /v1/health``.

Then the user's own set-up, what usually goes wrong after a good install, each line saying what to do
when it is not right (these lines are advice: they do not change the exit status):

- the user's helper is running, on a port where the extension looks;
- the saved profile is there and valid;
- a browser is paired (and when it was last seen);
- OnRecord starts at login.

The installation's checks run at the same time, and the helper is started in this process rather than as
a second program, so the whole takes a few seconds. Nothing here changes the user's own data: the
server runs with a temporary ``ONRECORD_HOME``, the keyring check uses its own service name and removes
its entry, and the user's files are only read.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import secrets
import socket
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from onrecord import paths
from onrecord.errors import OnRecordError

HEALTH_TIMEOUT = 30.0  # seconds: a cold first start of a packaged build on a slow disk

SAMPLE_PROFILE = """
name: Self Test
organisation: Department of Health
policy_pack: dh
roles: [civil_servant]
accounts:
  - {site: x, handle: "@selftest", channel: personal}
"""


class CheckFailed(Exception):
    pass


def own_command(*args: str) -> list[str]:
    """This program, run again with ``args``: the frozen executable, or Python with ``-m onrecord``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "onrecord", *args]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_keyring() -> str:
    # Through the same module the helper uses, scoped to a throwaway folder so that nothing of the
    # user's own (the pairing key, a pairing code) can be read or overwritten.
    from onrecord.store import secrets as store

    name, secret = f"self-test-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="onrecord-selftest-") as scope:
        folder = Path(scope)
        store.set_secret(name, secret, home=folder)  # refuses an insecure (plaintext) backend
        try:
            if store.get_secret(name, home=folder) != secret:
                raise CheckFailed("the keyring returned a different secret from the one stored")
        finally:
            store.delete_secret(name, home=folder)
        if store.get_secret(name, home=folder) is not None:
            raise CheckFailed("the keyring kept a secret after it was deleted")
    return f"stored, read back and deleted a secret ({store.backend_name()})"


def check_profile_schema() -> str:
    from onrecord.profile import parse_profile_text

    profile = parse_profile_text(SAMPLE_PROFILE, "the self-test's sample profile")
    return f"validated a sample profile ({len(profile.accounts)} account)"


def check_packs() -> str:
    from onrecord.policy import examples
    from onrecord.policy.packs import PackLibrary

    library = PackLibrary()
    ids = library.builtin_ids(include_abstract=True)  # the shared base packs are data the others need too
    if not ids:
        raise CheckFailed("no built-in policy packs were found")
    failures, count = [], 0
    for pack_id in ids:
        pack = library.load(pack_id)
        count += len(examples.examples_of(pack))
        failures += [f"{pack_id}: {message}" for _, message in examples.run(pack)]
    if failures:
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        raise CheckFailed("; ".join(failures[:3]) + more)
    return f"{len(ids)} built-in packs loaded ({', '.join(ids)}), {count} examples behave"


@contextlib.contextmanager
def _home(folder: str):
    """``ONRECORD_HOME`` set to ``folder`` for the duration (the helper finds its data folder there)."""
    before = os.environ.get("ONRECORD_HOME")
    os.environ["ONRECORD_HOME"] = folder
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ONRECORD_HOME", None)
        else:
            os.environ["ONRECORD_HOME"] = before


def check_server() -> str:
    from onrecord.app import create_app
    from onrecord.server.serve import HelperServer

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="onrecord-selftest-") as home, _home(home):
        started = time.monotonic()
        app = create_app({"ONRECORD_WINDOW_KEY_FILE": False})
        server = HelperServer(app, [port], threads=1).start()
        try:
            body = _health(port, HEALTH_TIMEOUT)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    if body is None:
        raise CheckFailed(f"no answer from http://127.0.0.1:{port}/v1/health within {HEALTH_TIMEOUT:.0f} s")
    if body.get("app") != "onrecord" or body.get("status") != "ok":
        raise CheckFailed(f"/v1/health answered {body!r}")
    return f"answered /v1/health on port {port} after {elapsed:.2f} s (version {body.get('version')})"


def _health(port: int, within: float) -> dict | None:
    url = f"http://127.0.0.1:{port}/v1/health"
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=min(2.0, within)) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)


# The user's own set-up: (True, what is right) or (False, what is wrong and what to do) ---------------

def setup_helper() -> tuple[bool, str]:
    from onrecord.server.serve import DEFAULT_PORT, candidate_ports
    from onrecord.store import instance

    runtime = instance.running(paths.home_path())
    looked_at = candidate_ports(None, DEFAULT_PORT)
    where = f"{looked_at[0]} to {looked_at[-1]}"
    if runtime is None:
        return False, ("not running, so the extension cannot check drafts: start it with `onrecord run`, or open "
                       "OnRecord from your applications menu")
    if runtime.port not in looked_at:
        return False, (f"running (pid {runtime.pid}) on port {runtime.port}, where the extension does not look (it "
                       f"tries {where}): restart it without --port, or have IT set the extension's helperPort")
    body = _health(runtime.port, 1.0)
    if not body or body.get("app") != "onrecord":
        return False, (f"pid {runtime.pid} holds the data folder but nothing answers on port {runtime.port}: "
                       "stop it and start OnRecord again")
    return True, f"running (pid {runtime.pid}) at {runtime.url}, where the extension looks"


def setup_profile() -> tuple[bool, str]:
    from onrecord.errors import ProfileError
    from onrecord.profile import load_profile

    path = paths.home_path() / paths.PROFILE_NAME
    if not path.exists():
        aside = sorted(path.parent.glob(f"{path.name}.corrupt-*"))
        why = f" (the last one could not be read and was kept aside as {aside[-1]})" if aside else ""
        return False, (f"none saved yet{why}: enter your details in the settings window (`onrecord settings`) "
                       "or run `onrecord profile import FILE`")
    try:
        profile = load_profile(path)  # read only: a broken file is left where it is for the helper to report
    except ProfileError as exc:
        return False, f"{exc.message}: fix the file, or enter your details again in the settings window"
    return True, f"{path} is valid ({profile.name}, {len(profile.accounts)} accounts, pack {profile.policy_pack})"


def setup_browsers() -> tuple[bool, str]:
    from onrecord.store.clients import ClientStore, db_path

    home = paths.home_path()
    store = ClientStore(home) if db_path(home).exists() else None
    paired = store.list_clients(include_revoked=False) if store else []
    native = store.list_native() if store else []
    if store:
        store.close()
    if not paired and not native:
        return False, ("no browser has connected yet: install the OnRecord extension and open a site where you post "
                       "(it connects by itself once `onrecord native-host install` has registered OnRecord); a browser "
                       "that cannot, pairs with `onrecord pair` and the code typed in the extension's toolbar button")
    seen = max([c.last_seen or c.paired_at for c in paired] + [b.last_seen for b in native])
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(seen))
    parts = ([f"{len(native)} by native messaging"] if native else []) + ([f"{len(paired)} paired"] if paired else [])
    return True, f"{', '.join(parts)}, last seen {when}"


def setup_autostart() -> tuple[bool, str]:
    from onrecord.commands.autostart import backend

    status = backend().status()
    if not status.enabled:
        return False, "off, so the extension finds no helper after you log in: turn it on with `onrecord autostart enable`"
    return True, f"on ({status.where})"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("keyring", check_keyring),
    ("profile schema", check_profile_schema),
    ("policy packs", check_packs),
    ("helper server", check_server),
]

SETUP: list[tuple[str, Callable[[], tuple[bool, str]]]] = [
    ("your helper", setup_helper),
    ("your profile", setup_profile),
    ("browsers", setup_browsers),
    ("start at login", setup_autostart),
]


def _outcome(check: Callable[[], str]) -> tuple[bool, str]:
    try:
        return True, check()
    except CheckFailed as exc:
        return False, str(exc)
    except OnRecordError as exc:  # the domain's own errors already say what to do
        return False, exc.message
    except Exception as exc:  # the edge: any other failure is a finding too: name it, keep checking
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return False, f"{type(exc).__name__}: {exc} ({os.path.basename(where.filename)}:{where.lineno})"


def _setup_outcome(check: Callable[[], tuple[bool, str]]) -> tuple[bool, str]:
    try:
        return check()
    except OnRecordError as exc:
        return False, f"could not be checked: {exc.message}"
    except Exception as exc:  # the edge: say what stopped the check, keep checking the rest
        return False, f"could not be checked: {type(exc).__name__}: {exc}"


def run(out=None) -> int:
    out = out or sys.stdout
    # The installation's checks at once: they wait on different things (the keyring's D-Bus, the CPU,
    # the server's socket). Results are printed in order as each is ready.
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="self-test") as pool:
        futures = [(name, pool.submit(_outcome, check)) for name, check in CHECKS]
        failed = 0
        for name, future in futures:
            ok, detail = future.result()
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'}  {name}: {detail}", file=out, flush=True)
    print(f"{len(CHECKS) - failed} of {len(CHECKS)} checks passed", file=out, flush=True)
    print("Your set-up (what to do, where something is missing):", file=out, flush=True)
    for name, check in SETUP:
        ok, detail = _setup_outcome(check)
        print(f"{'ok  ' if ok else 'todo'}  {name}: {detail}", file=out, flush=True)
    return 0 if failed == 0 else 1
