"""Where durable data lives: PostgreSQL when ``DATABASE_URL`` is set, else SQLite.

Both sides implement the same store interfaces (``AlertStore``, ``StaffRecords``); the
rest of the bot never knows which one it has.
"""

from __future__ import annotations

from bot.alerts import AlertStore, PostgresAlertStore, SqliteAlertStore
from bot.config import Settings
from bot.postgres import shared
from bot.staff.pgstore import PostgresStaffStore
from bot.staff.store import StaffRecords, StaffStore
from bot.storage import open_database


def describe(settings: Settings) -> str:
    """Which setting names the database, for operator messages (never the address)."""
    return "DATABASE_URL" if settings.database_url else "DATABASE_PATH"


def open_alert_store(settings: Settings) -> AlertStore:
    """Subscriptions, alerts and the delivery log, migrated to the current schema."""
    if settings.database_url:
        return PostgresAlertStore(shared(settings.database_url.get_secret_value()))
    return SqliteAlertStore(open_database(settings.database_path))


def open_staff_store(settings: Settings) -> StaffRecords:
    """Reports, counts and unmatched questions, migrated to the current schema."""
    if settings.database_url:
        return PostgresStaffStore(
            shared(settings.database_url.get_secret_value()), unmatched_days=settings.unmatched_days
        )
    return StaffStore(open_database(settings.database_path), unmatched_days=settings.unmatched_days)
