"""Telegram objects sent again and again, serialised once.

PTB turns every object it sends into a dict by reflection (``TelegramObject.to_dict``
walks the class's slots), on every send. The keyboards and the link-preview default go
out with most messages and never change, so these subclasses keep their JSON from birth.
"""

from __future__ import annotations

import json
from typing import Any, cast

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    TelegramObject,
)


class _KeepsJSON(TelegramObject):
    """Serialises once; ``to_dict`` hands out a fresh copy (a caller may change it)."""

    __slots__ = ()
    _json: str

    def _keep_json(self) -> None:
        # PTB freezes its objects after __init__ but leaves underscore attributes settable.
        self._json = json.dumps(super().to_dict())

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The same dict PTB builds, decoded from the kept JSON."""
        if not recursive:
            return super().to_dict(recursive=False)
        return cast(dict[str, Any], json.loads(self._json))


class KeptInlineKeyboard(_KeepsJSON, InlineKeyboardMarkup):
    """An inline keyboard that keeps its JSON."""

    __slots__ = ("_json",)

    def __init__(self, rows: list[list[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        self._keep_json()


class KeptReplyKeyboard(_KeepsJSON, ReplyKeyboardMarkup):
    """A reply keyboard (the /start one, the location one) that keeps its JSON."""

    __slots__ = ("_json",)

    def __init__(
        self,
        rows: list[list[KeyboardButton]],
        *,
        resize_keyboard: bool | None = None,
        one_time_keyboard: bool | None = None,
        input_field_placeholder: str | None = None,
        is_persistent: bool | None = None,
    ) -> None:
        super().__init__(
            rows,
            resize_keyboard=resize_keyboard,
            one_time_keyboard=one_time_keyboard,
            input_field_placeholder=input_field_placeholder,
            is_persistent=is_persistent,
        )
        self._keep_json()


class KeptLinkPreviewOptions(_KeepsJSON, LinkPreviewOptions):
    """The link-preview setting every message carries (as the ``Defaults``)."""

    __slots__ = ("_json",)

    def __init__(self, *, is_disabled: bool) -> None:
        super().__init__(is_disabled=is_disabled)
        self._keep_json()
