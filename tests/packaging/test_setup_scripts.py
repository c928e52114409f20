"""scripts/run.sh as the README's first command: it puts `onrecord` on the PATH, starts the helper, starts
it again without the package registry, and the README's next example works as written. And the set-up
scripts' package lists pick the name each supported system gives a package."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from helper_process import free_port, stop, wait_for_health

ROOT = Path(__file__).resolve().parents[2]
LISTS = (ROOT / "packaging" / "linux" / "apt-runtime.txt", ROOT / "scripts" / "apt-packages.txt")


def _shell(script: str, env: dict | None = None) -> str:
    done = subprocess.run(["bash", "-c", f"source scripts/common.sh\n{script}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run_sh(home: Path, data: Path, port: int, **extra) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(home), ONRECORD_HOME=str(data), **extra)
    env.pop("XDG_BIN_HOME", None)
    return subprocess.Popen(["bash", "scripts/run.sh", "--no-window", "--port", str(port)], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_run_sh_links_onrecord_starts_again_offline_and_the_readme_example_works(tmp_path):
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    first = _run_sh(home, data, free_port())
    try:
        wait_for_health(int(first.args[-1]), first, within=600)  # may install on a fresh clone
    finally:
        stop(first)
    link = home / ".local" / "bin" / "onrecord"
    assert link.is_symlink() and link.resolve() == (ROOT / ".venv" / "bin" / "onrecord").resolve()
    assert str(link.parent) in first.stdout.read()  # and it says where

    # A second start with the package registry out of reach: nothing to install, so it starts at once.
    port = free_port()
    second = _run_sh(home, data, port, PIP_NO_INDEX="1", PIP_INDEX_URL="http://127.0.0.1:9/",
                     no_proxy="*", https_proxy="http://127.0.0.1:9", http_proxy="http://127.0.0.1:9")
    try:
        assert wait_for_health(port, second, within=60)["app"] == "onrecord"
    finally:
        stop(second)

    # The README's check example, as written, with `onrecord` found through the link.
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Checking a draft from the command line"):]
    example = re.search(r"```sh\n(onrecord check .*?\nEOF)\n```", section, re.S).group(1)
    env = dict(os.environ, HOME=str(home), ONRECORD_HOME=str(data), PATH=f"{home / '.local' / 'bin'}:/usr/bin:/bin")
    done = subprocess.run(["bash", "-c", example], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "disclaimer" in done.stdout.lower()


def test_every_package_line_names_packages_or_alternatives():
    for path in LISTS:
        lines = _shell(f"apt_lines {path}").split()
        assert lines, path
        for line in lines:
            assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]*(\|[a-z0-9][a-z0-9.+-]*)*", line), (path, line)


def test_the_packages_ubuntu_24_04_renamed_are_listed_with_both_names():
    """The 64-bit time transition renamed libasound2 and libglib2.0-0 (among others) with a t64 suffix."""
    for path in LISTS:
        text = path.read_text()
        for old in ("libasound2", "libglib2.0-0"):
            assert re.search(rf"^{re.escape(old)}t64\|{re.escape(old)}$", text, re.M), (path, old)


def test_on_this_system_every_line_resolves_to_a_package_apt_knows():
    """On the machine the tests run on (Debian 12), the old names are the ones installed."""
    plan = _shell(" ".join(f"apt_plan {p};" for p in LISTS)).splitlines()
    assert plan and all(line.startswith("installed ") for line in plan), [p for p in plan if "missing" in p]
    assert "installed libasound2" in plan and "installed libglib2.0-0" in plan
    assert _shell('apt_choose "libasound2t64|libasound2"').strip() == "libasound2"


# What apt says on each supported system, for the renamed packages: which name is installed (none, on a
# fresh system) and which one apt has a candidate for.
SYSTEMS = {
    "debian-12": {"candidates": {"libasound2", "libglib2.0-0"}},
    "ubuntu-22.04": {"candidates": {"libasound2", "libglib2.0-0"}},
    "ubuntu-24.04": {"candidates": {"libasound2t64", "libglib2.0-0t64"}},
}


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_the_set_up_chooses_the_name_each_system_has(tmp_path, system):
    """apt-cache and dpkg-query stand in for each system's, answering as that system's apt does."""
    fake = tmp_path / "bin"
    fake.mkdir()
    candidates = " ".join(sorted(SYSTEMS[system]["candidates"]))
    (fake / "apt-cache").write_text(
        "#!/bin/sh\n[ \"$1\" = policy ] || exit 1\n"
        f"for known in {candidates}; do\n"
        "  if [ \"$2\" = \"$known\" ]; then printf '%s:\\n  Installed: (none)\\n  Candidate: 1.0\\n' \"$2\"; exit 0; fi\n"
        "done\nprintf '%s:\\n  Installed: (none)\\n  Candidate: (none)\\n' \"$2\"\n")
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")  # a fresh system: nothing installed
    for tool in ("apt-cache", "dpkg-query"):
        (fake / tool).chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    chosen = _shell('apt_choose "libasound2t64|libasound2"; apt_choose "libglib2.0-0t64|libglib2.0-0"',
                    env=env).split()
    assert set(chosen) == SYSTEMS[system]["candidates"]
    missing = _shell(f"apt_plan {LISTS[0]} | grep '^missing' | grep '|'", env=env).splitlines()
    assert missing == ["missing libasound2t64|libasound2", "missing libglib2.0-0t64|libglib2.0-0"]
