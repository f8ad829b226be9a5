"""Live reload: notice edits under the resources directory, validate, hand over a new set.

Polls file modification times (works on any mount, no dependency). Loading runs in a
worker thread so the bot keeps answering; a broken edit yields problems, never an
exception, and the caller keeps serving the last good set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.resources import Resources
from bot.yamlsource import Problem, ResourceError

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one reload: a new resource set, or the problems that stopped it."""

    resources: Resources | None
    problems: tuple[Problem, ...] = ()


def fingerprint(root: Path) -> Fingerprint:
    """(path, mtime, size) of every file under ``root``; editors' temp files excluded."""
    entries = []
    try:
        paths = sorted(root.rglob("*"))
    except OSError:
        return ()
    for path in paths:
        name = path.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue  # deleted while scanning: the next scan sees the new state
        if path.is_file():
            entries.append((str(path.relative_to(root)), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class Reloader:
    """Loads ``root`` again on demand or when its files change."""

    def __init__(
        self,
        root: Path,
        load: Callable[[Path], Resources],
        *,
        interval_s: float = 3.0,
        settle_s: float | None = None,
    ) -> None:
        self.root = root
        self._load = load
        self._interval = interval_s
        # Editors and `git pull` write several files: wait until a scan sees no more change.
        self._settle = interval_s / 2 if settle_s is None else settle_s
        self._lock = asyncio.Lock()
        self._seen = fingerprint(root)

    async def reload(self) -> Outcome:
        """Load and validate the whole set in a worker thread."""
        async with self._lock:
            self._seen = await asyncio.to_thread(fingerprint, self.root)
            try:
                resources = await asyncio.to_thread(self._load, self.root)
            except ResourceError as exc:
                return Outcome(None, tuple(exc.problems))
            except Exception as exc:  # a bug must not stop the watcher or the bot
                log.exception("reloading resources failed")
                problem = Problem(
                    str(self.root),
                    1,
                    f"unexpected {type(exc).__name__} while loading (see the bot's log)",
                )
                return Outcome(None, (problem,))
            return Outcome(resources)

    async def watch(self, on_outcome: Callable[[Outcome], Awaitable[None]]) -> None:
        """Poll forever; after each settled change, reload and pass the outcome on."""
        while True:
            await asyncio.sleep(self._interval)
            current = await asyncio.to_thread(fingerprint, self.root)
            if current == self._seen:
                continue
            while True:
                await asyncio.sleep(self._settle)
                again = await asyncio.to_thread(fingerprint, self.root)
                if again == current:
                    break
                current = again
            log.info("resources changed on disk: reloading")
            outcome = await self.reload()
            try:
                await on_outcome(outcome)
            except Exception:
                log.exception("handling a reload outcome failed")
