"""Every command-line mistake is one line on standard error naming what is wrong, and exit status 2.

Run as a user runs them: ``python -m onrecord`` in its own process, with its own data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.store.audit import AuditEvent, AuditLog


def onrecord(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onrecord", *args], capture_output=True, text=True, timeout=60,
                          input=stdin, env=dict(os.environ, ONRECORD_HOME=str(home)))


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    return done.stderr


@pytest.fixture
def recorded(onrecord_home) -> Path:
    AuditLog().record(AuditEvent("x", "@amyclarke", "personal", "acknowledged", ("dh.disclaimer",), ("disclaimer",)))
    return onrecord_home


def test_exporting_to_a_folder_names_it_and_writes_nothing(recorded, tmp_path):
    err = one_line(onrecord("audit", "export", "--csv", str(tmp_path), home=recorded))
    assert str(tmp_path) in err and "folder" in err


def test_exporting_into_a_folder_that_does_not_exist_does_not_make_it(recorded, tmp_path):
    target = tmp_path / "no" / "such" / "activity.csv"
    err = one_line(onrecord("audit", "export", "--csv", str(target), home=recorded))
    assert "does not exist" in err and str(tmp_path / "no" / "such") in err
    assert not (tmp_path / "no").exists()


def test_exporting_where_nothing_can_be_written_says_so(recorded):
    err = one_line(onrecord("audit", "export", "--csv", "/etc/hostname/activity.csv", home=recorded))
    assert "/etc/hostname" in err and "not a folder" in err


def test_showing_an_empty_activity_log_says_there_is_nothing(onrecord_home):
    done = onrecord("audit", "show", home=onrecord_home)
    assert done.returncode == 0 and "No events recorded" in done.stdout
    done = onrecord("audit", "show", "--site", "linkedin", home=onrecord_home)
    assert done.returncode == 0 and "No events match these filters" in done.stdout


def test_a_profile_import_names_every_problem(onrecord_home, tmp_path):
    bad = tmp_path / "profile.yaml"
    bad.write_text("name: Amy\norganisation: DH\npolicy_pack: dh\nroles: [wizard]\ncolour: blue\n"
                   "accounts:\n  - {site: myspace, handle: '@amy', channel: personal}\n")
    err = one_line(onrecord("profile", "import", str(bad), home=onrecord_home))
    assert "more)" not in err
    assert "'colour'" in err and "'wizard'" in err and "'myspace'" in err
    assert not (onrecord_home / "profile.yaml").exists()
