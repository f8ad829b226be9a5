"""Alert records, the regions they are for, and what a broadcast reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from bot.locator import Region
from bot.reply import Language

UTC = dt.UTC


@dataclass(frozen=True, slots=True)
class AlertRegion:
    """A region people can subscribe to: its id, names and local time zone."""

    id: str
    name_en: str
    name_fr: str
    tz: ZoneInfo

    @classmethod
    def from_region(cls, region: Region) -> AlertRegion:
        """The alert side of a service-directory region."""
        return cls(region.id, region.name.en, region.name.fr, region.tz)

    def name(self, lang: Language) -> str:
        """The region's name in ``lang``."""
        return self.name_fr if lang == "fr" else self.name_en


def regions_by_id(regions: Mapping[str, Region]) -> dict[str, AlertRegion]:
    """Alert regions for every directory region, in name order."""
    ordered = sorted(regions.values(), key=lambda r: r.name.en)
    return {r.id: AlertRegion.from_region(r) for r in ordered}


@dataclass(frozen=True, slots=True)
class Alert:
    """One drug-supply alert for one region; ``en``/``fr`` may be empty, not both.

    ``report_chat``/``report_message`` say where the staff member who published it sees
    the progress; alerts from files have none.
    """

    id: str
    region: str
    en: str
    fr: str
    issued_at: dt.datetime  # aware
    expires_at: dt.datetime  # aware
    report_chat: int | None = None
    report_message: int | None = None
    report_language: Language = "en"

    def __post_init__(self) -> None:
        if not (self.en.strip() or self.fr.strip()):
            raise ValueError("an alert needs a text in English or French")
        if self.issued_at.tzinfo is None or self.expires_at.tzinfo is None:
            raise ValueError("alert times must be timezone-aware")

    def text(self, lang: Language) -> tuple[str, Language]:
        """The text in ``lang`` if written, else the other one; with the language used."""
        own = self.fr if lang == "fr" else self.en
        if own.strip():
            return own.strip(), lang
        other: Language = "en" if lang == "fr" else "fr"
        return (self.en if other == "en" else self.fr).strip(), other

    def expired(self, now: dt.datetime) -> bool:
        """True once the alert's expiry has passed."""
        return now >= self.expires_at


@dataclass(frozen=True, slots=True)
class Delivery:
    """One alert to one chat, claimed for sending."""

    alert_id: str
    chat_id: int
    language: Language
    attempts: int  # including the one about to be made
    lease_until: dt.datetime | None = None  # after this, another process may claim it


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a broadcast stands; ``skipped`` are chats that unsubscribed or expired meanwhile."""

    alert_id: str
    total: int
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    skipped: int = 0
    done: bool = False

    @property
    def handled(self) -> int:
        """Deliveries with a final outcome."""
        return self.sent + self.failed + self.blocked + self.skipped


DraftStep = Literal["region", "expiry", "en", "fr", "confirm"]


@dataclass(slots=True)
class AlertDraft:
    """An alert a staff member is writing, step by step; in memory only."""

    language: Language
    step: DraftStep = "region"
    region: str | None = None
    hours: int | None = None
    en: str = ""
    fr: str = ""
