"""Alert delivery over Telegram: the ``Sender`` and the progress reporter that
``bot.alerts.AlertService`` is given.

Nothing here logs chat ids or alert recipients.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.alerts import (
    SENT,
    Alert,
    AlertRegion,
    Outcome,
    Progress,
    SendResult,
    Texts,
    bundled_texts,
    format_progress,
)
from bot.reply import Reply
from bot.tg import render
from bot.tg.lanes import Lane, travel_in
from bot.tg.retry import retry_after_seconds

# Telegram answers these when the chat is gone for good: treat like a block.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "peer_id_invalid")


class TelegramSender:
    """``bot.alerts.Sender`` over the Application's bot (so its pacing and retries apply)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, message: str) -> SendResult:
        """One alert to one chat, in the BULK lane; the outcome, never an exception."""
        with travel_in(Lane.BULK):
            return await self._send(chat_id, message)

    async def _send(self, chat_id: int, message: str) -> SendResult:
        try:
            try:
                await self._send_chunks(chat_id, message)
            except ChatMigrated as exc:
                # The group became a supergroup; its subscription moves when the bot sees
                # the migration message. Deliver this alert to the new id now.
                await self._send_chunks(exc.new_chat_id, message)
        except Forbidden:
            return SendResult(Outcome.BLOCKED, reason="Forbidden")
        except RetryAfter as exc:
            return SendResult(
                Outcome.RETRY, retry_after=retry_after_seconds(exc), reason="RetryAfter"
            )
        except BadRequest as exc:
            if any(gone in exc.message.lower() for gone in _GONE):
                return SendResult(Outcome.BLOCKED, reason="BadRequest")
            return SendResult(Outcome.FAILED, reason="BadRequest")
        except NetworkError as exc:  # 5xx answers, timeouts and the network itself
            return SendResult(Outcome.RETRY, reason=type(exc).__name__)
        except TelegramError as exc:
            return SendResult(Outcome.FAILED, reason=type(exc).__name__)
        return SENT

    async def _send_chunks(self, chat_id: int, message: str) -> None:
        for chunk in render.html_chunks(Reply(message, "en", "alert", emergency=True)):
            await self._bot.send_message(chat_id, chunk)


class ProgressReporter:
    """Edits the publishing staff member's message: 'sent 1,200 of 5,000', then the counts."""

    def __init__(
        self,
        bot: Bot,
        regions: dict[str, AlertRegion],
        catalog: Callable[[], Texts] = bundled_texts,
    ) -> None:
        self._bot = bot
        self._regions = regions
        self._catalog = catalog  # the words (ui.yaml) of the resources served now

    async def __call__(self, alert: Alert, progress: Progress) -> None:
        """Show ``progress`` for ``alert`` where its publisher watches."""
        if alert.report_chat is None or alert.report_message is None:
            return
        region = self._regions.get(alert.region)
        words = format_progress(progress, alert.report_language, region, self._catalog())
        # BadRequest "message is not modified": no new progress since the last edit.
        with contextlib.suppress(BadRequest):
            await self._bot.edit_message_text(
                render.escape(words), chat_id=alert.report_chat, message_id=alert.report_message
            )
