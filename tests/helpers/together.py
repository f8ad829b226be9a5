"""Run one function on several threads released at the same instant (replicas starting
together), collecting what each returned and what each raised."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def at_once(
    count: int, work: Callable[[], T], wait_s: float = 60
) -> tuple[list[T], list[BaseException]]:
    """``work()`` on ``count`` threads that start together: (results, errors)."""
    barrier = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            results.append(work())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(wait_s)
    return results, errors
