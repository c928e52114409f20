"""``onrecord``: the command line. Each sub-command lives in ``onrecord.commands``."""

from __future__ import annotations

import argparse
import importlib
import sys

from onrecord import __version__
from onrecord.commands import MODULES
from onrecord.errors import OnRecordError, is_disk_full

EXIT_BAD_INPUT = 2


class UsageError(OnRecordError):
    code = "usage"


class _Parser(argparse.ArgumentParser):
    """Bad usage is one line on standard error naming what was wrong, then exit 2."""

    def error(self, message: str):  # noqa: D401 - argparse's hook
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="onrecord", description="Your organisation's social media policy, at the moment of posting.")
    parser.add_argument("--version", action="version", version=f"onrecord {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this installation works (keyring, packs, helper) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in MODULES:
        module = importlib.import_module(f"onrecord.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.self_test:
            from onrecord.selftest import run as self_test

            return self_test()
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_BAD_INPUT
        return int(args.func(args) or 0)
    except OnRecordError as exc:
        msg = exc.message if exc.message.startswith("onrecord") else f"onrecord: {exc.message}"
        print(msg.replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the edge: never a traceback for the user
        if is_disk_full(exc):
            print("onrecord: the disk is full, so nothing could be saved: free some space and try again",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"onrecord: internal error ({type(exc).__name__}); please report it", file=sys.stderr)
        return 1


def native_host_main() -> int:
    """``onrecord-native-host``: the program named in the host manifests (a manifest cannot pass arguments)."""
    return main(["native-host", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
