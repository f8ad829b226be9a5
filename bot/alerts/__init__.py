"""Drug-supply alerts: staff publish, people subscribe by region, delivery survives restarts.

Public surface::

    SqliteAlertStore(open_database(path)) -> AlertStore     # subscriptions, alerts, log
    PostgresAlertStore(Postgres(url)) -> AlertStore         # the same, for several replicas
    AlertBoard                      # the read interface the dialogue uses (current alerts)
    AlertService(store, regions, sender, rate=...)          # start() / publish() / stop()
    Sender, SendResult, Outcome     # what a transport implements (bot.tg.alert_delivery does)
    read_alert_files(root, regions) -> (alerts, problems)   # resources/alerts/*.yaml
    format_alert / format_current / format_progress         # the words, EN/FR

What is stored about a person: the chat id, the chosen regions and the language; while an
alert is being sent, also which chats it still has to reach (deleted when it is done).
The core never imports telegram.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.alerts._models import (
    UTC,
    Alert,
    AlertDraft,
    AlertRegion,
    Delivery,
    DraftStep,
    Progress,
    regions_by_id,
)
from bot.alerts._text import (
    Texts,
    bundled_texts,
    format_alert,
    format_current,
    format_progress,
    local_time,
)
from bot.layout import ALERTS_DIR

if TYPE_CHECKING:
    from bot.alerts._broadcast import (
        SENT,
        Broadcaster,
        LocalPace,
        Outcome,
        Pace,
        Reporter,
        Sender,
        SendResult,
    )
    from bot.alerts._files import AlertFile, read_alert_files
    from bot.alerts._pgstore import PostgresAlertStore
    from bot.alerts._service import AlertService
    from bot.alerts._store import LEASE_S, AlertBoard, AlertStore, SqliteAlertStore

# The stores, the broadcaster and the service load on first use (PEP 562): the dialogue
# needs only the models and the words, and `hrbot ask` should not pay for asyncio,
# sqlite3 and the alert files' schemas at start-up.
_LAZY = {
    "bot.alerts._broadcast": (
        "SENT",
        "Broadcaster",
        "LocalPace",
        "Outcome",
        "Pace",
        "Reporter",
        "Sender",
        "SendResult",
    ),
    "bot.alerts._files": ("AlertFile", "read_alert_files"),
    "bot.alerts._pgstore": ("PostgresAlertStore",),
    "bot.alerts._service": ("AlertService",),
    "bot.alerts._store": ("LEASE_S", "AlertBoard", "AlertStore", "SqliteAlertStore"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


__all__ = [
    "ALERTS_DIR",
    "LEASE_S",
    "SENT",
    "UTC",
    "Alert",
    "AlertBoard",
    "AlertDraft",
    "AlertFile",
    "AlertRegion",
    "AlertService",
    "AlertStore",
    "Broadcaster",
    "Delivery",
    "DraftStep",
    "LocalPace",
    "Outcome",
    "Pace",
    "PostgresAlertStore",
    "Progress",
    "Reporter",
    "SendResult",
    "Sender",
    "SqliteAlertStore",
    "Texts",
    "bundled_texts",
    "format_alert",
    "format_current",
    "format_progress",
    "local_time",
    "read_alert_files",
    "regions_by_id",
]
