"""What the core answers: plain data that every front end (console, ask, Telegram) renders."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import LANGUAGES, Language

__all__ = [
    "LANGUAGES",
    "Button",
    "Language",
    "PlaceRef",
    "ProblemReport",
    "Reply",
    "ServiceHit",
]


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered to the user.

    ``action`` is button data in the grammar of ``bot.actions`` (``intent:<id>``,
    ``more``...), formatted there and at most 64 bytes, Telegram's callback limit.
    """

    label: str
    action: str


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """Where a service search was centred."""

    name: str
    lat: float
    lon: float
    source: str  # "location", "postal_code", "gazetteer", "region", "geocoder"
    province: str | None = None  # known from a postal code or a named town


@dataclass(frozen=True, slots=True)
class ServiceHit:
    """One service shown to the user, with what the front ends need to render it."""

    id: str
    name: str
    category: str
    distance_m: float
    open_now: bool | None  # None when hours are unknown
    lat: float
    lon: float
    address: str
    phone: str | None = None
    precision: str = "exact"  # exact, street, postal or city (approximate)
    status: str = "active"


@dataclass(frozen=True, slots=True)
class ProblemReport:
    """A person's "report a problem" about a service, for staff; says nothing about them."""

    service_id: str
    reason: str  # a code of bot.reports.REASONS


@dataclass(frozen=True, slots=True)
class Reply:
    """The core's answer to one message, location or button press.

    ``text`` is plain text (front ends escape it); ``intent`` is the matched intent id,
    ``out_of_scope`` when nothing matched, or a pseudo-intent such as ``services``.
    """

    text: str
    language: Language
    intent: str
    confidence: float = 0.0
    emergency: bool = False
    buttons: tuple[Button, ...] = ()
    services: tuple[ServiceHit, ...] = ()
    place: PlaceRef | None = None
    request_location: bool = False  # offer the "share my location" button
    province: str | None = None  # the province whose lines a finder reply shows
    # A typed place the offline gazetteer does not know: an online geocoder may find it.
    unknown_place: str | None = None
    report: ProblemReport | None = None  # a finished report, for the front end to file
    # Why the topic was chosen when it was not the matcher alone (``hrbot ask`` shows it):
    # the sentence model's fused score and the example it found closest.
    why: str | None = None
    # The sentence model's blend chose the topic where the matcher was unsure: what the
    # conversation said before (an urgent thread, the topic just answered) outweighs it.
    guess: bool = False
