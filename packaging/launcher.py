"""The packaged program's entry point: the same as ``python -m onrecord``."""

from onrecord.cli import main

raise SystemExit(main())
