"""The bundled resource set, loaded once per test process (about a second each time).

Resources are immutable, so tests that only read them can share one load; tests that
open alert stores or edit files load their own.
"""

from __future__ import annotations

from functools import cache

from bot.resources import Resources, load_resources


@cache
def bundled() -> Resources:
    """The resources under resources/, loaded on first use."""
    return load_resources()
