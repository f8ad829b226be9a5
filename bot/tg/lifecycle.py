"""The bot's long-lived services in PTB's lifecycle (the rules-bot pattern).

``build_application`` registers one ``Services`` object: ``open`` as ``post_init``,
``stop`` as ``post_stop`` and ``close`` as ``post_shutdown``. ``run_polling`` would call
them itself; ``hrbot run`` serves its own web server (webhook, ``/healthz``), so it and the
tests enter ``running(application)``, which calls them in the same order.

Opened: the online geocoder (GEOCODER=nominatim), the staff records, the alert service
(its delivery starts: a broadcast a stop interrupted resumes) and the resources watcher.
A database that cannot be opened turns its features off; the bot still answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.alerts import AlertService, Pace, Texts, regions_by_id
from bot.backends import describe, open_alert_store, open_staff_store
from bot.config import Settings
from bot.locator.geocoder import OnlineGeocoder
from bot.locator.geocoder import open_geocoder as geocoder_for
from bot.resources import default_resources_dir
from bot.staff.reload import Outcome
from bot.staff.store import StaffRecords
from bot.tg.alert_delivery import ProgressReporter, TelegramSender
from bot.tg.context import BotData, TgApplication
from bot.tg.staff_commands import apply_outcome, reloader_for

logger = logging.getLogger(__name__)

ALERT_STOP_GRACE_S = 8.0  # an alert call cut off at a stop may be sent again by a replica
LOCAL_SCAN_S, SHARED_SCAN_S = 60.0, 3.0  # how often the alert service looks for work

GeocoderOpener = Callable[[Settings], OnlineGeocoder | None]
StaffOpener = Callable[[Settings], StaffRecords | None]
AlertOpener = Callable[[TgApplication, Pace | None], AlertService | None]


def open_geocoder(settings: Settings) -> OnlineGeocoder | None:
    """The online geocoder when GEOCODER=nominatim, else None (offline places only)."""
    return geocoder_for(settings) if settings.geocoder == "nominatim" else None


def open_staff(settings: Settings) -> StaffRecords | None:
    """The staff tables in the database; None (features off, bot still runs) if unusable."""
    try:
        return open_staff_store(settings)
    except Exception as exc:  # a read-only disk must not stop the bot from answering
        logger.warning(
            "staff database unavailable (%s): reports and counts are off", type(exc).__name__
        )
        return None


def open_alerts(application: TgApplication, pace: Pace | None = None) -> AlertService | None:
    """The alert service on the configured database; None (alerts off, the bot still
    answers) if it is unusable. ``pace`` shares the alert rate with other replicas."""
    data: BotData = application.bot_data
    settings = data.settings
    dialogue = data.dialogue
    regions = regions_by_id(dialogue.locator.regions) if dialogue.locator is not None else {}
    root: Path = data.resources.root or settings.resources_dir or default_resources_dir()
    try:
        store = open_alert_store(settings)
    except Exception as exc:  # a read-only disk must not stop the bot from answering
        logger.error(
            "alerts are off: the database at %s cannot be used (%s)",
            describe(settings),
            type(exc).__name__,
        )
        return None
    bot = application.bot

    def catalog() -> Texts:
        return data.dialogue.kb  # after a reload, the edited ui.yaml

    return AlertService(
        store,
        regions,
        TelegramSender(bot),
        rate=settings.alerts_per_second,
        pace=pace,
        lease=settings.alert_lease_seconds,
        resources_dir=root,
        reporter=ProgressReporter(bot, regions, catalog),
        # Another replica may publish: look for its broadcasts often enough to help soon.
        scan_every=SHARED_SCAN_S if settings.database_url else LOCAL_SCAN_S,
        catalog=catalog,
    )


def start_watcher(application: TgApplication) -> asyncio.Task[None] | None:
    """Start polling the resources directory (RESOURCES_POLL_SECONDS; 0 = off)."""
    data: BotData = application.bot_data
    reloader = reloader_for(data)
    if reloader is None or data.settings.resources_poll_seconds == 0:
        return None
    bot = application.bot

    async def on_outcome(outcome: Outcome) -> None:
        await apply_outcome(data, bot, outcome)

    return asyncio.create_task(reloader.watch(on_outcome), name="resources-watcher")


async def stop_watcher(task: asyncio.Task[None] | None) -> None:
    """Stop the watcher started by ``start_watcher``."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@dataclass
class Services:
    """How one bot opens its services, and the background work it runs while open.

    Each opener reads the settings by default; tests and benchmarks replace one (the
    geocoder stub's address, an alert service on an in-memory store).
    """

    geocoder: GeocoderOpener = open_geocoder
    staff: StaffOpener = open_staff
    alerts: AlertOpener = open_alerts
    pace: Pace | None = None  # with REDIS_URL: the alert rate all replicas share
    _watcher: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    async def open(self, application: TgApplication) -> None:
        """``post_init``: open every service and start the alert delivery and the watcher."""
        data: BotData = application.bot_data
        data.geocoder = self.geocoder(data.settings)
        data.staff = self.staff(data.settings)
        data.alerts = self.alerts(application, self.pace)
        if data.alerts is not None:
            data.use_alerts(data.alerts.store)  # "any alerts?" is answered from the store
            await data.alerts.start()  # resumes a broadcast a stop interrupted
        self._watcher = start_watcher(application)

    async def stop(self, application: TgApplication) -> None:
        """``post_stop``: end the background work while the bot can still send."""
        await stop_watcher(self._watcher)
        self._watcher = None
        alerts = application.bot_data.alerts
        if alerts is not None:
            # In-flight alert messages finish; the rest is given back (or stays queued).
            await alerts.stop(grace=ALERT_STOP_GRACE_S)

    async def close(self, application: TgApplication) -> None:
        """``post_shutdown``: stop what is still running (never started) and close the rest."""
        await self.stop(application)
        data: BotData = application.bot_data
        if data.geocoder is not None:
            await data.geocoder.aclose()
            data.geocoder = None


@contextlib.asynccontextmanager
async def running(application: TgApplication) -> AsyncIterator[TgApplication]:
    """The application initialized with its services open, as ``run_polling`` would hold it
    (without polling): initialize, post_init ... post_shutdown after shutdown."""
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            try:
                yield application
            finally:
                if application.running:
                    await application.stop()
                    if application.post_stop is not None:
                        await application.post_stop(application)
    finally:
        # Also after a failed post_init: what it opened before failing is closed.
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
