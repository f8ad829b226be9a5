"""Replies for "where is the nearest...": plain data for every front end. Never imports telegram.

Pure: these builders read the directory and never the conversation. What a person is
searching (``Search``) and the places just offered are kept by ``bot.finder``, the one
place that writes them into the ``Session``.

Every search reply ends with the lines of the searched place's province that fit the
category (the naloxone program and its locator, 8-1-1, NORS...), and never points
people thousands of kilometres away: beyond ``nearest_max_km`` it names no site at all.
The texts live in categories.yaml (``texts:``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote_plus

from bot.actions import Category, More, OpenNow, Place, Report, button
from bot.locator._geo import valid_coordinates
from bot.locator._locator import DEFAULT_COUNT, Hours, Line, Locator, Nearby
from bot.locator._models import Naloxone, Region
from bot.locator._places import Ambiguous, NotFound, ProvinceOnly, TooCoarse
from bot.reply import Button, Language, PlaceRef, Reply, ServiceHit

log = logging.getLogger(__name__)

INTENT = "services"
DEFAULT_CATEGORY = "naloxone"
WALK_M_PER_MIN = 80  # about 4.8 km/h
WALK_SHOWN_UNDER_M = 2_500
MAX_CATEGORY_BUTTONS = 6
CITY_CENTRE_M = 5_000  # closer than this to a city-precision site: just "in <city>"
REPORT_NAME_CHARS = 28  # keeps "report a problem" labels on one line
PAGE_SIZE = DEFAULT_COUNT  # results per page
# categories.yaml texts weekday_<day>, in datetime.weekday() order.
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# Public builders -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Search:
    """One page of results: where, what, from which result, and whether only open ones."""

    place: PlaceRef
    category: str
    offset: int = 0
    open_only: bool = False


def search_reply(
    locator: Locator,
    search: Search,
    lang: Language,
    now: datetime | None = None,
    *,
    intent: str = INTENT,
    confidence: float = 0.0,
) -> Reply:
    """The page of ``search``: nearest services, the province's lines, call 911."""
    if search.category not in locator.categories:
        return _category_question(locator, lang, search.place, intent, confidence)
    return _page(locator, search, lang, now, intent, confidence)


def outcome_reply(
    locator: Locator,
    outcome: Ambiguous | TooCoarse | ProvinceOnly | NotFound,
    category: str,
    lang: Language,
    *,
    intent: str = INTENT,
    confidence: float = 0.0,
) -> Reply:
    """A typed place that is not one point: a province's answer, ask which one, or again."""
    if isinstance(outcome, ProvinceOnly):
        reply = province_reply(locator, outcome.province, category, lang)
    elif isinstance(outcome, Ambiguous):
        name = outcome.candidates[0].label.split(",")[0]
        buttons = tuple(button(c.label, Place(c.key)) for c in outcome.candidates)
        reply = Reply(locator.text("which_place", lang, name=name), lang, INTENT, buttons=buttons)
    elif isinstance(outcome, TooCoarse) and outcome.province is not None:
        # A rural area still names its province: its lines, and ask for the town.
        reply = province_reply(locator, outcome.province, category, lang)
        text = locator.text("too_coarse", lang, fsa=outcome.fsa) + "\n\n" + reply.text
        reply = dataclasses.replace(reply, text=text)
    elif isinstance(outcome, TooCoarse):
        reply = Reply(
            locator.text("too_coarse", lang, fsa=outcome.fsa), lang, INTENT, request_location=True
        )
    else:
        # An online geocoder (in the async front end) may still find an unknown place.
        reply = Reply(
            locator.text("not_found", lang, query=_short(outcome.query)),
            lang,
            INTENT,
            request_location=True,
            unknown_place=outcome.query,
        )
    return dataclasses.replace(reply, intent=intent, confidence=round(confidence, 3))


def province_reply(locator: Locator, province: str, category: str, lang: Language) -> Reply:
    """A province named alone ("naloxone in Ontario"): its lines and locator, no search."""
    if category not in locator.categories:
        category = DEFAULT_CATEGORY
    region = locator.province_region(province)
    if region is None:
        return Reply(
            locator.text("not_found", lang, query=province), lang, INTENT, request_location=True
        )
    label = locator.categories[category].label(lang)
    lines = [locator.text("province_answer", lang, category=label, region=region.name.get(lang))]
    lines += _line_texts(locator, region, category, lang)[1:]  # the header says the province
    lines += ["", locator.text("province_hint", lang)]
    lines += ["", *_emergency(locator, region, lang)]
    buttons = _category_buttons(locator, lang, exclude=category)
    return Reply(
        "\n".join(lines),
        lang,
        INTENT,
        buttons=tuple(buttons),
        request_location=True,
        province=region.province,
    )


def shared_place(locator: Locator, lat: float, lon: float, lang: Language) -> PlaceRef | None:
    """A shared location as a search centre (exact; no geocoding); None if impossible."""
    try:
        ok = valid_coordinates(float(lat), float(lon))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        return None
    return PlaceRef(locator.text("your_location", lang), float(lat), float(lon), "location")


def chosen_place(
    locator: Locator, choices: Mapping[str, tuple[str, float, float, str | None]], key: str
) -> PlaceRef | None:
    """The place behind a ``place:<key>`` button: one just offered, or a known candidate."""
    choice = choices.get(key)
    if choice is not None:
        label, lat, lon, province = choice
    else:
        candidate = locator.candidate(key)
        if candidate is None:
            return None
        label, lat, lon, province = (
            candidate.label,
            candidate.lat,
            candidate.lon,
            candidate.province,
        )
    source = "region" if key.startswith("r") else "gazetteer"
    return PlaceRef(label, lat, lon, source, province)


def bad_location_reply(locator: Locator, lang: Language) -> Reply:
    """A shared location that cannot be on Earth."""
    return Reply(locator.text("bad_location", lang), lang, INTENT, request_location=True)


def expired_reply(locator: Locator, lang: Language) -> Reply:
    """A button whose search is forgotten (expired session, another replica)."""
    return Reply(locator.text("expired", lang), lang, INTENT, request_location=True)


def map_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link centred on the point."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )


def map_search_url(query: str) -> str:
    """An OpenStreetMap search for an address (for places whose point is approximate)."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"


# Internals -------------------------------------------------------------------------


def _page(
    locator: Locator,
    search: Search,
    lang: Language,
    now: datetime | None,
    intent: str,
    confidence: float,
) -> Reply:
    place, category = search.place, search.category
    label = locator.categories[category].label(lang)
    result = locator.nearest(
        place.lat,
        place.lon,
        category,
        count=DEFAULT_COUNT,
        offset=search.offset,
        open_only=search.open_only,
        now=now,
    )
    region = locator.region_for(place.lat, place.lon, place.province) or locator.default_region
    # Never log the place or coordinates above DEBUG: they locate a person.
    log.debug("search %s offset=%d open_only=%s", category, search.offset, search.open_only)
    lines: list[str] = []
    shown: list[Nearby] = list(result.hits)
    radius = _distance(locator.search_m, lang)
    if shown:
        key = "header_open" if search.open_only else "header"
        lines.append(locator.text(key, lang, category=label, place=place.name))
    elif search.offset > 0:
        lines.append(locator.text("no_more", lang, place=place.name))
    else:
        key = "none_open" if search.open_only else "none_near"
        lines.append(locator.text(key, lang, category=label, radius=radius, place=place.name))
        if result.nearest_beyond is not None:
            far = result.nearest_beyond
            lines.append(locator.text("nearest_is", lang, distance=_distance(far.distance_m, lang)))
            shown = [far]
        else:
            lines.append(
                locator.text("none_within_max", lang, max=_distance(locator.nearest_max_m, lang))
            )
    for number, hit in enumerate(shown, start=search.offset + 1):
        lines.append("")
        lines.extend(_describe(locator, number, hit, lang, now))
    tip = locator.categories[category].tip
    if tip is not None:
        lines += ["", tip.get(lang)]
    lines += ["", *_line_texts(locator, region, category, lang)]
    lines += ["", *_emergency(locator, region, lang)]
    buttons: list[Button] = []
    if result.has_more:
        buttons.append(button(locator.text("more", lang), More()))
    if not search.open_only and shown:
        buttons.append(button(locator.text("open_now", lang), OpenNow()))
    buttons.extend(_category_buttons(locator, lang, exclude=category))
    buttons.extend(
        _report_button(locator, number, hit, lang)
        for number, hit in enumerate(shown, start=search.offset + 1)
    )
    hits = tuple(_hit(h, category) for h in shown)
    return Reply(
        "\n".join(lines),
        lang,
        intent,
        confidence=round(confidence, 3),
        buttons=tuple(buttons),
        services=hits,
        place=place,
        request_location=place.source != "location",
        province=region.province,
    )


def _line_texts(locator: Locator, region: Region, category: str, lang: Language) -> list[str]:
    """ "In Ontario:" and the province's lines that fit the category."""
    home = locator.home_region(region)
    found = locator.lines_for(region, category)
    if not found:
        return []
    texts = [locator.text("lines_header", lang, region=home.name.get(lang))]
    for line in found:
        texts.extend(_line_text(locator, line, lang))
    return texts


def _line_text(locator: Locator, line: Line, lang: Language) -> list[str]:
    if isinstance(line, Naloxone):
        texts = [locator.text("naloxone_program", lang, program=line.program.get(lang))]
        if line.locator is not None:
            name = line.locator_name.get(lang) if line.locator_name else line.program.get(lang)
            texts.append(locator.text("naloxone_locator", lang, name=name, url=line.locator))
        texts.append(locator.text(f"pharmacies_{line.pharmacies}", lang))
        if line.note is not None:
            texts.append(line.note.get(lang))
        return [f"- {texts[0]}", *(f"  {t}" for t in texts[1:])]
    parts = [line.name.get(lang)]
    if line.phone:
        parts.append(line.phone)
    if line.hours:
        hours = line.hours if isinstance(line.hours, str) else line.hours.get(lang)
        parts.append(f"({hours})")
    text = "- " + " ".join(parts[:1]) + (": " + " ".join(parts[1:]) if parts[1:] else "")
    texts = [text]
    if line.description is not None:
        texts.append(f"  {line.description.get(lang)}")
    if line.website:
        texts.append(f"  {line.website}")
    return texts


def _emergency(locator: Locator, region: Region, lang: Language) -> list[str]:
    """ "Call 911" with the region's caveats; where there is no 911, only the caveat."""
    home = locator.home_region(region)
    texts = []
    number = region.emergency_number or home.emergency_number
    if number:
        texts.append(locator.text("emergency", lang, number=number))
    note = region.emergency_note or home.emergency_note
    if note is not None:
        texts.append(note.get(lang))
    return texts


def _describe(
    locator: Locator, number: int, hit: Nearby, lang: Language, now: datetime | None
) -> list[str]:
    service = hit.service
    distance = _distance(hit.distance_m, lang)
    if hit.approximate and service.where == "city" and hit.distance_m < CITY_CENTRE_M:
        # Placed at the city centre: a distance from there would be made-up precision.
        distance = locator.text("approximate_in", lang, city=service.city)
    elif hit.approximate:
        distance = locator.text("approximate", lang, distance=distance)
    elif hit.distance_m <= WALK_SHOWN_UNDER_M:
        minutes = max(1, round(hit.distance_m / WALK_M_PER_MIN))
        distance += f" ({locator.text('walk', lang, minutes=minutes)})"
    lines = [f"{number}. {service.name} \u2014 {distance}"]
    if service.status == "temporarily_closed":
        lines.append(locator.text("temp_closed", lang))
    elif service.status == "unverified":
        lines.append(locator.text("unverified", lang))
    elif _old_evidence(locator, service.evidence, now):
        assert service.evidence is not None
        lines.append(locator.text("last_confirmed", lang, year=service.evidence.year))
    if service.note is not None:
        lines.append(service.note.get(lang))
    lines.append(
        f"{service.address}, {service.city}"
        if service.address
        else f"{locator.text('no_address', lang)} ({service.city})"
    )
    lines.extend(service.eligibility)
    lines.append(_hours_line(locator, hit.hours, lang))
    if service.phone:
        lines.append(locator.text("phone", lang, phone=service.phone))
    if hit.approximate:
        query = ", ".join(
            x for x in (service.address, service.postal_code, service.city, service.province) if x
        )
        url = map_search_url(query if service.address else f"{service.name}, {query}")
    else:
        url = map_url(hit.lat, hit.lon)
    lines.append(locator.text("map", lang, url=url))
    lines.append(locator.text("checked", lang, date=service.verified.isoformat()))
    return lines


def _old_evidence(locator: Locator, evidence: date | None, now: datetime | None) -> bool:
    if evidence is None:
        return False
    today = (now or datetime.now()).date()
    months = (today.year - evidence.year) * 12 + today.month - evidence.month
    return months > locator.evidence_max_months


def _hours_line(locator: Locator, hours: Hours, lang: Language) -> str:
    if hours.open is None:
        return locator.text("hours_unknown", lang)
    if hours.open:
        if hours.next_change is None:
            return locator.text("open_always", lang)
        return locator.text("open_until", lang, when=_when(locator, hours.next_change, hours, lang))
    if hours.next_change is None:
        return locator.text("closed", lang)
    return locator.text("closed_until", lang, when=_when(locator, hours.next_change, hours, lang))


def _when(locator: Locator, moment: datetime, hours: Hours, lang: Language) -> str:
    # Time formats stay in code (17:00 / 17 h); the words are finder texts.
    clock = f"{moment:%H:%M}" if lang == "en" else _clock_fr(moment)
    if hours.at is not None and moment.date() == hours.at.date():
        return locator.text("today_at", lang, time=clock)
    day = locator.text(f"weekday_{_WEEKDAYS[moment.weekday()]}", lang)
    return f"{day} {clock}"


def _clock_fr(moment: datetime) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def _distance(metres: float, lang: Language) -> str:
    # A number format (1,5 km in French), not a text: it stays in code.
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    km = metres / 1000
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return f"{text.replace('.', ',') if lang == 'fr' else text} km"


def _hit(hit: Nearby, category: str) -> ServiceHit:
    s = hit.service
    return ServiceHit(
        id=s.id,
        name=s.name,
        category=category,
        distance_m=hit.distance_m,
        open_now=hit.hours.open,
        lat=hit.lat,
        lon=hit.lon,
        address=f"{s.address}, {s.city}" if s.address else s.city,
        phone=s.phone,
        precision=s.where,
        status=s.status,
    )


def _category_buttons(locator: Locator, lang: Language, exclude: str | None) -> list[Button]:
    buttons = [
        button(c.label(lang), Category(c.id))
        for c in locator.categories.values()
        if c.id != exclude
    ]
    return buttons[:MAX_CATEGORY_BUTTONS]


def _report_button(locator: Locator, number: int, hit: Nearby, lang: Language) -> Button:
    name = hit.service.name
    if len(name) > REPORT_NAME_CHARS:
        name = name[: REPORT_NAME_CHARS - 1].rstrip() + "\u2026"
    return button(locator.text("report", lang, number=number, name=name), Report(hit.service.id))


def _category_question(
    locator: Locator, lang: Language, place: PlaceRef | None, intent: str, confidence: float
) -> Reply:
    return Reply(
        locator.text("which_category", lang),
        lang,
        intent,
        confidence=round(confidence, 3),
        buttons=tuple(_category_buttons(locator, lang, None)),
        place=place,
    )


def _short(query: str) -> str:
    query = " ".join(query.split())
    return query if len(query) <= 40 else query[:39] + "\u2026"
