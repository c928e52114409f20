"""The data folder is the user's alone, however it came to exist."""

from __future__ import annotations

import os
import stat
import subprocess
import sys


def test_a_data_folder_that_already_exists_open_to_others_is_closed_to_them(tmp_path):
    home = tmp_path / "OnRecord"
    home.mkdir()
    os.chmod(home, 0o755)  # made by hand, or by an older version, with a loose umask
    done = subprocess.run([sys.executable, "-m", "onrecord", "audit", "show"], capture_output=True, text=True,
                          env=dict(os.environ, ONRECORD_HOME=str(home)), timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
