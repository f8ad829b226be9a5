"""The Telegram adapter end to end in-process: real Application, fake Bot API, scripted Dialogue."""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.tg.app import publish_commands
from bot.tg.context import BotData
from bot.tg.webserver import SECRET_HEADER, webhook_app
from tests.tg_fixtures import (
    GROUP_ID,
    SECRET_WORDS,
    USER_ID,
    Harness,
    ScriptedDialogue,
    callback,
    inline,
    message,
)


def _keyboard_buttons(markup: dict[str, object]) -> list[dict[str, object]]:
    rows = markup.get("keyboard") or markup.get("inline_keyboard") or []
    assert isinstance(rows, list)
    return [button for row in rows for button in row]


def _bot_data(h: Harness) -> BotData:
    return h.application.bot_data


async def test_start_welcomes_in_english_with_the_big_buttons(harness: Harness) -> None:
    """/start answers in English with a persistent keyboard whose services key shares location."""
    await harness.send(message("/start"))
    [sent] = harness.api.sent("sendMessage")
    assert sent.text.startswith("Welcome (en)")
    assert "911" in sent.text
    buttons = _keyboard_buttons(sent.markup)
    assert buttons[0]["text"] == "🚨 Overdose now"
    assert len(buttons) == 5
    assert [b.get("request_location") for b in buttons].count(True) == 1


async def test_start_follows_a_french_telegram_language(harness: Harness) -> None:
    """A user whose Telegram is in fr-CA gets the French welcome and French buttons."""
    await harness.send(message("/start", language="fr-CA"))
    [sent] = harness.api.sent("sendMessage")
    assert sent.text.startswith("Welcome (fr)")
    assert "🚨 Surdose en cours" in [b["text"] for b in _keyboard_buttons(sent.markup)]


async def test_start_falls_back_to_english_for_other_languages(harness: Harness) -> None:
    """A user whose Telegram is in German gets the English welcome."""
    await harness.send(message("/start", language="de"))
    assert harness.api.sent("sendMessage")[0].text.startswith("Welcome (en)")


async def test_start_in_a_group_offers_no_keyboard(harness: Harness) -> None:
    """/start in a group answers without a reply keyboard (location buttons only work privately)."""
    await harness.send(message("/start", chat_id=GROUP_ID))
    [sent] = harness.api.sent("sendMessage")
    assert "keyboard" not in sent.markup
    assert "request_location" not in str(sent.params)


async def test_start_near_deep_link_asks_for_the_location(harness: Harness) -> None:
    """/start near (the link given in groups) opens the services search."""
    await harness.send(message("/start near"))
    [sent] = harness.api.sent("sendMessage")
    assert sent.text == "Topic find_services"
    assert _keyboard_buttons(sent.markup)[0]["request_location"] is True


async def test_keyboard_button_text_opens_its_topic(harness: Harness) -> None:
    """Pressing a big button (its label arrives as text) opens the mapped topic."""
    await harness.send(message("💬 Parler à quelqu’un", language="fr"))
    assert harness.api.sent("sendMessage")[0].text == "Topic crisis_support"


@pytest.mark.parametrize(
    ("command", "intent"),
    [
        ("/help", "help"),
        ("/naloxone", "naloxone_about"),
        ("/signs", "overdose_signs"),
        ("/sites", "consumption_sites"),
        ("/near", "find_services"),
    ],
)
async def test_topic_commands_open_their_topic(harness: Harness, command: str, intent: str) -> None:
    """Each topic command sends the dialogue's answer for its intent."""
    await harness.send(message(command))
    assert harness.api.sent("sendMessage")[0].text == f"Topic {intent}"


async def test_unknown_command_in_private_gets_help(harness: Harness) -> None:
    """An unknown command in a private chat is answered with the help topic."""
    await harness.send(message("/whatever"))
    assert harness.api.sent("sendMessage")[0].text == "Topic help"


async def test_unknown_command_in_a_group_is_ignored(harness: Harness) -> None:
    """An unknown command in a group (maybe for another bot) gets no answer."""
    await harness.send(message("/roll", chat_id=GROUP_ID))
    assert harness.api.outgoing() == []


async def test_free_text_is_answered_escaped_with_inline_buttons(harness: Harness) -> None:
    """Free text goes to respond; the answer is HTML-escaped and malformed buttons are dropped."""
    await harness.send(message("where is <naloxone>?"))
    [sent] = harness.api.sent("sendMessage")
    assert sent.text == "You said: where is &lt;naloxone&gt;? &amp; more"
    assert sent.params["parse_mode"] == "HTML"
    buttons = _keyboard_buttons(sent.markup)
    assert buttons == [{"text": "How to use it", "callback_data": "intent:naloxone_use"}]


async def test_emergency_goes_out_first_with_a_bold_first_line(harness: Harness) -> None:
    """An emergency reply is the very first call the bot makes, first line bold, rest escaped."""
    await harness.send(message("he is not breathing"))
    first = harness.api.calls[0]
    assert first.method == "sendMessage"
    assert first.text == "<b>Call 911 now.</b>\nGive naloxone &lt;1 dose&gt;."


async def test_long_replies_are_split_on_line_boundaries(harness: Harness) -> None:
    """A reply over 4,096 characters arrives as several messages, each made of whole lines."""
    await harness.send(message("a long one"))
    sent = harness.api.sent("sendMessage")
    assert len(sent) > 1
    assert all(len(call.text) <= 4096 for call in sent)
    lines = [line for call in sent for line in call.text.split("\n")]
    assert lines == [f"line {i} " + "x" * 90 for i in range(100)]


async def test_location_gets_services_and_a_venue_pin(harness: Harness) -> None:
    """A shared location is answered with the services text, then the top service as a venue."""
    await harness.send(message(location=(49.2827, -123.1207)))
    methods = [c.method for c in harness.api.outgoing()]
    assert methods == ["sendMessage", "sendVenue"]
    venue = harness.api.sent("sendVenue")[0].params
    assert venue["title"] == "Overdose Prevention Site"
    assert venue["address"] == "62 E Hastings St"
    assert venue["latitude"] == pytest.approx(49.2837)
    assert "+1 604-555-0100" in harness.api.sent("sendMessage")[0].text


async def test_private_location_request_sends_a_one_time_location_keyboard(
    harness: Harness,
) -> None:
    """When the dialogue asks for a location in a private chat, a one-time share button follows."""
    await harness.send(message("services near me"))
    [sent] = harness.api.sent("sendMessage")
    assert sent.markup["one_time_keyboard"] is True
    assert _keyboard_buttons(sent.markup)[0]["request_location"] is True


async def test_button_press_goes_to_respond_action_and_is_answered(harness: Harness) -> None:
    """A valid callback goes to respond_action, its reply is sent and the query answered."""
    await harness.send(callback("intent:naloxone_use"))
    assert harness.api.sent("sendMessage")[0].text == "Topic naloxone_use"
    assert len(harness.api.sent("answerCallbackQuery")) == 1


@pytest.mark.parametrize("data", ["drop table", "intent:" + "a" * 80, "admin:1", "lang:fr;rm"])
async def test_forged_button_gets_a_polite_answer(harness: Harness, data: str) -> None:
    """Malformed callback data never reaches the dialogue and is answered with a notice."""
    dialogue = _bot_data(harness).dialogue
    assert isinstance(dialogue, ScriptedDialogue)
    await harness.send(callback(data))
    [answer] = harness.api.sent("answerCallbackQuery")
    assert answer.params["text"] == "[stale_button:en]"
    assert dialogue.actions == []
    assert harness.api.sent("sendMessage") == []


async def test_language_button_switches_the_session_language(harness: Harness) -> None:
    """lang:fr switches the chat to French for the following answers."""
    await harness.send(callback("lang:fr"))
    await harness.send(message("/privacy"))
    assert harness.api.sent("sendMessage")[0].text == "[privacy:fr]"


async def test_lang_command_without_argument_offers_both_languages(harness: Harness) -> None:
    """/lang shows English and French buttons."""
    await harness.send(message("/lang"))
    actions = [
        b["callback_data"] for b in _keyboard_buttons(harness.api.sent("sendMessage")[0].markup)
    ]
    assert actions == ["lang:en", "lang:fr"]


async def test_inline_query_offers_answer_cards(harness: Harness) -> None:
    """@bot naloxone offers an article card with the answer as its message."""
    await harness.send(inline("naloxone"))
    [answer] = harness.api.sent("answerInlineQuery")
    [card] = answer.params["results"]
    assert card["type"] == "article"
    assert card["title"] == "Naloxone"
    assert card["input_message_content"]["message_text"].startswith("Naloxone\nReverses")


async def test_group_chatter_is_ignored(harness: Harness) -> None:
    """A group message that neither mentions nor replies to the bot gets no answer."""
    await harness.send(message("anyone got naloxone", chat_id=GROUP_ID))
    assert harness.api.outgoing() == []


async def test_group_mention_is_answered_in_thread(harness: Harness) -> None:
    """A group message mentioning the bot is answered, without the mention, quoting it."""
    await harness.send(message("@hr_test_bot where to get naloxone", chat_id=GROUP_ID))
    [sent] = harness.api.sent("sendMessage")
    assert sent.text.startswith("You said: where to get naloxone")
    assert "message_id" in sent.params["reply_parameters"]


async def test_group_reply_to_the_bot_is_answered(harness: Harness) -> None:
    """A group message replying to the bot is answered."""
    await harness.send(message("and fentanyl?", chat_id=GROUP_ID, reply_to_bot=True))
    assert harness.api.sent("sendMessage")[0].text.startswith("You said: and fentanyl?")


async def test_group_location_search_points_to_a_private_chat(harness: Harness) -> None:
    """In a group a location request becomes a link to a private chat, never a location button."""
    await harness.send(message("@hr_test_bot services near here", chat_id=GROUP_ID))
    sent = harness.api.sent("sendMessage")
    assert "request_location" not in str([c.params for c in sent])
    assert "https://t.me/hr_test_bot?start=near" in sent[-1].text
    assert _keyboard_buttons(sent[-1].markup)[-1]["url"] == "https://t.me/hr_test_bot?start=near"


async def test_edited_messages_are_ignored(harness: Harness) -> None:
    """An edited message gets no answer."""
    await harness.send(message("he is not breathing", edited=True))
    assert harness.api.outgoing() == []


async def test_forget_drops_the_session_now(harness: Harness) -> None:
    """/forget removes the chat's session at once and confirms."""
    await harness.send(message(location=(49.28, -123.12)))
    assert len(_bot_data(harness).sessions) == 1
    await harness.send(message("/forget"))
    assert len(_bot_data(harness).sessions) == 0
    assert harness.api.sent("sendMessage")[0].text == "[forget_done:en]"


async def test_errors_reach_user_and_admins_without_user_content(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing handler logs type and update id only, tells the user to call 911, alerts admins."""
    caplog.set_level(logging.DEBUG, logger="bot")
    await harness.send(message(f"boom {SECRET_WORDS}"))
    to_user, to_admin = harness.api.sent("sendMessage")
    assert to_user.params["chat_id"] == USER_ID
    assert "911" in to_user.text
    assert to_admin.params["chat_id"] == -100999
    assert "RuntimeError" in to_admin.text
    assert SECRET_WORDS not in to_admin.text
    assert "RuntimeError" in caplog.text
    assert SECRET_WORDS not in caplog.text
    assert str(USER_ID) not in caplog.text


async def test_blocked_bot_is_not_an_error(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A 403 'bot was blocked' is logged at debug level only and nobody is alerted."""
    harness.api.fail("sendMessage", 403)
    await harness.send(message("hello"))
    assert harness.api.sent("sendMessage") == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_flood_control_waits_and_delivers(harness: Harness) -> None:
    """A 429 is retried after Telegram's retry_after and the message is delivered."""
    harness.api.fail("sendMessage", 429, retry_after=3)
    await harness.send(message("hello"))
    assert len(harness.api.attempts("sendMessage")) == 2
    assert len(harness.api.sent("sendMessage")) == 1
    assert harness.sleeps == [3.0]


async def test_server_errors_are_retried_with_backoff(harness: Harness) -> None:
    """Two 500s in a row are retried with growing delays and the message is delivered."""
    harness.api.fail("sendMessage", 500, times=2)
    await harness.send(message("hello"))
    assert len(harness.api.sent("sendMessage")) == 1
    assert len(harness.sleeps) == 2
    assert harness.sleeps[1] > harness.sleeps[0]


async def test_retries_are_bounded(harness: Harness) -> None:
    """A Telegram that keeps failing is given up on after four attempts."""
    harness.api.fail("sendMessage", 502, times=10)
    await harness.send(message("hello"))
    replies = [c for c in harness.api.attempts("sendMessage") if c.text.startswith("You said")]
    assert len(replies) == 4
    assert [c for c in harness.api.sent("sendMessage") if c.params["chat_id"] == USER_ID] == []


async def test_command_menu_is_published_in_english_and_french(harness: Harness) -> None:
    """The command menu is set twice: default (English) and language_code fr."""
    harness.api.calls.clear()
    await publish_commands(harness.application)
    english, french = harness.api.sent("setMyCommands")
    assert "language_code" not in english.params
    assert french.params["language_code"] == "fr"
    names = [c["command"] for c in english.params["commands"]]
    assert names == [
        "help",
        "naloxone",
        "signs",
        "sites",
        "near",
        "lang",
        "alerts",
        "stop",
        "privacy",
        "forget",
    ]
    assert french.params["commands"][0]["description"] == "Ce que je peux faire"


async def test_webhook_refuses_requests_without_the_secret(harness: Harness) -> None:
    """The webhook answers 403 to a missing or wrong secret and queues genuine updates."""
    app = webhook_app(harness.application, "/telegram", "s3cret")
    async with TestClient(TestServer(app)) as client:
        update = message("hello")
        assert (await client.post("/telegram", json=update)).status == 403
        wrong = {SECRET_HEADER: "nope"}
        assert (await client.post("/telegram", json=update, headers=wrong)).status == 403
        right = {SECRET_HEADER: "s3cret"}
        assert (await client.post("/telegram", data="{not json", headers=right)).status == 400
        assert (await client.post("/telegram", json=update, headers=right)).status == 200
        assert harness.application.update_queue.qsize() == 1
        health = await client.get("/healthz")
        assert health.status == 503  # initialized but not started: not processing updates
