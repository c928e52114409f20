"""``onrecord --self-test``: prove that this installation works, above all the packaged program.

A frozen build can lack a module or a data file that nothing imported at build time; this finds
that before staff do. Each check prints one line; the exit status is 0 only when every check passed.

- the OS keyring stores, returns and deletes a secret (a real backend, never a plaintext file);
- the bundled profile schema validates a sample profile;
- every built-in policy pack loads and each of its examples gives the prompts it promises;
- ``onrecord run --no-window`` starts on a free port and answers ``GET /v1/health``.

Nothing here touches the user's own data: the server runs with a temporary ``ONRECORD_HOME`` and
the keyring check uses its own service name and removes its entry.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

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
    from onrecord.policy.packs import builtin_ids, load_pack

    ids = builtin_ids(include_abstract=True)  # the shared base packs are data the others need too
    if not ids:
        raise CheckFailed("no built-in policy packs were found")
    failures, count = [], 0
    for pack_id in ids:
        pack = load_pack(pack_id)
        count += len(examples.examples_of(pack))
        failures += [f"{pack_id}: {message}" for _, message in examples.run(pack)]
    if failures:
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        raise CheckFailed("; ".join(failures[:3]) + more)
    return f"{len(ids)} built-in packs loaded ({', '.join(ids)}), {count} examples behave"


def check_server() -> str:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="onrecord-selftest-") as home:
        env = dict(os.environ, ONRECORD_HOME=home)
        started = time.monotonic()
        proc = subprocess.Popen(own_command("run", "--no-window", "--port", str(port)), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            body = _wait_for_health(port, proc)
            elapsed = time.monotonic() - started
        finally:
            _stop(proc)
    if body.get("app") != "onrecord" or body.get("status") != "ok":
        raise CheckFailed(f"/v1/health answered {body!r}")
    return f"answered /v1/health on port {port} after {elapsed:.2f} s (version {body.get('version')})"


def _wait_for_health(port: int, proc: subprocess.Popen) -> dict:
    url = f"http://127.0.0.1:{port}/v1/health"
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines() if proc.stderr else []
            raise CheckFailed(f"the helper exited with status {proc.returncode}: {err[-1] if err else 'no message'}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise CheckFailed(f"no answer from {url} within {HEALTH_TIMEOUT:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("keyring", check_keyring),
    ("profile schema", check_profile_schema),
    ("policy packs", check_packs),
    ("helper server", check_server),
]


def run(out=None) -> int:
    out = out or sys.stdout
    failed = 0
    for name, check in CHECKS:
        try:
            detail = check()
            print(f"ok    {name}: {detail}", file=out, flush=True)
        except CheckFailed as exc:
            failed += 1
            print(f"FAIL  {name}: {exc}", file=out, flush=True)
        except OnRecordError as exc:  # the domain's own errors already say what to do
            failed += 1
            print(f"FAIL  {name}: {exc.message}", file=out, flush=True)
        except Exception as exc:  # any other failure is a finding too: name it, keep checking
            failed += 1
            where = traceback.extract_tb(exc.__traceback__)[-1]
            print(f"FAIL  {name}: {type(exc).__name__}: {exc} ({os.path.basename(where.filename)}:{where.lineno})",
                  file=out, flush=True)
    print(f"{len(CHECKS) - failed} of {len(CHECKS)} checks passed", file=out, flush=True)
    return 0 if failed == 0 else 1
