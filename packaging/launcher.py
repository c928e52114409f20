"""The packaged program's entry point: the same as ``python -m onrecord``, with one difference.

Opened with no arguments from Finder or the Dock (``OnRecord.app``), or as the windowless
``onrecordw.exe`` on Windows, there is no terminal to print usage to: it starts the helper and its
settings window, as the Start menu and the Linux menu entry do with ``onrecord run``.
"""

import sys

from onrecord.cli import main


def arguments(argv: list[str], executable: str, platform: str) -> list[str]:
    # Finder on older macOS adds a process serial number argument of its own.
    args = [a for a in argv if not a.startswith("-psn_")]
    opened_as_app = platform == "darwin" and ".app/Contents/MacOS/" in executable
    name = executable.replace("\\", "/").rsplit("/", 1)[-1].lower()
    windowless = platform.startswith("win") and name.endswith("w.exe")
    if not args and (opened_as_app or windowless):
        return ["run"]
    return args


if __name__ == "__main__":
    raise SystemExit(main(arguments(sys.argv[1:], sys.executable, sys.platform)))
