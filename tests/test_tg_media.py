"""Photos, voice, stickers and files through the real Application and the real resources.

A caption is answered like text (an emergency caption as an emergency); media the bot
cannot read get one short reply in the chat's language that names what it can read and
says to call 911.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.tg.context import TgApplication
from tests.fake_bot_api import Call, FakeBotAPI
from tests.tg_fixtures import GROUP_ID, message

PHOTO: dict[str, Any] = {
    "photo": [{"file_id": "AgAC1", "file_unique_id": "AQAD1", "width": 90, "height": 67}]
}
MEDIA: dict[str, dict[str, Any]] = {
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 3}},
    "video_note": {
        "video_note": {"file_id": "n1", "file_unique_id": "n1u", "length": 240, "duration": 4}
    },
    "sticker": {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "s1u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "photo": PHOTO,
    "document": {"document": {"file_id": "d1", "file_unique_id": "d1u"}},
}


async def _send(bot: tuple[TgApplication, FakeBotAPI], payload: dict[str, Any]) -> list[Call]:
    application, api = bot
    api.calls.clear()
    await application.process_update(Update.de_json(payload, application.bot))
    return api.sent("sendMessage")


async def test_a_photo_captioned_with_an_emergency_gets_the_emergency_answer(
    bot: tuple[TgApplication, FakeBotAPI],
) -> None:
    """'my friend is not breathing' as a caption: 'Call 911 now', in bold, first."""
    [first, *_] = await _send(bot, message(caption="my friend is not breathing", **PHOTO))
    assert first.text.startswith("<b>") and "911" in first.text.split("\n")[0]


async def test_a_captioned_photo_in_a_group_is_answered_only_when_addressed(
    bot: tuple[TgApplication, FakeBotAPI],
) -> None:
    """In a group a caption is answered when it mentions the bot, like a text."""
    assert await _send(bot, message(chat_id=GROUP_ID, caption="naloxone?", **PHOTO)) == []
    caption = "@hr_test_bot where can i get naloxone"
    entities = [{"type": "mention", "offset": 0, "length": 12}]
    sent = await _send(
        bot, message(chat_id=GROUP_ID, caption=caption, caption_entities=entities, **PHOTO)
    )
    assert sent and "naloxone" in sent[0].text.lower()


@pytest.mark.parametrize("kind", sorted(MEDIA))
@pytest.mark.parametrize("language", ["en", "fr"])
async def test_media_without_text_get_one_short_reply(
    bot: tuple[TgApplication, FakeBotAPI], kind: str, language: str
) -> None:
    """Voice, video notes, stickers, photos and files: one reply, the chat's language, 911."""
    [reply] = await _send(bot, message(language=language, **MEDIA[kind]))
    assert "911" in reply.text
    assert ("texte" if language == "fr" else "text") in reply.text
    assert len(reply.text) < 400


async def test_media_in_a_group_are_silent_unless_they_reply_to_the_bot(
    bot: tuple[TgApplication, FakeBotAPI],
) -> None:
    """A voice message in a group is not for the bot unless it replies to the bot."""
    assert await _send(bot, message(chat_id=GROUP_ID, **MEDIA["voice"])) == []
    assert (
        len(await _send(bot, message(chat_id=GROUP_ID, reply_to_bot=True, **MEDIA["voice"]))) == 1
    )
