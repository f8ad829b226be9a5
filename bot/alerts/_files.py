"""Alerts staff drop into ``resources/alerts/*.yaml``, validated with ``file:line`` errors.

One alert per file::

    id: dtes-green-benzos-2026-05          # unique; a new id for every new alert
    region: vancouver                      # a regions/<id>.yaml
    issued: 2026-05-02 14:00               # optional, local time; default: when first read
    expires: 2026-05-09                    # a date (end of that day) or "2026-05-09 18:00"
    text:
      en: Benzos (bromazolam) found in green down in the Downtown Eastside.
      fr: Des benzos (bromazolam) trouvées dans de la down verte dans le Downtown Eastside.

Either language may be left out; people reading the other one get it with a note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from bot.alerts._models import UTC, Alert, AlertRegion
from bot.layout import ALERTS_DIR
from bot.models import Strict
from bot.yamlsource import LineDict, Problem, ResourceError, line_of, load_yaml, validate_model

MAX_TEXT = 1500  # leaves room for the advice within Telegram's 4,096 characters
MAX_DAYS = 90
FILE_PREFIX = "file:"
_ID = r"^[a-z0-9][a-z0-9_\-]{0,59}$"
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


class AlertTexts(Strict):
    """The alert's text per language; at least one."""

    en: str = Field(default="", max_length=MAX_TEXT)
    fr: str = Field(default="", max_length=MAX_TEXT)

    @model_validator(mode="after")
    def _one(self) -> AlertTexts:
        if not (self.en or self.fr):
            raise ValueError("write the alert in English (en), French (fr) or both")
        return self


def _local(value: Any) -> Any:
    if value is None:
        return None
    match = _LOCAL.match(str(value).strip())
    if not match:
        raise ValueError(f"'{value}' is not a date like 2026-05-09 or 2026-05-09 18:00")
    try:
        day = dt.date.fromisoformat(match.group(1))
        if match.group(2) is None:
            return day
        return dt.datetime.combine(day, dt.time(int(match.group(2)), int(match.group(3))))
    except ValueError:
        raise ValueError(f"'{value}' is not a real date or time") from None


class AlertFile(Strict):
    """One file under ``alerts/``."""

    id: str
    region: str
    issued: dt.datetime | dt.date | None = None
    expires: dt.datetime | dt.date
    text: AlertTexts

    _dates = field_validator("issued", "expires", mode="before")(_local)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.match(_ID, value):
            raise ValueError(f"'{value}' must be 1-60 lower-case letters, digits, '-' or '_'")
        return value


def _end(value: dt.datetime | dt.date, tz: ZoneInfo, *, end_of_day: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz)
    moment = dt.time(23, 59) if end_of_day else dt.time(0, 0)
    return dt.datetime.combine(value, moment, tzinfo=tz)


def read_alert_files(
    root: Path,
    regions: Mapping[str, AlertRegion] | None,
    now: dt.datetime | None = None,
) -> tuple[list[Alert], list[Problem]]:
    """Every valid, unexpired alert under ``root/alerts`` and the problems of the others.

    ``regions=None`` skips the region check (the directory itself failed to load).
    """
    now = now or dt.datetime.now(UTC)
    folder = root / ALERTS_DIR
    alerts: list[Alert] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"{ALERTS_DIR}/{path.name}"
        try:
            data = load_yaml(path, root)
        except ResourceError as exc:
            problems += exc.problems
            continue
        if data is None:
            continue  # an empty or all-comment file, like a template
        if not isinstance(data, LineDict):
            problems.append(Problem(name, 1, "an alert file holds id, region, expires and text"))
            continue
        record, found = validate_model(AlertFile, data, name, list(AlertFile.model_fields))
        problems += found
        if record is None:
            continue
        if record.id in seen:
            problems.append(
                Problem(
                    name,
                    line_of(data, ["id"]),
                    f"id '{record.id}' is used by {seen[record.id]} too",
                )
            )
            continue
        seen[record.id] = name
        tz: ZoneInfo = ZoneInfo("UTC")
        if regions is not None:
            region = regions.get(record.region)
            if region is None:
                known = ", ".join(regions) or "none"
                problems.append(
                    Problem(
                        name,
                        line_of(data, ["region"]),
                        f"unknown region '{record.region}' (known: {known})",
                    )
                )
                continue
            tz = region.tz
        expires = _end(record.expires, tz, end_of_day=True)
        issued = _end(record.issued, tz, end_of_day=False) if record.issued else now
        problem = None
        if record.issued is not None and expires <= issued:
            problem = Problem(name, line_of(data, ["expires"]), "expires must be after issued")
        elif expires <= now:
            problem = Problem(
                name,
                line_of(data, ["expires"]),
                "expired: it will not be sent (delete the file)",
                "warning",
            )
        elif expires - issued > dt.timedelta(days=MAX_DAYS):
            problem = Problem(
                name, line_of(data, ["expires"]), f"an alert can last at most {MAX_DAYS} days"
            )
        if problem is not None:
            problems.append(problem)
            continue
        alerts.append(
            Alert(
                FILE_PREFIX + record.id,
                record.region,
                record.text.en,
                record.text.fr,
                issued.astimezone(UTC),
                expires.astimezone(UTC),
            )
        )
    return alerts, problems
