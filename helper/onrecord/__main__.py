from onrecord.cli import main

raise SystemExit(main())
