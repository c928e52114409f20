"""Where OnRecord keeps what it saves: ``ONRECORD_HOME`` or the platform's per-user data folder."""

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "OnRecord"
PROFILE_NAME = "profile.yaml"
SETTINGS_NAME = "settings.json"
AUDIT_NAME = "audit.sqlite3"


def private_folder(path: Path) -> Path:
    """Make ``path`` (and its parents) if needed, and leave it readable by the user alone.

    ``mkdir``'s mode applies only to a folder it creates: a folder that already existed with 0755 (made by
    hand, by an older version, or by a tool with a loose umask) would let other users list and read what
    OnRecord saves, so an existing folder of the user's own is tightened to 0700 too.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        st = path.stat()
        if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
    return path


def home_path() -> Path:
    """Where the data folder is, without making it (for what only looks)."""
    env = os.environ.get("ONRECORD_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def home() -> Path:
    """The data folder, created with permissions for the user alone."""
    return private_folder(home_path())


def profile_path() -> Path:
    return home() / PROFILE_NAME


def settings_path() -> Path:
    return home() / SETTINGS_NAME


def audit_db_path() -> Path:
    return home() / AUDIT_NAME


def log_dir() -> Path:
    return private_folder(home() / "logs")
