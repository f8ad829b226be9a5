"""Sessions and alert drafts as JSON for Redis; any dataclass of plain values works.

Lists come back as tuples (a session's ``choices`` hold tuples); unknown keys are ignored
and missing ones take their defaults, so replicas of two versions can share state.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

T = TypeVar("T")
LOCAL_ONLY = frozenset({"touched"})  # a process's monotonic clock means nothing elsewhere


def encode(record: Any) -> bytes:
    """``record`` (a dataclass instance) as compact JSON."""
    values = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in LOCAL_ONLY
    }
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()


def decode(kind: type[T], raw: bytes | str) -> T | None:
    """A ``kind`` from ``encode``'s JSON; None if it is not readable."""
    try:
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, dict):
        return None
    names = {
        f.name
        for f in dataclasses.fields(kind)  # type: ignore[arg-type]
        if f.init and f.name not in LOCAL_ONLY
    }
    try:
        return kind(**{k: _tuples(v) for k, v in values.items() if k in names})
    except (TypeError, ValueError):
        return None


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value
