"""``python -m bot`` is ``hrbot``."""

from bot.launch import main

raise SystemExit(main())
