"""Short-lived, in-memory, per-user state. Nothing here is ever written to disk.

With several replicas, ``bot.shared`` keeps a copy in Redis under the same idle TTL, so a
follow-up that reaches another replica finds it (``peek``/``put`` are the seam).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.reply import Language

SESSION_TTL_S = 30 * 60


@dataclass(slots=True)
class Session:
    """What the bot remembers about one chat for a few minutes, to make buttons work.

    The last searched place (a shared location or a typed place) is remembered too, so a
    follow-up "where can I get naloxone" searches there; /forget and expiry drop it.
    """

    language: Language = "en"
    language_locked: bool = False  # set by /lang: stop auto-detecting per message
    lat: float | None = None
    lon: float | None = None
    place_name: str | None = None
    place_source: str | None = None  # how the place was given ("location", "gazetteer"...)
    province: str | None = None  # the remembered place's province, when known
    category: str | None = None
    offset: int = 0
    open_only: bool = False
    choices: dict[str, tuple[str, float, float, str | None]] = field(default_factory=dict)
    reports_sent: int = 0  # "report a problem" presses, to cap anonymous flooding
    awaiting_place: bool = False  # the bot just asked "where?": the next message may be one
    # The conversation's thread (bot.thread): "emergency" or "crisis_support" after those
    # answers, so "still nothing" or "je sais pas" is read in it. A topic id, never words.
    thread: str | None = None
    thread_turns: int = 0  # messages since the thread began or was renewed
    thread_away: int = 0  # replies in a row that clearly answered something else
    last_topic: str | None = None  # the topic last answered, for "is it free?" (an id)
    touched: float = 0.0

    def has_place(self) -> bool:
        """True when a shared or typed place is remembered."""
        return self.lat is not None and self.lon is not None


class SessionStore:
    """Sessions keyed by an opaque chat key; entries expire after ``ttl`` seconds idle.

    Bounded in size too, so a flood of distinct users cannot grow memory without limit.
    """

    def __init__(
        self,
        ttl: float = SESSION_TTL_S,
        max_entries: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._data: OrderedDict[int | str, Session] = OrderedDict()

    def get(self, key: int | str, default_language: Language = "en") -> Session:
        """Return the live session for ``key``, creating a fresh one if none or expired."""
        now = self._clock()
        self._expire(now)
        session = self._data.get(key)
        if session is None:
            session = Session(language=default_language)
            self._data[key] = session
            if len(self._data) > self._max:
                self._data.popitem(last=False)
        else:
            self._data.move_to_end(key)
        session.touched = now
        return session

    def forget(self, key: int | str) -> None:
        """Delete everything held for ``key`` now."""
        self._data.pop(key, None)

    # The storage seam: a shared backend (Redis, for several replicas) loads a chat's
    # session in before an update is handled and saves it back after.

    def peek(self, key: int | str) -> Session | None:
        """The live session for ``key`` without creating or touching one."""
        session = self._data.get(key)
        if session is None or self._clock() - session.touched > self._ttl:
            return None
        return session

    def put(self, key: int | str, session: Session) -> None:
        """Hold ``session`` for ``key`` (replacing any), as if just used."""
        session.touched = self._clock()
        self._data[key] = session
        self._data.move_to_end(key)
        if len(self._data) > self._max:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        self._expire(self._clock())
        return len(self._data)

    def _expire(self, now: float) -> None:
        # Ordered by last use, so the stale ones are at the front.
        while self._data:
            key, session = next(iter(self._data.items()))
            if now - session.touched <= self._ttl:
                break
            del self._data[key]
