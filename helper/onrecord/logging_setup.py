"""The helper's log: ``logs/helper.log`` in the data folder, readable by the user alone, and standard error.

What goes in it: at INFO, one line per request with the route, status, duration and rule ids; warnings
and errors with their cause. Never the text of a draft, never a token, never a query string: the access
line is built from the path and what the route chose to report, and unexpected exceptions are logged by
type and stack only (an exception's message can quote its input).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from onrecord import paths

LOG_NAME = "helper.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_installed: list[logging.Handler] = []


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens (the first and each rotation) is created with mode 0600.

    A record that cannot be written (a full disk) is dropped without a traceback on standard error each
    time; the first such failure is said there once, in one line.
    """

    _said_failure = False

    def handleError(self, record):  # noqa: N802 - logging's hook
        if not self._said_failure:
            self._said_failure = True
            exc = sys.exc_info()[1]
            sys.stderr.write(f"onrecord: cannot write the log file {self.baseFilename} "
                             f"({type(exc).__name__}: {exc}); messages go to standard error only\n")

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.chmod(self.baseFilename, 0o600)
        except OSError:
            pass
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)


def log_file(folder: Path | None = None) -> Path:
    return (Path(folder) if folder else paths.log_dir()) / LOG_NAME


def setup_logging(level: str = "INFO", folder: Path | None = None, to_stderr: bool = True) -> Path:
    """Send OnRecord's and waitress's logs to the log file (and standard error); returns the file's path."""
    for handler in _installed:
        logging.getLogger().removeHandler(handler)
        handler.close()
    _installed.clear()
    path = log_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    formatter = logging.Formatter(FORMAT)
    file_handler = _PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(formatter)
    _installed.append(file_handler)
    if to_stderr:
        err = logging.StreamHandler()
        err.setFormatter(formatter)
        _installed.append(err)
    root = logging.getLogger()
    for handler in _installed:
        root.addHandler(handler)
    wanted = getattr(logging, level.upper(), logging.INFO)
    # DEBUG is for OnRecord's own code only: libraries (D-Bus, keyring) might say too much at DEBUG.
    logging.getLogger("onrecord").setLevel(wanted)
    root.setLevel(max(wanted, logging.INFO))
    return path
