"""Resident memory under many users, with sessions expiring; and the container image size.

10,000 messages from 5,000 users go through the real Application (network in-process) with
the session store on a fake clock, so expiry is shown without waiting 30 minutes. A second
round of 10,000 messages from 5,000 new users, after the first round expired, shows memory
flat: the second round must not grow it much.

It runs in a process of its own (``python -m benchmarks.bench_memory``), so the other
benchmarks of ``make bench`` do not count in its resident memory.
"""

from __future__ import annotations

import asyncio
import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

from telegram import Update

from benchmarks.bench_e2e import full_application, traffic
from bot.resources import default_resources_dir, load_resources
from bot.session import SessionStore
from tests.fake_bot_api import FakeBotAPI

MESSAGES = 10_000
USERS = 5_000
TTL_S = 60.0
IMAGE = "localhost/hrbot:test"


def rss_mb(status: Path = Path("/proc/self/status")) -> float:
    """Resident set size (VmRSS) of a process in MB."""
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class FakeClock:
    """A monotonic clock the benchmark moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _measure() -> list[tuple[str, float, int]]:
    resources = load_resources(default_resources_dir())
    api = FakeBotAPI()
    application = full_application(resources, api)
    clock = FakeClock()
    rows: list[tuple[str, float, int]] = []
    async with application:
        sessions = SessionStore(ttl=TTL_S, clock=clock)
        application.bot_data.sessions = sessions

        async def feed(first_user: int, label: str) -> None:
            for index, payload in enumerate(traffic(MESSAGES, USERS, first_user=first_user)):
                clock.now += 0.001  # 10 s per round: well inside the TTL
                await application.process_update(Update.de_json(payload, application.bot))
                api.calls.clear()
                if index + 1 == MESSAGES // 2:
                    gc.collect()
                    rows.append((f"{label}: {index + 1:,} messages", rss_mb(), len(sessions)))

        gc.collect()
        rows.append(("start (resources loaded)", rss_mb(), len(sessions)))
        await feed(10_000_000, "round 1")
        gc.collect()
        rows.append((f"round 1: {MESSAGES:,} messages, {USERS:,} users", rss_mb(), len(sessions)))
        clock.now += TTL_S + 1
        gc.collect()
        rows.append(("after session expiry", rss_mb(), len(sessions)))
        await feed(20_000_000, "round 2")
        gc.collect()
        rows.append((f"round 2: {MESSAGES:,} from {USERS:,} new users", rss_mb(), len(sessions)))
    return rows


def image_size() -> str:
    """The container image size, if podman can see the test image."""
    if shutil.which("podman") is None:
        return "n/a"
    try:
        done = subprocess.run(
            ["podman", "image", "inspect", IMAGE],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "n/a"
    if done.returncode != 0:
        return "n/a"
    try:
        size = int(json.loads(done.stdout)[0]["Size"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "n/a"
    return f"{size / 1e6:.0f} MB"


def _measure_apart() -> list[tuple[str, float, int]]:
    """``_measure`` in a fresh interpreter, so nothing else loaded counts."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_memory"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return [(label, float(mb), int(live)) for label, mb, live in json.loads(done.stdout)]


def run() -> list[tuple[str, str, str]]:
    """Rows of (metric, value, target)."""
    rows = [
        (f"RSS: {label} ({live:,} live sessions)", f"{mb:.0f} MB", "")
        for label, mb, live in _measure_apart()
    ]
    growth = float(rows[-1][1].split()[0]) - float(rows[2][1].split()[0])
    rows.append(("RSS growth over the second round", f"{growth:+.0f} MB", "~0 (flat)"))
    rows.append((f"container image size ({IMAGE})", image_size(), ""))
    return rows


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_measure())))
