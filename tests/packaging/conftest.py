"""The packaged program, built once per test session, as staff and IT would get it.

The build (PyInstaller's one-folder program, then the Linux tarball and .deb) takes minutes, so it
happens once, in a folder of its own under build/ (other test runs may build at the same time), and
is removed at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 1800  # seconds: PyInstaller with Qt WebEngine on a busy two-core machine


@dataclass(frozen=True)
class Build:
    program: Path   # dist/onrecord/onrecord
    tarball: Path
    deb: Path
    seconds: float


@pytest.fixture(scope="session")
def linux_build() -> Build:
    work = ROOT / "build" / f"test-packaging-{os.getpid()}"
    dist, scratch = work / "dist", work / "build"
    env = dict(os.environ, DIST=str(dist), BUILD=str(scratch), PYTHON=sys.executable,
               GZIP_LEVEL="1")  # the packages' layout is under test here, not their size
    started = time.monotonic()
    proc = subprocess.run(["bash", str(ROOT / "packaging" / "linux" / "build.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        pytest.fail(f"the Linux build failed (exit {proc.returncode}):\n{tail}")
    build = Build(dist / "onrecord" / "onrecord", next(dist.glob("onrecord-*-linux-*.tar.gz")),
                  next(dist.glob("onrecord_*.deb")), time.monotonic() - started)
    yield build
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def user_env(tmp_path) -> dict:
    """The environment of a user with a fresh data folder and config folder and no system-wide
    autostart entry. (XDG_DATA_HOME stays: with-keyring.sh's keyring lives there.)"""
    env = dict(os.environ)
    for var, name in (("ONRECORD_HOME", "onrecord-home"), ("XDG_CONFIG_HOME", "config")):
        (tmp_path / name).mkdir()
        env[var] = str(tmp_path / name)
    env["XDG_CONFIG_DIRS"] = str(tmp_path / "etc-xdg")
    return env
