"""The bundled resource set, loaded once per test process (about a second each time).

Resources are immutable, so tests that only read them can share one load; tests that
open alert stores or edit files load their own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.resources import Resources, load_resources
from bot.semantic import SemanticSettings, installed

# The sentence model's cache for the tests (weights and example vectors, keyed by the
# package files and the examples: never stale), shared by the workers and kept between
# runs so that each process is ready in ~0.2 s rather than ~6 s.
CACHE_ROOT = Path(__file__).resolve().parents[2] / ".pytest_cache" / "hrbot"
SEMANTIC_CACHE = CACHE_ROOT / "semantic"  # where HRBOT_CACHE_DIR=CACHE_ROOT puts it


def semantic_settings() -> SemanticSettings | None:
    """The sentence model as the tests use it (loaded before the first answer), or None
    when the package is not installed (the lexical path alone)."""
    return SemanticSettings(SEMANTIC_CACHE) if installed() else None


@cache
def bundled() -> Resources:
    """The resources under resources/, loaded on first use, consulting the sentence model
    as a deployment does (``lexical()`` for the set without it)."""
    return load_resources().with_semantic(semantic_settings())


@cache
def lexical() -> Resources:
    """The same set with the sentence model switched off (HRBOT_SEMANTIC=off)."""
    return bundled().with_semantic(None)
