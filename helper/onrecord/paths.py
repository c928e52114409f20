"""Where OnRecord keeps what it saves: ``ONRECORD_HOME`` or the platform's per-user data folder."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "OnRecord"


def home() -> Path:
    """The data folder, created with permissions for the user alone."""
    env = os.environ.get("ONRECORD_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def profile_path() -> Path:
    return home() / "profile.yaml"


def settings_path() -> Path:
    return home() / "settings.json"


def audit_db_path() -> Path:
    return home() / "audit.sqlite3"


def log_dir() -> Path:
    path = home() / "logs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
