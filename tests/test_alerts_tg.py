"""/alerts, /stop, /forget and the staff /alert flow, through the real Application."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, get_args

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.alerts import UTC, Alert, AlertDraft, AlertService, DraftStep, Pace, SqliteAlertStore
from bot.storage import MEMORY, open_database
from bot.tg.alert_delivery import ProgressReporter, TelegramSender
from bot.tg.alert_wizard import TEXT_STEPS, WIZARD
from bot.tg.app import build_application
from bot.tg.context import TgApplication
from bot.tg.lifecycle import Services, running
from bot.tg.retry import RetryingLimiter
from tests.fake_bot_api import FakeBotAPI
from tests.tg_fixtures import ALERT_REGIONS as REGIONS
from tests.tg_fixtures import STAFF_CHAT as STAFF
from tests.tg_fixtures import USER_ID, Harness, ScriptedDialogue, callback, message, settings_for


def alert_app(api: FakeBotAPI, store: SqliteAlertStore, **env: str) -> TgApplication:
    """The Application with instant retries and an alert service on ``store``."""

    def open_alerts(application: TgApplication, pace: Pace | None) -> AlertService:
        tg = application.bot
        return AlertService(
            store,
            REGIONS,
            TelegramSender(tg),
            rate=1000,
            reporter=ProgressReporter(tg, REGIONS),
            report_every=0.05,
        )

    return build_application(
        settings_for(api.root, **env),
        ScriptedDialogue(),
        retrying=RetryingLimiter(sleep=lambda s: asyncio.sleep(0)),
        services=Services(alerts=open_alerts),
    )


@pytest.fixture
async def harness(api: FakeBotAPI) -> AsyncIterator[Harness]:
    """The Application with an alert service on an in-memory store."""
    store = SqliteAlertStore(open_database(MEMORY))
    application = alert_app(api, store, ADMIN_CHAT_IDS=str(STAFF), ADMIN_USER_IDS=str(USER_ID))
    async with running(application):
        yield Harness(api, application, [])


def _store(h: Harness) -> SqliteAlertStore:
    service = h.application.bot_data.alerts
    assert service is not None and isinstance(service.store, SqliteAlertStore)
    return service.store


def _buttons(markup: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


async def test_alerts_lists_the_regions_as_on_off_buttons(harness: Harness) -> None:
    """/alerts shows every region as a button to turn on, and what the bot keeps."""
    await harness.send(message("/alerts"))
    [sent] = harness.api.sent("sendMessage")
    assert "You get no alerts yet." in sent.text
    assert "only your chat id, your regions and your language" in sent.text
    assert ("➕ Vancouver", "alerts:on:vancouver") in _buttons(sent.markup)
    assert len(_buttons(sent.markup)) == len(REGIONS)


async def test_pressing_a_region_subscribes_in_the_users_language(harness: Harness) -> None:
    """A press turns the region on (with the chat's language), confirms it and redraws the menu."""
    await harness.send(callback("alerts:on:montreal", language="fr"))
    assert _store(harness).subscriptions(USER_ID) == {"montreal"}
    [toast] = harness.api.sent("answerCallbackQuery")
    assert toast.params["text"] == "Alertes activées pour Montréal."
    [menu] = harness.api.sent("editMessageText")
    assert "Vous recevez les alertes pour : Montréal." in menu.text
    assert ("✅ Montréal", "alerts:off:montreal") in _buttons(menu.markup)
    assert ("🔕 Arrêter toutes les alertes", "alerts:stop") in _buttons(menu.markup)
    delivery_language = (
        _store(harness)._conn.execute("SELECT language FROM alert_subscribers").fetchone()[0]
    )
    assert delivery_language == "fr"


async def test_switching_language_switches_the_alerts_language(harness: Harness) -> None:
    """A subscriber who picks French with /lang or the language button gets alerts in French."""
    await harness.send(callback("alerts:on:vancouver"))

    def stored() -> str:
        row = _store(harness)._conn.execute("SELECT language FROM alert_subscribers").fetchone()
        return str(row[0])

    assert stored() == "en"
    await harness.send(message("/lang fr"))
    assert stored() == "fr"
    await harness.send(callback("lang:en"))
    assert stored() == "en"
    assert _store(harness).subscriptions(USER_ID) == {"vancouver"}


async def test_subscribing_shows_the_alerts_already_in_force(harness: Harness) -> None:
    """Someone subscribing to a region with a current alert gets it right away."""
    now = dt.datetime.now(UTC)
    _store(harness).publish(
        Alert("a1", "vancouver", "Benzos in green down.", "", now, now + dt.timedelta(days=1))
    )
    await harness.send(callback("alerts:on:vancouver"))
    [current] = harness.api.sent("sendMessage")
    assert current.text.startswith("Current drug alerts for Vancouver:")
    assert "Benzos in green down." in current.text


async def test_off_stop_and_forget_remove_subscriptions(harness: Harness) -> None:
    """Turning a region off, /stop and /forget each leave the chat without alerts."""
    store = _store(harness)
    store.subscribe(USER_ID, "vancouver", "en")
    store.subscribe(USER_ID, "toronto", "en")
    await harness.send(callback("alerts:off:toronto"))
    assert store.subscriptions(USER_ID) == {"vancouver"}
    await harness.send(message("/stop"))
    assert store.subscriptions(USER_ID) == frozenset()
    assert harness.api.sent("sendMessage")[0].text.startswith("Done: no more alerts")
    await harness.send(message("/stop"))
    assert harness.api.sent("sendMessage")[0].text.startswith("You get no alerts.")
    store.subscribe(USER_ID, "vancouver", "en")
    await harness.send(message("/forget"))
    assert store.subscriptions(USER_ID) == frozenset()
    assert store._conn.execute("SELECT count(*) FROM alert_subscribers").fetchone()[0] == 0


async def test_a_forged_region_button_changes_nothing(harness: Harness) -> None:
    """A button for a region that does not exist gets the stale-button notice."""
    await harness.send(callback("alerts:on:atlantis"))
    assert _store(harness).subscriptions(USER_ID) == frozenset()
    assert harness.api.sent("answerCallbackQuery")[0].params["text"] == "[stale_button:en]"


async def test_staff_write_preview_and_send_an_alert(harness: Harness) -> None:
    """/alert, region, expiry, English text, /skip French, preview, send: subscribers get it,
    French readers with a note, and the staff message ends with the counts."""
    store = _store(harness)
    store.subscribe(1001, "vancouver", "en")
    store.subscribe(1002, "vancouver", "fr")
    store.subscribe(1003, "toronto", "en")
    await harness.send(message("/alert", chat_id=STAFF))
    [ask] = harness.api.sent("sendMessage")
    assert ask.text == "New alert. Which region?"
    assert ("Vancouver (2)", "alertadm:region:vancouver") in _buttons(ask.markup)
    await harness.send(callback("alertadm:region:vancouver", chat_id=STAFF))
    expiry = harness.api.sent("sendMessage")[0]
    assert ("3 days", "alertadm:exp:72") in _buttons(expiry.markup)
    await harness.send(callback("alertadm:exp:72", chat_id=STAFF))
    [prompt] = harness.api.sent("sendMessage")
    assert prompt.text.startswith("Reply to this message with the alert in English")
    # Group privacy mode delivers only replies to the bot and commands: ForceReply opens one.
    assert prompt.markup["force_reply"] is True
    await harness.send(
        message("Benzos in green down at Main & Hastings.", chat_id=STAFF, reply_to_bot=True)
    )
    assert harness.api.sent("sendMessage")[0].text.startswith("Now reply with the French")
    await harness.send(message("/skip", chat_id=STAFF))
    preview, confirm = harness.api.sent("sendMessage")
    assert preview.text.startswith("⚠️ Drug alert: Vancouver")
    assert "Main &amp; Hastings" in preview.text
    assert confirm.text == "Preview below. Send it to 2 subscribers in Vancouver?"
    assert ("✅ Send", "alertadm:send") in _buttons(confirm.markup)

    service = harness.application.bot_data.alerts
    assert service is not None
    await harness.send(callback("alertadm:send", chat_id=STAFF))
    await asyncio.wait_for(service.idle.wait(), 10)
    await asyncio.sleep(0.1)
    sent = {int(c.params["chat_id"]): c.text for c in harness.api.sent("sendMessage")}
    assert sent[STAFF] == "Queued for 2 subscribers…"
    assert sent[1001].startswith("<b>⚠️ Drug alert: Vancouver</b>")
    assert "(Cette alerte n'a été écrite qu'en anglais.)" in sent[1002]
    assert 1003 not in sent
    [alert] = store.current("vancouver", dt.datetime.now(UTC))
    assert dt.timedelta(hours=71) < alert.expires_at - alert.issued_at <= dt.timedelta(hours=72)
    final = harness.api.sent("editMessageText")[-1]
    assert final.text.startswith("Alert for Vancouver sent: 2 delivered, 0 failed")


async def test_the_alert_text_can_come_as_a_command(harness: Harness) -> None:
    """/text <alert> works where privacy mode hides plain messages; an empty one asks again."""
    await harness.send(message("/alert", chat_id=STAFF))
    await harness.send(callback("alertadm:region:vancouver", chat_id=STAFF))
    await harness.send(callback("alertadm:exp:24", chat_id=STAFF))
    await harness.send(message("/text", chat_id=STAFF))
    assert harness.api.sent("sendMessage")[0].text.startswith("Reply to this message")
    await harness.send(message("/text Carfentanil found in purple down.", chat_id=STAFF))
    await harness.send(message("/text@hr_test_bot Carfentanil dans la down mauve.", chat_id=STAFF))
    preview_en, preview_fr, _ = harness.api.sent("sendMessage")
    assert "Carfentanil found in purple down." in preview_en.text
    assert "Carfentanil dans la down mauve." in preview_fr.text


async def test_group_members_not_listed_are_not_staff(api: FakeBotAPI) -> None:
    """In a staff chat, only ADMIN_USER_IDS may start or move an alert; others are ignored."""
    store = SqliteAlertStore(open_database(MEMORY))
    application = alert_app(api, store, ADMIN_CHAT_IDS=str(STAFF), ADMIN_USER_IDS="5001")
    async with running(application):
        h = Harness(api, application, [])
        await h.send(message("/alert", chat_id=STAFF))  # from USER_ID, who is not listed
        assert h.api.sent("sendMessage") == []
        application.bot_data.alert_drafts[STAFF] = AlertDraft("en", "confirm", "vancouver", 24, "x")
        await h.send(callback("alertadm:send", chat_id=STAFF))
        assert store.unfinished() == []


async def test_an_alert_needs_a_text_and_can_be_cancelled(harness: Harness) -> None:
    """Skipping both languages asks again; /cancel drops the draft and nothing is published."""
    await harness.send(message("/alert", chat_id=STAFF))
    await harness.send(callback("alertadm:region:vancouver", chat_id=STAFF))
    await harness.send(callback("alertadm:exp:24", chat_id=STAFF))
    await harness.send(message("/skip", chat_id=STAFF))
    await harness.send(message("/skip", chat_id=STAFF))
    assert harness.api.sent("sendMessage")[0].text.startswith("An alert needs a text")
    await harness.send(message("/cancel", chat_id=STAFF))
    assert harness.api.sent("sendMessage")[0].text == "Alert cancelled: nothing was sent."
    await harness.send(callback("alertadm:send", chat_id=STAFF))
    assert _store(harness).unfinished() == []


async def test_only_admin_chats_can_publish(harness: Harness) -> None:
    """/alert from anyone else is an unknown command; their 'send' press publishes nothing."""
    await harness.send(message("/alert"))
    assert harness.api.sent("sendMessage")[0].text == "Topic help"
    drafts = harness.application.bot_data.alert_drafts
    drafts[USER_ID] = AlertDraft("en", "confirm", "vancouver", 24, "x")
    await harness.send(callback("alertadm:send"))
    assert _store(harness).unfinished() == []


def _member_update(chat_id: int, status: str) -> dict[str, Any]:
    """A my_chat_member update: the bot's own membership in ``chat_id`` changed."""
    chat = (
        {"id": chat_id, "type": "private", "first_name": "Sam"}
        if chat_id > 0
        else {"id": chat_id, "type": "supergroup", "title": "Group"}
    )
    bot_user = {"id": 123456789, "is_bot": True, "first_name": "Harm Reduction Test"}
    return {
        "update_id": 990_000 + abs(chat_id) % 1000,
        "my_chat_member": {
            "chat": chat,
            "from": {"id": USER_ID, "is_bot": False, "first_name": "Sam"},
            "date": 1764580000,
            "old_chat_member": {"status": "member", "user": bot_user},
            "new_chat_member": {
                "status": status,
                "user": bot_user,
                **({"until_date": 0} if status == "kicked" else {}),
            },
        },
    }


async def test_a_chat_that_blocks_the_bot_is_unsubscribed(harness: Harness) -> None:
    """my_chat_member 'kicked' (the user blocked the bot) deletes the chat's subscriptions."""
    _store(harness).subscribe(USER_ID, "vancouver", "en")
    await harness.send(_member_update(USER_ID, "member"))
    assert _store(harness).subscriptions(USER_ID) == {"vancouver"}
    await harness.send(_member_update(USER_ID, "kicked"))
    assert _store(harness).subscriptions(USER_ID) == frozenset()
    assert harness.api.sent("sendMessage") == []


async def test_a_group_that_becomes_a_supergroup_keeps_its_alerts(harness: Harness) -> None:
    """migrate_to_chat_id moves the group's subscriptions to the supergroup's new id."""
    old, new = -4726613835, -1004726613835
    _store(harness).subscribe(old, "vancouver", "fr")
    _store(harness).subscribe(old, "montreal", "fr")
    await harness.send(message(chat_id=old, language="fr", migrate_to_chat_id=new))
    # Telegram also posts migrate_from_chat_id in the new supergroup: nothing changes twice.
    await harness.send(message(chat_id=new, language="fr", migrate_from_chat_id=old))
    assert _store(harness).subscriptions(old) == frozenset()
    assert _store(harness).subscriptions(new) == {"vancouver", "montreal"}


async def test_forget_leaves_no_copy_of_the_chat_id_on_disk(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """After /forget the chat id is in neither the database file nor its -wal file."""
    chat = 987_654_321
    path = tmp_path / "hrbot.sqlite3"
    store = SqliteAlertStore(open_database(path))
    async with running(alert_app(api, store)) as application:
        h = Harness(api, application, [])
        payload = callback("alerts:on:vancouver")
        payload["callback_query"]["message"]["chat"]["id"] = chat
        await h.send(payload)
        assert store.subscriptions(chat) == {"vancouver"}
        wal = path.with_name(path.name + "-wal")

        def copies() -> int:
            pattern = chat.to_bytes(4, "big")
            return sum(p.read_bytes().count(pattern) for p in (path, wal) if p.exists())

        assert copies() > 0  # the check can see it
        forget = message("/forget")
        forget["message"]["chat"]["id"] = chat
        await h.send(forget)
        assert store.subscriptions(chat) == frozenset()
        assert copies() == 0


def test_every_draft_step_is_declared() -> None:
    """The wizard's table names every step a draft can be in, and only those."""
    assert set(WIZARD) == set(get_args(DraftStep))
    assert {"en", "fr"} == TEXT_STEPS


async def test_a_button_from_an_earlier_step_changes_nothing(harness: Harness) -> None:
    """Pressing an old region button while the text is asked for says the draft moved on;
    the draft keeps its step, region and expiry."""
    await harness.send(message("/alert", chat_id=STAFF))
    await harness.send(callback("alertadm:region:vancouver", chat_id=STAFF))
    await harness.send(callback("alertadm:exp:72", chat_id=STAFF))
    await harness.send(callback("alertadm:region:toronto", chat_id=STAFF))
    assert harness.api.sent("sendMessage")[0].text.startswith("That draft is gone")
    draft = harness.application.bot_data.alert_drafts[STAFF]
    assert (draft.step, draft.region, draft.hours) == ("en", "vancouver", 72)


async def test_handlers_ahead_of_the_commands_never_take_a_command(harness: Harness) -> None:
    """Text messages meet their handlers before the command handlers (bot.tg.app): that
    order is free only while no command passes them, even from staff whose draft waits for
    a typed text; and that staff text still reaches the wizard before the free-text handler."""
    application = harness.application
    application.bot_data.alert_drafts[STAFF] = AlertDraft("en", sorted(TEXT_STEPS)[0])
    handlers = application.handlers[0]
    first_command = next(i for i, h in enumerate(handlers) if isinstance(h, CommandHandler))
    commands = ("/start", "/help", "/alerts", "/alert", "/text hello", "/skip", "/stats", "/x")
    for chat_id in (USER_ID, STAFF):
        for text in commands:
            update = Update.de_json(message(text, chat_id=chat_id), application.bot)
            assert not [h for h in handlers[:first_command] if h.check_update(update)], text
    typed = Update.de_json(message("Fentanyl in blue pills", chat_id=STAFF), application.bot)
    taker = next(h for h in handlers if h.check_update(typed))
    assert getattr(taker, "callback", None) is not None
    assert taker.callback.__module__ == "bot.tg.alert_wizard"
