"""Drug-supply alerts on Telegram for subscribers: /alerts, /stop, chats that change.

People choose regions with buttons (``alerts:on:<region>``, ``alerts:off:<region>``,
``alerts:stop``). Staff write alerts with ``bot.tg.alert_wizard``; ``bot.tg.alert_delivery``
sends them.

Nothing here logs chat ids or alert recipients.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import (
    BadRequest,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import actions
from bot.alerts import (
    UTC,
    AlertService,
    format_current,
)
from bot.reply import Language, Reply
from bot.tg import render
from bot.tg.context import Context, TgApplication
from bot.tg.handlers import answer_quietly, user_language

logger = logging.getLogger(__name__)


def text(context: Context, key: str, lang: Language, **values: object) -> str:
    """The ui.yaml message ``key`` (``alerts_*``, ``alert_*``) of the resources served now."""
    catalog = context.bot_data.dialogue.kb
    return catalog.message(key, lang, **{name: str(value) for name, value in values.items()})


# People: /alerts, /stop, /forget -------------------------------------------------------


def _chat_id(update: Update) -> int | None:
    return update.effective_chat.id if update.effective_chat is not None else None


def chat_language(update: Update, context: Context) -> Language:
    data = context.bot_data
    chat_id = _chat_id(update)
    default = user_language(update.effective_user, data.settings.default_language)
    if chat_id is None:
        return default
    return data.sessions.get(chat_id, default_language=default).language


def _menu(
    context: Context, service: AlertService, chat_id: int, lang: Language
) -> tuple[str, InlineKeyboardMarkup]:
    regions = service.regions
    mine = service.store.subscriptions(chat_id)
    names = [regions[r].name(lang) for r in regions if r in mine]
    status = (
        text(context, "alerts_subscribed", lang, regions=", ".join(names))
        if names
        else text(context, "alerts_none", lang)
    )
    rows = [
        [
            InlineKeyboardButton(
                f"✅ {region.name(lang)}" if region.id in mine else f"➕ {region.name(lang)}",
                callback_data=actions.format(
                    actions.AlertOff(region.id) if region.id in mine else actions.AlertOn(region.id)
                ),
            )
        ]
        for region in regions.values()
    ]
    if mine:
        rows.append(
            [
                InlineKeyboardButton(
                    text(context, "alerts_stop_all", lang),
                    callback_data=actions.format(actions.AlertsStop()),
                )
            ]
        )
    body = "\n\n".join(
        (text(context, "alerts_menu", lang), status, text(context, "alerts_kept", lang))
    )
    return render.escape(body), InlineKeyboardMarkup(rows)


async def show_alerts(update: Update, context: Context) -> None:
    """Show the regions with alerts and this chat's choices as on/off buttons."""
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    lang = chat_language(update, context)
    service = context.bot_data.alerts
    if service is None or not service.regions:
        await context.bot.send_message(
            chat_id,
            render.escape(
                text(
                    context, "alerts_unavailable" if service is None else "alerts_no_regions", lang
                )
            ),
        )
        return
    body, markup = _menu(context, service, chat_id, lang)
    await context.bot.send_message(chat_id, body, reply_markup=markup)


def is_ours(data: object, prefix: str) -> bool:
    """True for button data of one of our menus (well-formed or not)."""
    return isinstance(data, str) and data.startswith(prefix + ":")


async def press_alerts(update: Update, context: Context) -> None:
    """Turn one region's alerts on or off, or all off; redraw the menu."""
    query = update.callback_query
    chat_id = _chat_id(update)
    if query is None or chat_id is None:
        return
    if not is_ours(query.data, actions.ALERT_MENU):
        # PTB routes a press with no data to every pattern handler: answer it quietly.
        await answer_quietly(query)
        return
    action = actions.parse(query.data)
    lang = chat_language(update, context)
    service = context.bot_data.alerts
    region = (
        service.regions.get(action.region)
        if service is not None and isinstance(action, actions.AlertOn | actions.AlertOff)
        else None
    )
    notice = text(context, "alerts_unavailable", lang)
    if service is not None:
        if isinstance(action, actions.AlertsStop):
            service.store.forget(chat_id)
            notice = text(context, "alerts_stopped", lang)
        elif region is not None and isinstance(action, actions.AlertOn):
            service.store.subscribe(chat_id, region.id, lang)
            notice = text(context, "alerts_on", lang, region=region.name(lang))
        elif region is not None and isinstance(action, actions.AlertOff):
            service.store.unsubscribe(chat_id, region.id)
            notice = text(context, "alerts_off", lang, region=region.name(lang))
        else:
            notice = context.bot_data.dialogue.message("stale_button", lang).text
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await answer_quietly(query, notice)
    if service is None:
        return
    body, markup = _menu(context, service, chat_id, lang)
    try:
        await query.edit_message_text(body, reply_markup=markup)
    except BadRequest:
        logger.debug("alerts menu not modified")
    if region is not None and isinstance(action, actions.AlertOn):
        # Someone who just subscribed should not wait for the next alert to learn of this one.
        current = service.store.current(region.id, dt.datetime.now(UTC))
        if current:
            words = format_current(current, lang, region, context.bot_data.dialogue.kb)
            for chunk in render.html_chunks(Reply(words, lang, "alerts_current")):
                await context.bot.send_message(chat_id, chunk)


async def stop_alerts(update: Update, context: Context) -> None:
    """Unsubscribe this chat from every region and forget its language."""
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    lang = chat_language(update, context)
    service = context.bot_data.alerts
    if service is None:
        key = "alerts_unavailable"
    elif service.store.subscriptions(chat_id):
        service.store.forget(chat_id)
        key = "alerts_stopped"
    else:
        key = "alerts_not_subscribed"
    await context.bot.send_message(chat_id, render.escape(text(context, key, lang)))


# Chats that change ---------------------------------------------------------------------


async def follow_membership(update: Update, context: Context) -> None:
    """A chat that blocked or removed the bot gets no more alerts (its rows are deleted)."""
    change = update.my_chat_member
    service = context.bot_data.alerts
    if change is None or service is None:
        return
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        service.store.forget(change.chat.id)
        logger.info("a chat blocked or removed the bot: its alert subscriptions are deleted")


async def follow_migration(update: Update, context: Context) -> None:
    """A group upgraded to a supergroup keeps its alert subscriptions under the new id."""
    message = update.message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    service = context.bot_data.alerts
    if service is not None:
        regions = service.store.subscriptions(old)
        if regions:
            lang = chat_language(update, context)
            for region in regions:
                service.store.subscribe(new, region, lang)
            service.store.forget(old)
            logger.info("a group became a supergroup: its alert subscriptions moved")
    if old in context.bot_data.settings.admin_chat_ids and message.migrate_from_chat_id:
        # Only the operator can change the configuration; tell the staff chat its new id.
        logger.warning("an admin chat became a supergroup: update ADMIN_CHAT_IDS")
        await _say(context, new, text(context, "alert_admin_migrated", "en", chat_id=str(new)))


async def _say(context: Context, chat_id: int, words: str) -> Message:
    return await context.bot.send_message(chat_id, render.escape(words))


# Wiring --------------------------------------------------------------------------------


def add_alert_handlers(application: TgApplication) -> None:
    """Register /alerts, /stop and the menu's buttons."""
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("alerts", show_alerts, filters=new))
    application.add_handler(CommandHandler("stop", stop_alerts, filters=new))
    application.add_handler(CallbackQueryHandler(press_alerts, pattern=rf"^{actions.ALERT_MENU}:"))
