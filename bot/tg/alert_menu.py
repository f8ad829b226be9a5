"""Drug-supply alerts on Telegram for subscribers: /alerts, /stop, chats that change.

People choose regions with buttons (``alerts:on:<region>``, ``alerts:off:<region>``,
``alerts:stop``). Staff write alerts with ``bot.tg.alert_wizard``; ``bot.tg.alert_delivery``
sends them.

Nothing here logs chat ids or alert recipients.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

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


_TEXTS: dict[str, tuple[str, str]] = {
    "menu": (
        "Drug-supply alerts: when a health team warns about a bad batch, I send it to you "
        "right away. Tap a region to turn its alerts on or off.",
        "Alertes sur les drogues : quand une équipe de santé signale un mauvais lot, je vous "
        "l'envoie tout de suite. Touchez une région pour activer ou couper ses alertes.",
    ),
    "subscribed": ("You get alerts for: {regions}.", "Vous recevez les alertes pour : {regions}."),
    "none": ("You get no alerts yet.", "Vous ne recevez pas encore d'alertes."),
    "kept": (
        "I keep only your chat id, your regions and your language, until /stop or /forget.",
        "Je garde seulement votre identifiant de conversation, vos régions et votre langue, "
        "jusqu'à /stop ou /forget.",
    ),
    "stop_all": ("🔕 Stop all alerts", "🔕 Arrêter toutes les alertes"),
    "on": ("Alerts on for {region}.", "Alertes activées pour {region}."),
    "off": ("Alerts off for {region}.", "Alertes coupées pour {region}."),
    "stopped": (
        "Done: no more alerts, and I deleted your regions. /alerts to choose again.",
        "C'est fait : plus d'alertes, et j'ai effacé vos régions. /alerts pour en choisir.",
    ),
    "not_subscribed": (
        "You get no alerts. /alerts to choose regions.",
        "Vous ne recevez pas d'alertes. /alerts pour choisir des régions.",
    ),
    "unavailable": (
        "Alerts are not available right now.",
        "Les alertes ne sont pas disponibles pour le moment.",
    ),
    "no_regions": ("No region has alerts yet.", "Aucune région n'a encore d'alertes."),
    # Staff
    "pick_region": ("New alert. Which region?", "Nouvelle alerte. Quelle région?"),
    "pick_expiry": ("Region: {region}. Until when?", "Région : {region}. Jusqu'à quand?"),
    "type_en": (
        "Reply to this message with the alert in English: what was found, where, what it "
        "does (or send /text and the alert). /skip if you write it only in French. /cancel "
        "to stop.",
        "Répondez à ce message avec l'alerte en anglais : ce qui a été trouvé, où, ses effets "
        "(ou envoyez /text suivi de l'alerte). /skip pour l'écrire seulement en français. "
        "/cancel pour arrêter.",
    ),
    "type_fr": (
        "Now reply with the French text (or /text and the text). /skip to send it in English "
        "only (French readers get a note).",
        "Maintenant, répondez avec le texte français (ou /text suivi du texte). /skip pour "
        "l'envoyer en anglais seulement (avec une note).",
    ),
    "placeholder": ("The alert text", "Le texte de l'alerte"),
    "need_text": (
        "An alert needs a text in at least one language. Type it, or /cancel.",
        "Une alerte a besoin d'un texte dans au moins une langue. Écrivez-le, ou /cancel.",
    ),
    "too_long": (
        "That is {length} characters; the limit is {limit}. Shorter, please.",
        "Ce texte fait {length} caractères; la limite est {limit}. Plus court, svp.",
    ),
    "preview": (
        "Preview below. Send it to {count} subscribers in {region}?",
        "Aperçu ci-dessous. L'envoyer aux {count} abonnés de {region}?",
    ),
    "send": ("✅ Send", "✅ Envoyer"),
    "cancel": ("✖ Cancel", "✖ Annuler"),
    "cancelled": ("Alert cancelled: nothing was sent.", "Alerte annulée : rien n'a été envoyé."),
    "queued": ("Queued for {count} subscribers…", "En file pour {count} abonnés…"),
    "duplicate": ("This alert was already sent.", "Cette alerte a déjà été envoyée."),
    "expired_draft": (
        "That draft is gone. Start again with /alert.",
        "Ce brouillon n'existe plus. Recommencez avec /alert.",
    ),
    "admin_migrated": (
        "This group became a supergroup and its id is now {chat_id}. Staff notices and "
        "commands stop here until the operator puts {chat_id} in ADMIN_CHAT_IDS.",
        "Ce groupe est devenu un supergroupe; son identifiant est maintenant {chat_id}. "
        "Les avis et commandes du personnel s'arrêtent ici tant que l'opérateur n'a pas mis "
        "{chat_id} dans ADMIN_CHAT_IDS.",
    ),
}


def text(key: str, lang: Language, **values: Any) -> str:
    """An alert interface text in ``lang`` with ``{placeholders}`` filled."""
    en, fr = _TEXTS[key]
    chosen = fr if lang == "fr" else en
    return chosen.format(**values) if values else chosen


def hours_label(hours: int, lang: Language) -> str:
    if hours < 48:
        return f"{hours} h"
    days = hours // 24
    return f"{days} jours" if lang == "fr" else f"{days} days"


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


def _menu(service: AlertService, chat_id: int, lang: Language) -> tuple[str, InlineKeyboardMarkup]:
    regions = service.regions
    mine = service.store.subscriptions(chat_id)
    names = [regions[r].name(lang) for r in regions if r in mine]
    status = text("subscribed", lang, regions=", ".join(names)) if names else text("none", lang)
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
                    text("stop_all", lang), callback_data=actions.format(actions.AlertsStop())
                )
            ]
        )
    body = "\n\n".join((text("menu", lang), status, text("kept", lang)))
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
            chat_id, render.escape(text("unavailable" if service is None else "no_regions", lang))
        )
        return
    body, markup = _menu(service, chat_id, lang)
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
    notice = text("unavailable", lang)
    if service is not None:
        if isinstance(action, actions.AlertsStop):
            service.store.forget(chat_id)
            notice = text("stopped", lang)
        elif region is not None and isinstance(action, actions.AlertOn):
            service.store.subscribe(chat_id, region.id, lang)
            notice = text("on", lang, region=region.name(lang))
        elif region is not None and isinstance(action, actions.AlertOff):
            service.store.unsubscribe(chat_id, region.id)
            notice = text("off", lang, region=region.name(lang))
        else:
            notice = context.bot_data.dialogue.message("stale_button", lang).text
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await answer_quietly(query, notice)
    if service is None:
        return
    body, markup = _menu(service, chat_id, lang)
    try:
        await query.edit_message_text(body, reply_markup=markup)
    except BadRequest:
        logger.debug("alerts menu not modified")
    if region is not None and isinstance(action, actions.AlertOn):
        # Someone who just subscribed should not wait for the next alert to learn of this one.
        current = service.store.current(region.id, dt.datetime.now(UTC))
        if current:
            words = format_current(current, lang, region)
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
        key = "unavailable"
    elif service.store.subscriptions(chat_id):
        service.store.forget(chat_id)
        key = "stopped"
    else:
        key = "not_subscribed"
    await context.bot.send_message(chat_id, render.escape(text(key, lang)))


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
        await _say(context, new, text("admin_migrated", "en", chat_id=str(new)))


async def _say(context: Context, chat_id: int, words: str) -> Message:
    return await context.bot.send_message(chat_id, render.escape(words))


# Wiring --------------------------------------------------------------------------------


def add_alert_handlers(application: TgApplication) -> None:
    """Register /alerts, /stop and the menu's buttons."""
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("alerts", show_alerts, filters=new))
    application.add_handler(CommandHandler("stop", stop_alerts, filters=new))
    application.add_handler(CallbackQueryHandler(press_alerts, pattern=rf"^{actions.ALERT_MENU}:"))
