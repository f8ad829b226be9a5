"""The fallback through the real Application and the real resources (issue 11).

When the bot does not understand, the person still gets somewhere: the reply names its
topics in the text (some clients hide buttons), offers them as buttons, offers the two
closest topics when the message was near one, and always says to call 911 for an
overdose, in the message's language.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from telegram import Update

from bot.dialogue import NOT_SUGGESTED
from bot.tg.context import TgApplication
from tests.fake_bot_api import Call, FakeBotAPI
from tests.helpers.bundled import bundled
from tests.tg_fixtures import callback, message

# Near two topics (drug checking, family) but below the threshold, for the matcher and the
# sentence model ("the strips with my cousin" the model reads as drug checking). If the
# knowledge base ever answers it with confidence, pick another that names two topics vaguely.
UNSURE = "my cousin and the strips"
CALL_911 = {
    "en": "If someone is overdosing, call 911",
    "fr": "Si quelqu'un fait une surdose, appelez le 911",
}
# The life-saving topics an off-topic message is offered, as their buttons say.
LIFE_SAVING = {
    "en": ["Respond to an overdose", "Get naloxone", "Crisis support (9-8-8)", "Find services"],
    "fr": [
        "Réagir à une surdose",
        "Obtenir de la naloxone",
        "Soutien en crise (9-8-8)",
        "Trouver des services",
    ],
}


async def _reply(bot: tuple[TgApplication, FakeBotAPI], payload: dict[str, Any]) -> Call:
    """The one message the bot sent for ``payload``."""
    application, api = bot
    api.calls.clear()
    await application.process_update(Update.de_json(payload, application.bot))
    [sent] = api.sent("sendMessage")
    return sent


def _buttons(sent: Call) -> list[dict[str, str]]:
    markup = sent.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def _two_closest(text: str) -> list[str]:
    """The matcher's two best candidates for ``text`` that may be suggested."""
    resources = bundled()
    ranked = resources.matcher.rank(resources.analyzer.analyse(text, lang="en"), 5, lang="en")
    return [r.intent for r in ranked if r.intent not in NOT_SUGGESTED][:2]


def _listed(sent: Call) -> list[str]:
    """The topics the text names, one '• title' line each."""
    return [line[2:] for line in sent.text.splitlines() if line.startswith("• ")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("who won the hockey game last night", "en"),
        ("what time is it", "en"),
        ("recette de pâté chinois", "fr"),
        ("quelle heure est-il", "fr"),
    ],
)
async def test_an_off_topic_message_gets_the_life_saving_topics_and_911(
    bot: tuple[TgApplication, FakeBotAPI], text: str, lang: str
) -> None:
    """Off-topic, in a chat that started in English: the message's language, 911, and the
    four life-saving topics named in the text and offered as buttons (no "did you mean"
    runners-up such as supervised sites for "what time is it")."""
    sent = await _reply(bot, message(text, chat_id=610_001))
    assert CALL_911[lang] in sent.text
    assert _listed(sent) == LIFE_SAVING[lang]
    assert [b["text"] for b in _buttons(sent)] == LIFE_SAVING[lang]
    assert all(b["callback_data"].startswith("intent:") for b in _buttons(sent))


async def test_an_unsure_message_offers_its_two_closest_topics(
    bot: tuple[TgApplication, FakeBotAPI],
) -> None:
    """Near a topic but below the threshold: "did you mean" with the two closest topics,
    named in the text and offered as buttons, and the 911 line."""
    sent = await _reply(bot, message(UNSURE, chat_id=610_002))
    assert CALL_911["en"] in sent.text
    assert "Did you mean one of these?" in sent.text
    labels = [b["text"] for b in _buttons(sent)]
    assert labels == _listed(sent)
    assert [b["callback_data"] for b in _buttons(sent)] == [
        f"intent:{i}" for i in _two_closest(UNSURE)
    ]


async def test_a_vague_french_message_is_answered_in_french_with_911(
    bot: tuple[TgApplication, FakeBotAPI],
) -> None:
    """A vague French message in a chat that started in English: the French fallback, its
    911 line, and every topic it offers named in the text."""
    sent = await _reply(bot, message("une question à propos de mon oncle", chat_id=610_004))
    assert sent.text.startswith("Je ne suis pas certain d'avoir compris.")
    assert CALL_911["fr"] in sent.text
    labels = [b["text"] for b in _buttons(sent)]
    assert labels and labels == _listed(sent)


async def test_a_suggested_topic_opens_when_pressed(bot: tuple[TgApplication, FakeBotAPI]) -> None:
    """Pressing one of the fallback's buttons answers that topic."""
    sent = await _reply(bot, message(UNSURE, chat_id=610_003))
    first = _buttons(sent)[0]
    answer = await _reply(bot, callback(first["callback_data"], chat_id=610_003))
    topic = bundled().kb.intents[first["callback_data"].removeprefix("intent:")]
    assert answer.text.startswith(html.escape(topic.answer.en.strip().splitlines()[0]))
