"""What several replicas must share, and nothing more: in Redis when ``REDIS_URL`` is set.

* ``state``: each chat's conversation (language, place, last search...) and a staff
  member's alert draft, loaded before an update is handled and saved after, with the
  same idle TTL as in memory; ``/forget`` deletes the chat's keys.
* ``seen``: update ids already handled, so an update posted to two replicas is answered once.
* ``budget``: one send budget for the whole bot (Telegram's ~30 messages a second, one a
  second per chat, 20 a minute per group) and the alerts' pace within it.
* ``locks``: one polling replica at most.

Every key has a TTL: nothing outlives it. Without Redis each piece has an in-memory twin
with the same interface (one replica). When Redis cannot be reached, callers fall back to
local state for a moment (``Guard``): answers, emergency answers first, never wait for it.
"""

from bot.shared.client import Guard, open_redis

__all__ = ["Guard", "open_redis"]
