"""Any input, through the real Application and the real resources: no crash, valid Telegram HTML.

Text of any Unicode (control, RTL, astral, HTML-like), any location (out of range, NaN, poles,
antimeridian), forged or stale button data and inline queries are processed by the real
``Application`` with the network swapped in-process. Nothing may reach the error handler, and
every message sent must be Telegram HTML that Telegram would accept.
"""

from __future__ import annotations

import asyncio
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.config import load_settings
from bot.resources import load_resources
from bot.tg.app import build_application
from bot.tg.context import Context, TgApplication
from tests.fake_bot_api import BOT_USER, TOKEN, Call, FakeBotAPI
from tests.tg_fixtures import GROUP_ID, USER_ID, callback, inline, message

MAX_TEXT = 4096
# The tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = ("b", "i", "u", "s", "a", "code", "pre", "tg-spoiler", "blockquote")
_TAG = re.compile(r"<(/?)(" + "|".join(ALLOWED_TAGS) + r")((?:\s[^<>]*)?)>")
_BAD_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot);|#\d+;|#x[0-9a-fA-F]+;)")
HANDLE = f"@{BOT_USER['username']}"
FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(repr=False)
class Bot:
    """The real Application on an event loop the synchronous hypothesis tests drive."""

    runner: asyncio.Runner
    application: TgApplication
    api: FakeBotAPI
    errors: list[BaseException] = field(default_factory=list)

    def send(self, payload: dict[str, Any]) -> list[Call]:
        """Process one update; return the calls it caused."""
        self.api.calls.clear()
        self.errors.clear()
        update = Update.de_json(payload, self.application.bot)
        self.runner.run(self.application.process_update(update))
        return list(self.api.calls)


@pytest.fixture(scope="module")
def bot() -> Iterator[Bot]:
    """The real Application, real resources, Bot API answered in-process."""
    api = FakeBotAPI()
    application = build_application(
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "RATE_LIMIT": "off"}),
        load_resources(),
        polling=False,
        request=api.in_process(),
    )
    running = Bot(asyncio.Runner(), application, api)

    async def record(update: object, context: Context) -> None:
        """Keep what reached the error handler."""
        if context.error is not None:
            running.errors.append(context.error)

    application.add_error_handler(record)
    running.runner.run(application.initialize())
    yield running
    running.runner.run(application.shutdown())
    running.runner.close()


def telegram_html_problem(text: str) -> str | None:
    """Why Telegram would refuse ``text`` in HTML parse mode, or None if it would accept it."""
    stack: list[str] = []
    for tag in _TAG.finditer(text):
        closing, name = tag.group(1), tag.group(2)
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"unbalanced </{name}>"
    if stack:
        return f"unclosed <{stack[-1]}>"
    bare = _TAG.sub("", text)
    if "<" in bare or ">" in bare:
        return f"unescaped < or > near {bare[max(0, bare.find('<') - 20) :][:60]!r}"
    amp = _BAD_AMP.search(bare)
    if amp:
        return f"unescaped & near {bare[max(0, amp.start() - 20) :][:60]!r}"
    visible = html.unescape(bare)
    if not visible.strip():
        return "empty message"
    # Telegram counts the text after parsing, in UTF-16 code units.
    if len(visible.encode("utf-16-le")) // 2 > MAX_TEXT:
        return f"{len(visible.encode('utf-16-le')) // 2} UTF-16 units after parsing"
    if len(text) > MAX_TEXT:
        return f"{len(text)} characters of HTML"
    return None


def assert_all_valid(bot: Bot, calls: list[Call]) -> None:
    """Nothing reached the error handler and every text sent would be accepted by Telegram."""
    assert bot.errors == [], [repr(e) for e in bot.errors]
    for call in calls:
        assert call.status == 200, call
        texts = []
        if call.method in ("sendMessage", "editMessageText"):
            assert call.params.get("parse_mode") == "HTML"
            texts.append(call.text)
        if call.method == "answerInlineQuery":
            for result in call.params["results"]:
                content = result["input_message_content"]
                assert content["parse_mode"] == "HTML"
                texts.append(content["message_text"])
                assert 0 < len(result["title"]) <= 100
        if call.method == "answerCallbackQuery":
            assert len(str(call.params.get("text", ""))) <= 200
        if call.method == "sendVenue":
            assert -90 <= call.params["latitude"] <= 90
            assert -180 <= call.params["longitude"] <= 180
        for text in texts:
            problem = telegram_html_problem(text)
            assert problem is None, f"{call.method}: {problem}: {text[:300]!r}"


def test_the_checker_refuses_what_telegram_refuses() -> None:
    """The HTML checker itself: accepts Telegram's tags and entities, refuses anything else."""
    assert telegram_html_problem("<b>Call 911</b> &amp; &lt;3 &#128680;") is None
    assert telegram_html_problem("<b>open") == "unclosed <b>"
    assert telegram_html_problem("<i>x</b>") is not None
    assert telegram_html_problem("a <script> b") is not None
    assert telegram_html_problem("fish & chips") is not None
    assert telegram_html_problem("😀" * 2100) is not None  # 4,200 UTF-16 units


PIECES = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<i>",
        "<script>alert(1)</script>",
        "&",
        "&amp;",
        "&lt;",
        "&#0;",
        "<",
        ">",
        "\u202e",
        "\u200f",
        "\u200b",
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\n",
        "\t",
        " ",
        "naloxone",
        "overdose",
        "not breathing",
        "narcan près de",
        "Hastings",
        "V6A 1A1",
        "Montréal",
        "911",
        "🚨",
        "𝕏",
        "👩‍👩‍👧",
        "مرحبا",
        "שלום",
        "/start",
        "/lang fr",
        HANDLE,
        "%s",
        "{name}",
        "'",
        '"',
        "\\",
        "😀" * 50,
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=60).map("".join),
    st.text(st.characters(codec="utf-8"), min_size=2000, max_size=10_000),
    st.builds(
        lambda n, piece: piece * n,
        st.integers(1, 10_000),
        st.sampled_from(["<", "&", "😀", "a ", "naloxone ", "\u202e"]),
    ).map(lambda t: t[:10_000]),
)


@FAST
@given(text=TEXTS, group=st.booleans(), language=st.sampled_from(["en", "fr-CA", "de", ""]))
@example(text="where is <b>naloxone</b> & narcan?", group=False, language="en")
@example(text="<" * 10_000, group=False, language="en")
@example(text="😀" * 4000, group=False, language="en")
def test_any_text_is_answered_with_valid_html(
    bot: Bot, text: str, group: bool, language: str
) -> None:
    """Any text, in a private chat or mentioning the bot in a group, gets valid HTML back."""
    assume(text.strip())  # Telegram delivers no empty messages
    if group:
        payload = message(f"{HANDLE} {text}", chat_id=GROUP_ID, language=language)
    else:
        payload = message(text, language=language)
    calls = bot.send(payload)
    assert_all_valid(bot, calls)
    if group or text.lstrip().startswith("/"):
        return  # a group may get a notice only; a command may be another bot's
    sent = [c for c in calls if c.method == "sendMessage"]
    assert sent, "private text got no answer"
    assert {c.params["chat_id"] for c in sent} == {USER_ID}


def test_user_text_that_comes_back_arrives_escaped(bot: Bot) -> None:
    """Markup typed by a user is never sent as markup: a literal < arrives as &lt;."""
    for text in (
        "<b>naloxone</b> near <i>Hastings</i>",
        "services near <a href='x'>here</a>",
        "naloxone near Zzyzx <b>&amp;</b>",
    ):
        calls = bot.send(message(text))
        assert_all_valid(bot, calls)
        for call in calls:
            assert "<i>" not in call.text and "<a " not in call.text
            assert "<b>&amp;</b>" not in call.text


COORDINATES = st.one_of(
    st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    st.tuples(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    st.sampled_from(
        [
            (90.0, 0.0),
            (-90.0, 0.0),
            (90.0, 180.0),
            (0.0, 180.0),
            (0.0, -180.0),
            (49.28, 179.99999),
            (49.28, -179.99999),
            (0.0, 0.0),
            (1e308, -1e308),
            (-0.0, -0.0),
            (49.2820, -123.1003),
            (45.5017, -73.5673),
        ]
    ),
)


@settings(max_examples=120, deadline=None)
@given(coords=COORDINATES, venue=st.booleans())
@example(coords=(math.nan, math.nan), venue=False)
def test_any_location_is_answered_with_valid_html(
    bot: Bot, coords: tuple[float, float], venue: bool
) -> None:
    """Any shared location or venue, even impossible ones, is answered without an error."""
    payload = message(location=coords)
    if venue:
        payload["message"]["venue"] = {
            "location": payload["message"]["location"],
            "title": "<b>Spot</b> & co",
            "address": "<i>1 Main</i>",
        }
    calls = bot.send(payload)
    assert_all_valid(bot, calls)
    assert any(c.method == "sendMessage" for c in calls)


ACTIONS = st.one_of(
    st.text(min_size=1, max_size=80),
    st.from_regex(
        r"(intent|cat|place|lang|find|report|reason):[A-Za-z0-9_.-]{1,48}", fullmatch=True
    ),
    st.sampled_from(
        [
            "more",
            "open_now",
            "location",
            "intent:emergency",
            "find:naloxone",
            "lang:fr",
            "lang:xx",
            "cat:unicorns",
            "place:0",
            "place:999999",
            "report:insite",
            "reason:insite.closed",
            "intent:out_of_scope",
            "alerts:on",
            "alerts:on:nowhere",
            "alerts:",
            "alertadm:x",
            "alerts",
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(data=ACTIONS, first=st.sampled_from([None, "naloxone near Hastings", "/start"]))
def test_any_button_data_is_answered(bot: Bot, data: str, first: str | None) -> None:
    """Forged, stale or valid button data, after any previous turn, is answered politely."""
    if first is not None:
        bot.send(message(first))
    calls = bot.send(callback(data))
    assert_all_valid(bot, calls)
    assert len([c for c in calls if c.method == "answerCallbackQuery"]) == 1


def _press_without_data(data: str | None, game: bool = False) -> dict[str, Any]:
    payload = callback("x")
    query = payload["callback_query"]
    del query["data"]
    if data is not None:
        query["data"] = data
    if game:
        query["game_short_name"] = "game"
    return payload


def test_game_button_press_is_answered(bot: Bot) -> None:
    """A callback query carrying a game name instead of data gets no error."""
    assert_all_valid(bot, bot.send(_press_without_data(None, game=True)))


@pytest.mark.parametrize("data", ["", None], ids=["empty", "absent"])
def test_button_press_without_data_is_answered(bot: Bot, data: str | None) -> None:
    """A callback query with empty or no data (a forged client) gets no error."""
    assert_all_valid(bot, bot.send(_press_without_data(data)))


@settings(max_examples=100, deadline=None)
@given(
    query=st.one_of(st.text(max_size=256), st.lists(PIECES, max_size=20).map("".join)),
    language=st.sampled_from(["en", "fr", "pt-BR"]),
)
def test_any_inline_query_gets_valid_cards(bot: Bot, query: str, language: str) -> None:
    """Any inline query is answered with cards whose messages are valid Telegram HTML."""
    calls = bot.send(inline(query, language=language))
    assert_all_valid(bot, calls)
    assert [c.method for c in calls] == ["answerInlineQuery"]
