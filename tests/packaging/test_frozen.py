"""The packaged Linux program (PyInstaller one-folder), built from packaging/onrecord.spec: it passes
its own self-test, serves /v1/health, and behaves like the command line staff and IT use."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path


import onrecord
from helper_process import free_port, get_health, stop, wait_for_health


def run(build, env, *args, timeout=120):
    return subprocess.run([str(build.program), *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_name_and_version_come_from_the_package(linux_build, user_env):
    done = run(linux_build, user_env, "--version")
    assert done.stdout.strip() == f"onrecord {onrecord.__version__}"
    assert linux_build.program.name == onrecord.NAME.lower()
    assert f"onrecord-{onrecord.__version__}-linux-" in linux_build.tarball.name


def test_self_test_passes(linux_build, user_env):
    done = run(linux_build, user_env, "--self-test", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for check in ("keyring", "profile schema", "policy packs", "helper server"):
        assert any(line.startswith(f"ok    {check}:") for line in lines), done.stdout
    assert "4 of 4 checks passed" in done.stdout


def test_self_test_fails_without_a_secure_keyring(linux_build, user_env):
    """A self-test that cannot fail proves nothing: with keyring's refusing backend it must say so."""
    env = dict(user_env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = run(linux_build, env, "--self-test", timeout=300)
    assert done.returncode == 1
    assert "FAIL  keyring: no secure keyring is available" in done.stdout


def test_packaged_helper_answers_health_and_stops_cleanly(linux_build, user_env):
    port = free_port()
    proc = subprocess.Popen([str(linux_build.program), "run", "--no-window", "--port", str(port)],
                            env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = wait_for_health(port, proc)
        assert body == {"app": "onrecord", "status": "ok", "version": onrecord.__version__, "api": 1}
    finally:
        code = stop(proc)
    assert code == 0, proc.stderr.read()


def nhs_profile(folder: Path) -> Path:
    profile = folder / "profile.yaml"
    profile.write_text("name: Amy Clarke\norganisation: NHS England\npolicy_pack: nhs-england\n"
                       "roles: [nhs_staff]\naccounts:\n  - {site: x, handle: '@amyclarke', channel: personal}\n")
    return profile


def test_packaged_check_command_gives_prompts(linux_build, user_env, tmp_path):
    """The policy packs and detectors made it into the bundle: a real draft gets real prompts."""
    profile = nhs_profile(tmp_path)
    done = run(linux_build, user_env, "check", "--profile", str(profile), "--site", "x", "--account", "@amyclarke",
               "--json", "Great day on the ward with my NHS colleagues, proud of our team at work")
    assert done.returncode == 0, done.stderr
    categories = {p["category"] for p in json.loads(done.stdout)["prompts"]}
    assert "disclaimer" in categories


def test_packaged_program_rejects_bad_input_in_one_line(linux_build, user_env, tmp_path):
    done = run(linux_build, user_env, "check", "--profile", str(nhs_profile(tmp_path)), "--site", "nowhere",
               "--account", "@a", "hello")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "nowhere" in done.stderr


def test_profile_import_as_it_deploys_it(linux_build, user_env, tmp_path):
    profile = tmp_path / "amy.yaml"
    profile.write_text("name: Amy Clarke\norganisation: Department of Health\npolicy_pack: dh\n"
                       "roles: [civil_servant]\naccounts:\n  - {site: x, handle: '@AmyatDH', channel: official}\n")
    done = run(linux_build, user_env, "profile", "import", str(profile))
    assert done.returncode == 0, done.stderr
    shown = run(linux_build, user_env, "profile", "show", "--json")
    assert '"@AmyatDH"' in shown.stdout or '"@amyatdh"' in shown.stdout.lower()


def test_health_answers_while_a_second_copy_is_refused(linux_build, user_env):
    """Start at login and a click on the menu entry must not give two helpers on one data folder."""
    port = free_port()
    first = subprocess.Popen([str(linux_build.program), "run", "--no-window", "--port", str(port)],
                             env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_health(port, first)
        second = run(linux_build, user_env, "run", "--no-window", "--port", str(free_port()), timeout=60)
        assert second.returncode == 2 and "already running" in second.stderr
        assert get_health(port)["status"] == "ok"
    finally:
        stop(first)


def test_packaged_settings_window_opens_and_loads_its_page(linux_build, user_env, display, tmp_path):
    """pywebview's Qt backend and Qt WebEngine (its renderer process and resources) are in the bundle:
    the frozen program opens the real window, whose page then calls the helper."""
    env = dict(user_env, DISPLAY=display)
    port = free_port()
    out = (tmp_path / "helper.log").open("w+")
    proc = subprocess.Popen([str(linux_build.program), "run", "--port", str(port)], env=env,
                            stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_health(port, proc)
        deadline = time.monotonic() + 120
        windows = []
        while time.monotonic() < deadline and not windows:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^OnRecord$"], env=env,
                                   capture_output=True, text=True)
            windows = found.stdout.split()
            time.sleep(0.25)
        assert windows, "no window titled OnRecord"
        # The page's own script asks the helper for the packs: the web view really runs.
        while time.monotonic() < deadline and "GET /settings/api/packs" not in Path(out.name).read_text():
            time.sleep(0.25)
        assert "GET /settings/api/packs" in Path(out.name).read_text()
    finally:
        code = stop(proc)
        out.close()
    assert code == 0, Path(out.name).read_text()[-2000:]
