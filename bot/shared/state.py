"""Each chat's conversation state and staff alert draft, shared by the replicas.

``ChatStates`` is the storage: ``RedisChatStates`` (several replicas) or
``MemoryChatStates`` (its in-memory twin, for one process and the tests). ``StateSync``
moves a chat's state between that storage and the process's own ``SessionStore`` and
draft table around the handling of one update: ``hydrate`` before, ``persist`` after.
Handlers keep working on plain in-memory objects and never wait for Redis mid-answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.alerts import AlertDraft
from bot.session import SESSION_TTL_S, Session, SessionStore
from bot.shared.client import PREFIX, Guard
from bot.shared.codec import decode, encode

DRAFT_TTL_S = 60 * 60  # a staff member has an hour of idle time to finish an alert
Key = int | str


class ChatStates(Protocol):
    """Where a chat's session and draft live between updates; every entry has a TTL."""

    async def load(self, key: Key, *, draft: bool) -> tuple[Session | None, AlertDraft | None]:
        """The chat's session (and draft, if asked), None for what is not there."""
        ...

    async def save(
        self, key: Key, session: Session | None, draft: AlertDraft | None, *, with_draft: bool
    ) -> None:
        """Store what is given (restarting its TTL), delete what is None."""
        ...


class MemoryChatStates:
    """``ChatStates`` in a dict, with the same TTLs (one process)."""

    def __init__(
        self,
        ttl: float = SESSION_TTL_S,
        draft_ttl: float = DRAFT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = {"s": ttl, "d": draft_ttl}
        self._clock = clock
        self._data: dict[tuple[str, Key], tuple[float, bytes]] = {}

    def _get(self, kind: str, key: Key) -> bytes | None:
        found = self._data.get((kind, key))
        if found is None or found[0] <= self._clock():
            self._data.pop((kind, key), None)
            return None
        return found[1]

    def _set(self, kind: str, key: Key, value: bytes | None) -> None:
        if value is None:
            self._data.pop((kind, key), None)
        else:
            self._data[(kind, key)] = (self._clock() + self._ttl[kind], value)

    async def load(self, key: Key, *, draft: bool) -> tuple[Session | None, AlertDraft | None]:
        """See ``ChatStates``."""
        session = self._get("s", key)
        drafted = self._get("d", key) if draft else None
        return (
            decode(Session, session) if session else None,
            decode(AlertDraft, drafted) if drafted else None,
        )

    async def save(
        self, key: Key, session: Session | None, draft: AlertDraft | None, *, with_draft: bool
    ) -> None:
        """See ``ChatStates``."""
        self._set("s", key, encode(session) if session is not None else None)
        if with_draft:
            self._set("d", key, encode(draft) if draft is not None else None)

    def __len__(self) -> int:
        now = self._clock()
        return sum(1 for expires, _ in self._data.values() if expires > now)


class RedisChatStates:
    """``ChatStates`` in Redis: ``hrbot:s:<chat>`` and ``hrbot:d:<chat>`` with ``EX``."""

    def __init__(
        self, redis: Redis, ttl: float = SESSION_TTL_S, draft_ttl: float = DRAFT_TTL_S
    ) -> None:
        self._redis = redis
        self._ttl = max(int(ttl), 1)
        self._draft_ttl = max(int(draft_ttl), 1)

    async def load(self, key: Key, *, draft: bool) -> tuple[Session | None, AlertDraft | None]:
        """See ``ChatStates``."""
        if draft:
            session, drafted = await self._redis.mget(_key("s", key), _key("d", key))
        else:
            session, drafted = await self._redis.get(_key("s", key)), None
        return (
            decode(Session, session) if session else None,
            decode(AlertDraft, drafted) if drafted else None,
        )

    async def save(
        self, key: Key, session: Session | None, draft: AlertDraft | None, *, with_draft: bool
    ) -> None:
        """See ``ChatStates``."""
        async with self._redis.pipeline(transaction=False) as pipe:
            if session is not None:
                pipe.set(_key("s", key), encode(session), ex=self._ttl)
            else:
                pipe.delete(_key("s", key))
            if with_draft and draft is not None:
                pipe.set(_key("d", key), encode(draft), ex=self._draft_ttl)
            elif with_draft or session is None:
                pipe.delete(_key("d", key))  # /forget drops a draft too
            if session is None:
                pipe.delete(f"{PREFIX}rate:chat:{key}")  # and its send counter
            await pipe.execute()


def _key(kind: str, key: Key) -> str:
    return f"{PREFIX}{kind}:{key}"


class StateSync:
    """Loads a chat's shared state into this process before an update, saves it after.

    Two updates of one chat handled at once by this process share the local objects: only
    the first loads, only the last saves, so neither undoes the other.
    """

    def __init__(
        self, states: ChatStates, sessions: SessionStore, drafts: MutableMapping[int, AlertDraft]
    ) -> None:
        self.states = states
        self.sessions = sessions
        self.drafts = drafts
        self.guard = Guard("conversation state")
        self._busy: dict[Key, int] = {}

    async def hydrate(self, key: Key, *, draft: bool) -> None:
        """Before an update of ``key``: the shared copy replaces the local one."""
        self._busy[key] = self._busy.get(key, 0) + 1
        if self._busy[key] > 1 or not self.guard.up:
            return
        try:
            session, drafted = await self.states.load(key, draft=draft)
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)
            return
        if session is None:
            self.sessions.forget(key)  # expired or forgotten elsewhere: start afresh
        else:
            self.sessions.put(key, session)
        if draft and isinstance(key, int):
            if drafted is None:
                self.drafts.pop(key, None)
            else:
                self.drafts[key] = drafted

    async def persist(self, key: Key, *, draft: bool) -> None:
        """After an update of ``key``: save what the handler left (nothing after /forget)."""
        self._busy[key] -= 1
        if self._busy[key] > 0:
            return
        del self._busy[key]
        if not self.guard.up:
            return
        drafted = self.drafts.get(key) if isinstance(key, int) else None
        try:
            await self.states.save(key, self.sessions.peek(key), drafted, with_draft=draft)
        except (RedisError, OSError) as exc:
            self.guard.failed(exc)
