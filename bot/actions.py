"""Button actions: the one grammar of button (callback) data, parsed and formatted here.

Every button the bot sends carries one of these, formatted as a short string::

    intent:<id>            Topic        the answer for a topic
    find:<category>        Find         search a category (asks where when no place is known)
    cat:<category>         Category     the same place, another category
    place:<key>            Place        one of the places offered for an ambiguous name
    report:<service>       Report       "report a problem" with a service
    reason:<service>.<code> Reason      what is wrong with it
    lang:<en|fr>           Lang         switch language
    more | open_now        More, OpenNow  the next results, only the open ones
    alerts:on|off:<region>, alerts:stop          the alert subscription menu
    alertadm:region:<id>, alertadm:exp:<hours>, alertadm:send, alertadm:cancel
                                        the staff alert wizard

``parse`` returns None for anything else, so forged or stale data is one ``None`` check
away from a polite reply. Values are short ASCII words, and the whole string fits in
Telegram's 64-byte callback limit (``MAX_BYTES``, declared only here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.reply import Button
from bot.text import LANGUAGES, Language

MAX_BYTES = 64  # Telegram refuses longer callback data
MAX_VALUE = 48
ALERT_MENU = "alerts"
ALERT_DRAFT = "alertadm"
_VALUE = re.compile(rf"[A-Za-z0-9_.\-]{{1,{MAX_VALUE}}}")


@dataclass(frozen=True, slots=True)
class Topic:
    intent: str


@dataclass(frozen=True, slots=True)
class Find:
    category: str


@dataclass(frozen=True, slots=True)
class Category:
    category: str


@dataclass(frozen=True, slots=True)
class Place:
    key: str


@dataclass(frozen=True, slots=True)
class Report:
    service: str


@dataclass(frozen=True, slots=True)
class Reason:
    service: str
    code: str


@dataclass(frozen=True, slots=True)
class Lang:
    code: Language


@dataclass(frozen=True, slots=True)
class More:
    pass


@dataclass(frozen=True, slots=True)
class OpenNow:
    pass


@dataclass(frozen=True, slots=True)
class AlertOn:
    region: str


@dataclass(frozen=True, slots=True)
class AlertOff:
    region: str


@dataclass(frozen=True, slots=True)
class AlertsStop:
    pass


@dataclass(frozen=True, slots=True)
class DraftRegion:
    region: str


@dataclass(frozen=True, slots=True)
class DraftExpiry:
    hours: int


@dataclass(frozen=True, slots=True)
class DraftSend:
    pass


@dataclass(frozen=True, slots=True)
class DraftCancel:
    pass


# What the dialogue answers; the alert actions are the adapter's own menus.
DialogueAction = Topic | Find | Category | Place | Report | Reason | Lang | More | OpenNow
AlertAction = AlertOn | AlertOff | AlertsStop
DraftAction = DraftRegion | DraftExpiry | DraftSend | DraftCancel
Action = DialogueAction | AlertAction | DraftAction


def _lang(values: list[str]) -> Action | None:
    code = values[0]
    return Lang("fr" if code == "fr" else "en") if code in LANGUAGES else None


def _reason(values: list[str]) -> Action | None:
    service, _, code = values[0].rpartition(".")
    return Reason(service, code) if service and code else None


def _expiry(values: list[str]) -> Action | None:
    return DraftExpiry(int(values[0])) if values[0].isdigit() else None


# prefix -> (number of values, builder)
_PARSERS: dict[str, tuple[int, Callable[[list[str]], Action | None]]] = {
    "intent": (1, lambda v: Topic(v[0])),
    "find": (1, lambda v: Find(v[0])),
    "cat": (1, lambda v: Category(v[0])),
    "place": (1, lambda v: Place(v[0])),
    "report": (1, lambda v: Report(v[0])),
    "reason": (1, _reason),
    "lang": (1, _lang),
    "more": (0, lambda v: More()),
    "open_now": (0, lambda v: OpenNow()),
    f"{ALERT_MENU}:on": (1, lambda v: AlertOn(v[0])),
    f"{ALERT_MENU}:off": (1, lambda v: AlertOff(v[0])),
    f"{ALERT_MENU}:stop": (0, lambda v: AlertsStop()),
    f"{ALERT_DRAFT}:region": (1, lambda v: DraftRegion(v[0])),
    f"{ALERT_DRAFT}:exp": (1, _expiry),
    f"{ALERT_DRAFT}:send": (0, lambda v: DraftSend()),
    f"{ALERT_DRAFT}:cancel": (0, lambda v: DraftCancel()),
}


def parse(data: object) -> Action | None:
    """The action ``data`` stands for; None if it is not one this bot could have sent."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    for size in (2, 1):
        known = _PARSERS.get(":".join(parts[:size]))
        if known is None:
            continue
        arity, build = known
        values = parts[size:]
        if len(values) != arity or not all(_VALUE.fullmatch(v) for v in values):
            return None
        return build(values)
    return None


def format(action: Action) -> str:
    """The button data for ``action`` (at most ``MAX_BYTES`` when its values are short)."""
    match action:
        case Topic(intent):
            return f"intent:{intent}"
        case Find(category):
            return f"find:{category}"
        case Category(category):
            return f"cat:{category}"
        case Place(key):
            return f"place:{key}"
        case Report(service):
            return f"report:{service}"
        case Reason(service, code):
            return f"reason:{service}.{code}"
        case Lang(code):
            return f"lang:{code}"
        case More():
            return "more"
        case OpenNow():
            return "open_now"
        case AlertOn(region):
            return f"{ALERT_MENU}:on:{region}"
        case AlertOff(region):
            return f"{ALERT_MENU}:off:{region}"
        case AlertsStop():
            return f"{ALERT_MENU}:stop"
        case DraftRegion(region):
            return f"{ALERT_DRAFT}:region:{region}"
        case DraftExpiry(hours):
            return f"{ALERT_DRAFT}:exp:{hours}"
        case DraftSend():
            return f"{ALERT_DRAFT}:send"
        case DraftCancel():
            return f"{ALERT_DRAFT}:cancel"


def is_valid(data: object) -> bool:
    """True if ``data`` is well-formed button data this bot could have sent."""
    return parse(data) is not None


def button(label: str, action: Action) -> Button:
    """A core button carrying ``action``."""
    return Button(label, format(action))
