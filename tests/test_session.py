"""Short-lived per-user state."""

from __future__ import annotations

from bot.session import SessionStore


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sessions_expire_after_ttl() -> None:
    """A session idle longer than the TTL is gone; an active one stays."""
    clock = Clock()
    store = SessionStore(ttl=60, clock=clock)
    store.get(1).category = "naloxone"
    clock.now = 30
    assert store.get(1).category == "naloxone"
    clock.now = 100
    assert store.get(1).category is None


def test_forget_deletes_now() -> None:
    """Forget removes the session immediately."""
    store = SessionStore()
    store.get("a").lat = 49.0
    store.forget("a")
    assert store.get("a").lat is None


def test_store_is_bounded() -> None:
    """Many distinct users cannot grow the store past its cap."""
    store = SessionStore(max_entries=100)
    for key in range(1000):
        store.get(key)
    assert len(store) == 100
