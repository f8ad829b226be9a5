"""Live reload: the poller notices edits, validates in a thread, and never breaks the bot."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.resources import Resources, load_resources
from bot.staff.reload import Outcome, Reloader, fingerprint
from bot.tg.staff_commands import outcome_text
from tests.helpers.locator import fixture_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the bundled resources to edit."""
    copy = tmp_path / "resources"
    shutil.copytree(fixture_root(), copy)
    return copy


def _load(root: Path) -> Resources:
    return load_resources(root)


async def _next(queue: asyncio.Queue[Outcome]) -> Outcome:
    return await asyncio.wait_for(queue.get(), timeout=10)


async def _watching(root: Path) -> tuple[asyncio.Task[None], asyncio.Queue[Outcome]]:
    queue: asyncio.Queue[Outcome] = asyncio.Queue()
    reloader = Reloader(root, _load, interval_s=0.05)

    async def on_outcome(outcome: Outcome) -> None:
        await queue.put(outcome)

    return asyncio.create_task(reloader.watch(on_outcome)), queue


def test_fingerprint_ignores_editor_temp_files(root: Path) -> None:
    """Swap files and hidden files do not count as changes."""
    before = fingerprint(root)
    (root / ".ui.yaml.swp").write_text("x")
    (root / "ui.yaml~").write_text("x")
    assert fingerprint(root) == before
    (root / "intents" / "new.yaml").write_text("intents: []\n")
    assert fingerprint(root) != before


async def test_watcher_loads_a_good_edit(root: Path) -> None:
    """Saving a valid change produces a new resource set."""
    task, queue = await _watching(root)
    try:
        ui = root / "ui.yaml"
        ui.write_text(ui.read_text() + "\n")
        outcome = await _next(queue)
    finally:
        task.cancel()
    assert outcome.resources is not None
    assert outcome.problems == ()


async def test_watcher_reports_a_broken_edit_then_recovers(root: Path) -> None:
    """A broken file gives file:line problems; fixing it gives a good set again."""
    task, queue = await _watching(root)
    try:
        ui = root / "ui.yaml"
        good = ui.read_text()
        ui.write_text(good.replace("messages:", "messages: [", 1))
        broken = await _next(queue)
        ui.write_text(good)
        fixed = await _next(queue)
    finally:
        task.cancel()
    assert broken.resources is None
    assert broken.problems[0].file == "ui.yaml"
    assert fixed.resources is not None
    notice = outcome_text(broken, fixed.resources.kb, "en")
    assert "ui.yaml:" in notice
    assert "previous version" in notice


async def test_a_crashing_loader_is_a_problem_not_a_crash(root: Path) -> None:
    """An unexpected exception while loading becomes a reported problem."""

    def explode(path: Path) -> Resources:
        raise RuntimeError("bug")

    outcome = await Reloader(root, explode).reload()
    assert outcome.resources is None
    assert "RuntimeError" in outcome.problems[0].message
