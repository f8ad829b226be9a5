"""Rendering replies for Telegram: escaping, splitting and button validation."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
)

from bot.knowledge import UI_KEYS
from bot.reply import Button, Language, Reply, ServiceHit
from bot.tg import render, texts
from bot.tg.kept import KeptInlineKeyboard, KeptLinkPreviewOptions, KeptReplyKeyboard
from bot.tg.render import MAX_TEXT, html_chunks, inline_keyboard, is_valid_action


def _reply(text: str, emergency: bool = False) -> Reply:
    return Reply(text, "en", "test", emergency=emergency)


@given(
    st.text(alphabet=st.sampled_from("ab <>&\n\"'é"), max_size=400),
    st.integers(min_value=8, max_value=60),
)
def test_chunks_fit_and_keep_every_character(text: str, limit: int) -> None:
    """Every chunk fits the limit and, unescaped, the chunks hold all the non-space text."""
    chunks = html_chunks(_reply(text), limit=limit)
    assert all(len(chunk) <= limit for chunk in chunks)
    joined = html.unescape("".join(chunks))
    assert [c for c in joined if not c.isspace() and c != "…"] == [
        c for c in text if not c.isspace()
    ]


def test_short_text_is_one_escaped_message() -> None:
    """A short reply is one message with HTML special characters escaped."""
    assert html_chunks(_reply("a <b> & c")) == ["a &lt;b&gt; &amp; c"]


def test_emergency_first_line_is_bold() -> None:
    """Only the first line of an emergency reply is bold."""
    assert html_chunks(_reply("Call 911\nnow", emergency=True)) == ["<b>Call 911</b>\nnow"]


def test_split_happens_between_lines() -> None:
    """Long text is split between lines, never inside one that fits."""
    text = "\n".join(["y" * 3000, "z" * 3000])
    assert html_chunks(_reply(text)) == ["y" * 3000, "z" * 3000]
    assert MAX_TEXT == 4096


def test_valid_actions_are_accepted() -> None:
    """Every action shape the dialogue documents is accepted."""
    for action in (
        "more",
        "open_now",
        "intent:naloxone_get",
        "cat:naloxone",
        "place:v6b-1",
        "lang:fr",
        "find:naloxone",
        "report:insite",
        "reason:insite.closed",
        "alerts:on:vancouver",
        "alertadm:exp:24",
    ):
        assert is_valid_action(action)


def test_invalid_actions_are_refused() -> None:
    """Unknown prefixes, odd characters, empty values and over-long data are refused."""
    for action in (
        "",
        "intent:",
        "evil:1",
        "intent:a:b",
        "intent:a b",
        "lang:fr\n",
        "intent:" + "é" * 30,
        None,
        42,
        "location",
        "lang:de",
        "more:1",
        "alertadm:exp:soon",
    ):
        assert not is_valid_action(action)


def test_keyboard_drops_buttons_telegram_would_refuse() -> None:
    """A button whose action cannot be callback data is left out of the keyboard."""
    markup = inline_keyboard((Button("ok", "more"), Button("bad", "x" * 70)))
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["more"]]
    assert inline_keyboard((Button("bad", "nope nope"),)) is None


def test_every_adapter_text_is_a_required_ui_message() -> None:
    """The keyboard, command menu and location texts are ui.yaml keys validate insists on."""
    assert set(texts.UI_KEYS) <= set(UI_KEYS)


class _Catalog:
    def message(self, key: str, lang: Language, **values: str) -> str:
        return f"{key}:{lang}:{','.join(values.values())}"


def test_a_search_in_private_sends_text_then_the_top_pin() -> None:
    """A private search reply is its text with buttons, then the nearest service's venue."""
    hit = ServiceHit(
        "s1", "Insite", "consumption_site", 120.0, True, 49.28, -123.1, "139 E Hastings St"
    )
    reply = Reply(
        "Nearest: Insite", "en", "services", buttons=(Button("More", "more"),), services=(hit,)
    )
    first, pin = render.outgoing(reply, _Catalog(), private=True, bot_username="hrbot")
    assert isinstance(first, render.Text) and first.text == "Nearest: Insite"
    assert isinstance(first.markup, InlineKeyboardMarkup)
    assert isinstance(pin, render.Venue) and (pin.title, pin.address) == (
        "Insite",
        "139 E Hastings St",
    )
    assert pin.markup is not None  # the main keyboard comes back


def test_a_location_request_in_a_group_points_to_a_private_chat() -> None:
    """In a group, asking for a location adds the private-chat hint and its link button."""
    reply = Reply("Where are you?", "fr", "find_services", request_location=True)
    question, hint = render.outgoing(reply, _Catalog(), private=False, bot_username="hrbot")
    assert isinstance(question, render.Text) and question.markup is None
    assert isinstance(hint, render.Text)
    assert hint.text == "group_location:fr:https://t.me/hrbot?start=near"
    assert isinstance(hint.markup, InlineKeyboardMarkup)
    assert hint.markup.inline_keyboard[-1][0].url == "https://t.me/hrbot?start=near"


def test_kept_objects_serialise_as_ptb_would() -> None:
    """Keyboards and the link-preview default that keep their JSON send what PTB builds."""
    rows = [[InlineKeyboardButton("Naloxone", callback_data="intent:naloxone_get")]]
    keys = [[KeyboardButton("Find services", request_location=True)]]
    pairs = [
        (KeptInlineKeyboard(rows), InlineKeyboardMarkup(rows)),
        (
            KeptReplyKeyboard(keys, resize_keyboard=True, one_time_keyboard=True),
            ReplyKeyboardMarkup(keys, resize_keyboard=True, one_time_keyboard=True),
        ),
        (KeptLinkPreviewOptions(is_disabled=True), LinkPreviewOptions(is_disabled=True)),
    ]
    for kept, plain in pairs:
        assert kept.to_dict() == plain.to_dict()
        kept.to_dict().clear()  # a caller changing its copy changes nothing kept
        assert kept.to_dict() == plain.to_dict()
        assert kept.to_dict(recursive=False).keys() == plain.to_dict(recursive=False).keys()


def test_a_kept_topic_answer_is_a_fresh_list_each_time() -> None:
    """Rendered once, a topic answer still comes back as a list its caller may extend."""
    reply = _reply("Call 911.\nGive naloxone.", emergency=True)
    first = html_chunks(reply)
    first.append("a group hint")
    assert html_chunks(reply) == ["<b>Call 911.</b>\nGive naloxone."]


def test_replies_naming_a_typed_place_are_never_kept() -> None:
    """A "not found" or search reply is rendered afresh: its text may hold a typed place."""
    kept = render._kept_chunks.cache_info().currsize
    not_found = Reply("No place called Zzyzx.", "en", "services", unknown_place="Zzyzx")
    too_coarse = Reply("V0N is a wide rural area.", "en", "services", request_location=True)
    for reply in (not_found, too_coarse):
        assert html_chunks(reply) == [reply.text]
    assert render._kept_chunks.cache_info().currsize == kept
