"""``python -m bot`` is ``hrbot``."""

from bot.cli import main

raise SystemExit(main())
