"""The staff-edited records of the service directory, as frozen pydantic models."""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import opening_hours
from pydantic import Field, field_validator, model_validator

from bot.models import Bilingual, SourceUrls, Strict, Url
from bot.text import Language

# unverified: no recent evidence that it operates; shown with "call before you go".
Status = Literal["active", "unverified", "temporarily_closed", "closed"]
# exact: sourced coordinates; street: geocoded from the address; postal: the FSA centroid;
# city: the city centre. Only exact and street carry a location in the files.
Precision = Literal["exact", "street", "postal", "city"]
PRECISE: frozenset[str] = frozenset({"exact", "street"})
Level = Literal["province", "local"]
Pharmacies = Literal["free", "some", "not_free", "unknown"]
PROVINCE_PATTERN = r"^(AB|BC|MB|NB|NL|NS|ON|PE|QC|SK|YT|NT|NU)$"

# Digits with the usual separators: "604-555-0100", "(604) 555-0100", "1-800-...", "8-1-1".
_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9 ().\-]*[0-9]$")
_POSTAL = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,39}$")


def check_phone(value: str | int) -> str:
    """Accept North American numbers (10 or 11 digits), 7-digit and 3-digit short numbers."""
    value = str(value)  # YAML reads 6045550100 or 911 without quotes as a number
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or len(digits) not in (3, 7, 10, 11):
        raise ValueError(f"'{value}' is not a phone number like 604-555-0100 or 8-1-1")
    if len(digits) == 11 and not digits.startswith("1"):
        raise ValueError(f"'{value}': an 11-digit number must start with 1")
    return value


def check_province(value: Any) -> Any:
    """YAML 1.1 reads an unquoted ``ON`` as true: take it back as Ontario."""
    return "ON" if value is True else value


def check_id(value: str) -> str:
    """Ids are short lower-case words, so they fit in button data."""
    if not _ID.match(value):
        raise ValueError(f"id '{value}' must be 1-40 lower-case letters, digits, '-' or '_'")
    return value


class Category(Strict):
    """A kind of service people ask for (naloxone, drug checking...)."""

    id: str
    labels: Bilingual = Field(alias="label")
    tip: Bilingual | None = None  # shown under the results, e.g. "pharmacies give free kits"
    source: Url | None = None  # where the tip comes from
    verified: date | None = None
    intents: list[str] = Field(default_factory=list)  # topics that make "X in PLACE" a search
    lines: list[str] = Field(default_factory=list)  # region roles or national line ids

    _id = field_validator("id")(check_id)

    def label(self, lang: Language) -> str:
        """The label in ``lang``."""
        return self.labels.get(lang)


class CategoryFile(Strict):
    """resources/categories.yaml."""

    categories: list[Category] = Field(min_length=1)
    search_km: float = Field(default=25, gt=0, le=500)
    nearest_max_km: float = Field(default=150, gt=0, le=2000)
    evidence_max_months: int = Field(default=24, ge=1, le=240)
    near_me: list[str] = Field(default_factory=list)
    where_words: list[str] = Field(default_factory=list)
    texts: dict[str, Bilingual] = Field(default_factory=dict)


class Helpline(Strict):
    """A phone or text line."""

    id: str
    name: Bilingual
    role: str | None = None  # in a region: health, crisis, treatment, addiction, poison...
    phone: str | None = None
    website: Url | None = None
    text: str | None = None  # how to text it, e.g. "text CONNECT to 686868"
    # "24/7" reads the same in both languages; anything with words needs {en, fr}.
    hours: str | Bilingual | None = None
    languages: list[str] = Field(default_factory=list)
    description: Bilingual | None = None
    source: Url
    verified: date

    _id = field_validator("id")(check_id)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: str | int | None) -> str | None:
        return None if value is None else check_phone(value)

    @model_validator(mode="after")
    def _reachable(self) -> Helpline:
        if self.phone is None and self.website is None and self.description is None:
            raise ValueError("a line needs a phone, a website or a description of whom to call")
        return self


class HelplineFile(Strict):
    """resources/helplines.yaml."""

    helplines: list[Helpline] = Field(min_length=1)


class Point(Strict):
    """A WGS84 coordinate."""

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)


class RegionPlace(Strict):
    """A local name people type: a neighbourhood, landmark or intersection."""

    name: str = Field(min_length=2)
    aliases: list[str] = Field(default_factory=list)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)


class Naloxone(Strict):
    """A province's take-home naloxone program and its official "where to get a kit" page."""

    program: Bilingual
    locator: Url | None = None  # the official locator page, when there is one
    locator_name: Bilingual | None = None
    pharmacies: Pharmacies  # do pharmacies give kits free?
    note: Bilingual | None = None
    source: SourceUrls = Field(min_length=1)
    verified: date


class Region(Strict):
    """resources/regions/<id>.yaml: a province or territory, or a local area inside one.

    A ``local`` region (a city with its own place names) has a ``parent`` province region
    and a search centre; it shares the parent's lines and naloxone program.
    """

    id: str
    name: Bilingual
    level: Level = "local"
    parent: str | None = None
    country: Literal["CA"] = "CA"
    province: str = Field(pattern=PROVINCE_PATTERN)
    timezone: str
    center: Point | None = None
    radius_km: float | None = Field(default=None, gt=0, le=1000)
    emergency_number: str | None  # null only where there is no 911 (Nunavut)
    emergency_note: Bilingual | None = None  # caveats: no 911, pilot areas...
    emergency_source: Url | None = None
    protocol: str | None  # an id in protocols.yaml; null when none was found
    naloxone: Naloxone | None = None
    helplines: list[Helpline] = Field(default_factory=list)
    places: list[RegionPlace] = Field(default_factory=list)

    _id = field_validator("id", mode="before")(lambda v: check_id(str(v)))
    _province = field_validator("province", mode="before")(check_province)

    @field_validator("emergency_number", mode="before")
    @classmethod
    def _phone(cls, value: str | int | None) -> str | None:
        return None if value is None else check_phone(value)

    @model_validator(mode="after")
    def _shape(self) -> Region:
        if self.level == "local" and (self.center is None or self.radius_km is None):
            raise ValueError("a local region needs a center and a radius_km")
        if self.level == "province" and self.parent is not None:
            raise ValueError("a province region has no parent")
        if self.emergency_number is None and self.emergency_note is None:
            raise ValueError("without an emergency_number, emergency_note must say whom to call")
        return self

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone '{value}' (use a name like America/Vancouver)"
            ) from None
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        """The region's timezone object."""
        return ZoneInfo(self.timezone)


class Service(Strict):
    """One place people can go. Field names follow Open Referral HSDS where one fits."""

    id: str
    name: str = Field(min_length=2)
    categories: list[str] = Field(min_length=1)
    address: str | None = Field(default=None, min_length=2)
    city: str = Field(min_length=2)
    province: str = Field(pattern=PROVINCE_PATTERN)
    postal_code: str | None = None
    precision: Precision | None = None  # None: exact with a location, else postal or city
    location: Point | None = None
    phone: str | None = None
    website: Url | None = None
    hours: str | None = None  # OpenStreetMap opening_hours syntax
    languages: list[str] = Field(default_factory=list)
    eligibility: list[str] = Field(default_factory=list)
    accessibility: str | None = None
    status: Status = "active"
    note: Bilingual | None = None  # shown with the service: "funding was to end..."
    source: SourceUrls = Field(min_length=1)
    evidence: date | None = None  # the newest dated source saying it operates
    verified: date

    _id = field_validator("id")(check_id)
    _province = field_validator("province", mode="before")(check_province)

    @model_validator(mode="after")
    def _placed(self) -> Service:
        precision = self.where
        if precision in PRECISE and self.location is None:
            raise ValueError(f"precision {precision} needs a location {{lat, lon}}")
        if precision not in PRECISE and self.location is not None:
            raise ValueError(
                f"precision {precision} must not carry a location (it is derived "
                "from the postal code or city): use exact or street"
            )
        if precision == "postal" and self.postal_code is None:
            raise ValueError("precision postal needs a postal_code")
        return self

    @property
    def where(self) -> Precision:
        """The precision, with the default filled in."""
        if self.precision is not None:
            return self.precision
        if self.location is not None:
            return "exact"
        return "postal" if self.postal_code is not None else "city"

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: str | int | None) -> str | None:
        return None if value is None else check_phone(value)

    @field_validator("postal_code")
    @classmethod
    def _postal(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if not _POSTAL.match(value):
            raise ValueError(f"'{value}' is not a Canadian postal code like V6A 1N5")
        return f"{value[:3]} {value[-3:]}"

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            opening_hours.OpeningHours(value)
        except Exception as exc:  # ParserError, which the package's type stubs omit
            first = str(exc).strip().splitlines()
            detail = " ".join(line.strip() for line in first if line.strip())
            raise ValueError(
                f"hours '{value}' is not valid opening_hours syntax "
                f"(see https://wiki.openstreetmap.org/wiki/Key:opening_hours): {detail}"
            ) from None
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a category is listed twice")
        return value


class ServiceFile(Strict):
    """resources/services/<region>.yaml: the services of one region (items checked one by one)."""

    region: str
    services: list[Any] = Field(default_factory=list)
