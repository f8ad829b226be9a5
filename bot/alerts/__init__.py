"""Drug-supply alerts: staff publish, people subscribe by region, delivery survives restarts.

Public surface::

    SqliteAlertStore(open_database(path)) -> AlertStore     # subscriptions, alerts, log
    PostgresAlertStore(Postgres(url)) -> AlertStore         # the same, for several replicas
    AlertBoard                      # the read interface the dialogue uses (current alerts)
    AlertService(store, regions, sender, rate=...)          # start() / publish() / stop()
    Sender, SendResult, Outcome     # what a transport implements (bot.tg.alerts does)
    read_alert_files(root, regions) -> (alerts, problems)   # resources/alerts/*.yaml
    format_alert / format_current / format_progress         # the words, EN/FR

What is stored about a person: the chat id, the chosen regions and the language; while an
alert is being sent, also which chats it still has to reach (deleted when it is done).
The core never imports telegram.
"""

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
from bot.alerts._models import (
    UTC,
    Alert,
    AlertDraft,
    AlertRegion,
    Delivery,
    Progress,
    regions_by_id,
)
from bot.alerts._pgstore import PostgresAlertStore
from bot.alerts._service import AlertService
from bot.alerts._store import LEASE_S, AlertBoard, AlertStore, SqliteAlertStore
from bot.alerts._text import format_alert, format_current, format_progress, local_time
from bot.layout import ALERTS_DIR

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
    "LocalPace",
    "Outcome",
    "Pace",
    "PostgresAlertStore",
    "Progress",
    "Reporter",
    "SendResult",
    "Sender",
    "SqliteAlertStore",
    "format_alert",
    "format_current",
    "format_progress",
    "local_time",
    "read_alert_files",
    "regions_by_id",
]
