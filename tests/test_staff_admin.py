"""Staff features through the real Application and the fake Bot API: admin commands,
"report a problem", counts, unmatched questions and /reload."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.resources import Resources, load_resources
from bot.tg.app import build_application
from bot.tg.context import BotData
from bot.tg.lifecycle import running
from bot.tg.render import is_valid_action
from bot.tg.retry import RetryingLimiter
from tests.fake_bot_api import FakeBotAPI
from tests.helpers.locator import fixture_root
from tests.tg_fixtures import USER_ID, Harness, callback, message, settings_for

ADMIN = -100777
INSITE = (49.28111, -123.10111)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the bundled resources (frozen service list) to edit."""
    copy = tmp_path / "resources"
    shutil.copytree(fixture_root(), copy)
    return copy


@pytest.fixture
async def bot(
    api: FakeBotAPI, request: pytest.FixtureRequest, frozen_resources: Resources
) -> AsyncIterator[Harness]:
    """The real Application on real resources, one admin chat, unmatched logging on.

    A test that asks for ``root`` (to edit and /reload) gets a bot on its private copy;
    the others share one load of the frozen resources, which they only read."""
    if "root" in request.fixturenames:
        root: Path = request.getfixturevalue("root")
        resources = load_resources(root)
    else:
        root, resources = fixture_root(), frozen_resources

    async def no_sleep(seconds: float) -> None:
        pass

    settings = settings_for(
        api.root,
        ADMIN_CHAT_IDS=str(ADMIN),
        ADMIN_USER_IDS=str(USER_ID),
        UNMATCHED_LOG="on",
        RESOURCES_DIR=str(root),
    )
    application = build_application(settings, resources, retrying=RetryingLimiter(sleep=no_sleep))
    async with running(application):  # the staff records on DATABASE_PATH=:memory:
        yield Harness(api, application, [])


def _data(h: Harness) -> BotData:
    return h.application.bot_data


def _buttons(h: Harness) -> list[dict[str, str]]:
    rows = [c.markup.get("inline_keyboard", []) for c in h.api.sent("sendMessage")]
    return [b for markup in rows for row in markup for b in row]


def _texts(h: Harness, chat_id: int) -> list[str]:
    return [c.text for c in h.api.sent("sendMessage") if c.params["chat_id"] == chat_id]


async def test_every_service_shown_has_a_report_button(bot: Harness) -> None:
    """A search answer carries one report:<service id> button per service listed."""
    await bot.send(message(location=INSITE))
    reports = [b for b in _buttons(bot) if b["callback_data"].startswith("report:")]
    assert reports
    assert all(is_valid_action(b["callback_data"]) for b in reports)
    assert reports[0]["text"].startswith("⚠️ Report a problem: 1.")


async def test_report_reaches_admins_without_the_sender(bot: Harness) -> None:
    """Report then reason: the user is thanked; admins get service and reason, not the user."""
    await bot.send(callback("report:insite"))
    reasons = [b["callback_data"] for b in _buttons(bot)]
    assert reasons == [
        "reason:insite.closed",
        "reason:insite.hours",
        "reason:insite.address",
        "reason:insite.other",
    ]
    await bot.send(callback("reason:insite.hours"))
    [thanks] = _texts(bot, USER_ID)
    assert thanks.startswith("Thank you.")
    [notice] = _texts(bot, ADMIN)
    assert "insite" in notice
    assert "wrong hours" in notice
    assert str(USER_ID) not in notice
    assert "Sam" not in notice
    store = _data(bot).staff
    assert store is not None
    assert [(r.service_id, r.reason) for r in store.open_reports()] == [("insite", "hours")]


async def test_reports_lists_and_closes(bot: Harness) -> None:
    """/reports lists open reports; /reports close <n> closes one."""
    await bot.send(callback("reason:vandu.closed"))
    await bot.send(message("/reports", chat_id=ADMIN))
    [listing] = _texts(bot, ADMIN)
    assert "#1 " in listing
    assert "vandu: closed" in listing
    await bot.send(message("/reports close 1", chat_id=ADMIN))
    assert _texts(bot, ADMIN) == ["Report #1 closed."]
    await bot.send(message("/reports", chat_id=ADMIN))
    assert _texts(bot, ADMIN) == ["No open reports."]


async def test_forget_does_not_reset_the_report_cap(bot: Harness) -> None:
    """Four rounds of /forget and five presses each: still at most five notices reach staff."""
    notices = 0
    for _ in range(4):
        for _ in range(5):
            await bot.send(callback("reason:insite.closed"))
            notices += len(_texts(bot, ADMIN))
            assert _texts(bot, USER_ID)[0].startswith("Thank you.")  # always thanked
        await bot.send(message("/forget"))
    assert notices == 5
    store = _data(bot).staff
    assert store is not None
    assert len(store.open_reports()) == 5


@pytest.mark.parametrize("command", ["/reload", "/stats", "/unmatched", "/reports"])
async def test_staff_group_members_not_listed_get_nothing(bot: Harness, command: str) -> None:
    """In the staff chat, a member missing from ADMIN_USER_IDS runs no staff command."""
    payload = message(command, chat_id=ADMIN)
    payload["message"]["from"]["id"] = 31337
    await bot.send(payload)
    assert bot.api.sent("sendMessage") == []


@pytest.mark.parametrize(
    "data", ["report:no-such-place", "reason:insite.rude", "reason:insite", "report:" + "a" * 60]
)
async def test_forged_reports_are_refused(bot: Harness, data: str) -> None:
    """Unknown services, reasons or oversized data store nothing and alert nobody."""
    await bot.send(callback(data))
    assert _texts(bot, ADMIN) == []
    store = _data(bot).staff
    assert store is not None
    assert store.open_reports() == []


@pytest.mark.parametrize("command", ["/reload", "/stats", "/unmatched", "/reports"])
async def test_admin_commands_look_unknown_to_everyone_else(bot: Harness, command: str) -> None:
    """Outside the admin chats an admin command gets exactly the unknown-command answer."""
    await bot.send(message("/whatever"))
    unknown = _texts(bot, USER_ID)
    await bot.send(message(command))
    assert _texts(bot, USER_ID) == unknown


async def test_stats_show_counts_per_intent_per_day(bot: Harness) -> None:
    """/stats counts answered questions per intent, with no text and no user."""
    await bot.send(message("where can I get naloxone"))
    await bot.send(message("where can I get naloxone kits"))
    await bot.send(message("/stats", chat_id=ADMIN))
    [stats] = _texts(bot, ADMIN)
    assert "naloxone_get: 2" in stats
    assert "where can" not in stats


async def test_unmatched_questions_are_kept_scrubbed(bot: Harness) -> None:
    """A question the bot did not understand shows up in /unmatched without the phone number."""
    await bot.send(message("who won the hockey game last night, call me 604-555-0100"))
    await bot.send(message("/unmatched", chat_id=ADMIN))
    [listing] = _texts(bot, ADMIN)
    assert "1× who won the hockey game last night call me [phone]" in listing
    assert "555" not in listing


@pytest.mark.parametrize(
    ("question", "private"),
    [
        (
            "im jane doe born 1990-04-02 my care card is 9876 543 210 call me at 604-555-0199 "
            "or jane@example.com",
            ("jane", "doe", "1990", "9876", "604", "example"),
        ),
        ("zxcv qwer my name is bob builder 1234 main", ("bob", "builder", "1234", "main", "zxcv")),
        ("Kevin Nguyen on Cordova told me about the purple stuff", ("kevin", "nguyen", "cordova")),
    ],
)
async def test_unmatched_questions_keep_no_names_or_addresses(
    bot: Harness, question: str, private: tuple[str, ...]
) -> None:
    """Only words the bot knows or everyday words are kept: names and streets are dropped."""
    await bot.send(message(question))
    await bot.send(message("/unmatched", chat_id=ADMIN))
    [listing] = _texts(bot, ADMIN)
    kept = listing.split("\n", 1)[1].lower()
    assert [word for word in private if word in kept] == []
    assert "1×" in kept


async def test_unmatched_log_is_off_by_default(
    api: FakeBotAPI, frozen_resources: Resources
) -> None:
    """Without UNMATCHED_LOG=on nothing is kept and /unmatched says how to turn it on."""
    application = build_application(
        settings_for(api.root, ADMIN_CHAT_IDS=str(ADMIN), ADMIN_USER_IDS=str(USER_ID)),
        frozen_resources,
    )
    async with running(application):
        h = Harness(api, application, [])
        await h.send(message("who won the hockey game last night"))
        await h.send(message("/unmatched", chat_id=ADMIN))
        [listing] = _texts(h, ADMIN)
    assert "UNMATCHED_LOG=on" in listing
    assert "hockey" not in listing


async def test_reload_keeps_the_last_good_set_and_reports_errors(bot: Harness, root: Path) -> None:
    """A broken edit is refused with file:line messages; the bot keeps answering as before."""
    before = _data(bot).resources
    ui = root / "ui.yaml"
    ui.write_text(ui.read_text().replace("messages:", "messages:\n\tbroken: [", 1))
    await bot.send(message("/reload", chat_id=ADMIN))
    [notice] = _texts(bot, ADMIN)
    assert "NOT loaded" in notice
    assert "ui.yaml:" in notice
    assert _data(bot).resources is before
    await bot.send(message("where can I get naloxone"))
    assert _texts(bot, USER_ID)


async def test_reload_swaps_in_a_good_edit_and_keeps_sessions(bot: Harness, root: Path) -> None:
    """After /reload the new texts are served and a chat keeps its chosen language."""
    await bot.send(callback("lang:fr"))
    ui = root / "ui.yaml"
    text = ui.read_text()
    at = text.index("\n    fr: |\n", text.index("\n  welcome:")) + len("\n    fr: |\n")
    ui.write_text(text[:at] + "      Texte modifié par l'équipe.\n" + text[at:])
    await bot.send(message("/reload", chat_id=ADMIN))
    assert _texts(bot, ADMIN)[0].startswith("✅ Resources reloaded:")
    await bot.send(message("/start"))
    assert _texts(bot, USER_ID)[0].startswith("Texte modifié par l'équipe.")


def test_report_actions_fit_telegram_for_the_longest_ids() -> None:
    """A 40-character service id with the longest reason still fits Telegram's 64 bytes."""
    longest = "a" * 40
    assert is_valid_action(f"report:{longest}")
    assert is_valid_action(f"reason:{longest}.address")


async def test_a_french_staff_team_reads_the_staff_texts_in_french(
    api: FakeBotAPI, root: Path
) -> None:
    """With DEFAULT_LANGUAGE=fr the report notice and /reports come from ui.yaml's fr texts."""
    settings = settings_for(
        api.root, ADMIN_CHAT_IDS=str(ADMIN), ADMIN_USER_IDS=str(USER_ID), DEFAULT_LANGUAGE="fr"
    )
    async with running(build_application(settings, load_resources(root))) as application:
        h = Harness(api, application, [])
        await h.send(callback("reason:insite.hours"))
        [notice] = _texts(h, ADMIN)
        await h.send(message("/reports close 1", chat_id=ADMIN))
        [closed] = _texts(h, ADMIN)
        await h.send(message("/reports", chat_id=ADMIN))
        [none] = _texts(h, ADMIN)
    assert notice.startswith("📝 Signalement n° 1 : service insite")
    assert "heures erronées" in notice
    assert closed == "Signalement n° 1 fermé."
    assert none == "Aucun signalement ouvert."
