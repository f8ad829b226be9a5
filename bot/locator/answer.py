"""Replies for "where is the nearest...": plain data for every front end. Never imports telegram.

Every search reply ends with the lines of the searched place's province that fit the
category (the naloxone program and its locator, 8-1-1, NORS...), and never points
people thousands of kilometres away: beyond ``nearest_max_km`` it names no site at all.
The texts live in categories.yaml (``texts:``).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from urllib.parse import quote_plus

from bot.locator._geo import valid_coordinates
from bot.locator._locator import DEFAULT_COUNT, Hours, Line, Locator, Nearby
from bot.locator._models import Naloxone, Region
from bot.locator._places import Ambiguous, Found, PlaceOutcome, ProvinceOnly, TooCoarse
from bot.reply import Button, Language, PlaceRef, Reply, ServiceHit
from bot.session import Session

log = logging.getLogger(__name__)

INTENT = "services"
DEFAULT_CATEGORY = "naloxone"
WALK_M_PER_MIN = 80  # about 4.8 km/h
WALK_SHOWN_UNDER_M = 2_500
MAX_CATEGORY_BUTTONS = 6
CITY_CENTRE_M = 5_000  # closer than this to a city-precision site: just "in <city>"
REPORT_NAME_CHARS = 28  # keeps "report a problem" labels on one line
_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}


# Public builders -------------------------------------------------------------------


def search_reply(
    locator: Locator,
    session: Session,
    place: PlaceRef,
    category: str,
    lang: Language,
    now: datetime | None = None,
) -> Reply:
    """The nearest services of ``category`` around ``place``; remembers the place."""
    if category not in locator.categories:
        return _category_question(locator, lang, place)
    session.lat, session.lon, session.place_name = place.lat, place.lon, place.name
    session.place_source, session.province = place.source, place.province
    session.category = category
    session.offset = 0
    session.open_only = False
    return _page(locator, session, place, lang, now)


def place_reply(
    locator: Locator,
    session: Session,
    outcome: PlaceOutcome,
    category: str,
    lang: Language,
    now: datetime | None = None,
) -> Reply:
    """Answer a typed place: search, a province's answer, ask which one, or ask again."""
    if isinstance(outcome, Found):
        return search_reply(locator, session, outcome.place, category, lang, now)
    if category in locator.categories:
        session.category = category
    if isinstance(outcome, ProvinceOnly):
        return province_reply(locator, outcome.province, category, lang)
    if isinstance(outcome, Ambiguous):
        session.choices.clear()
        for c in outcome.candidates:
            session.choices[c.key] = (c.label, c.lat, c.lon, c.province)
        name = outcome.candidates[0].label.split(",")[0]
        buttons = tuple(Button(c.label, f"place:{c.key}") for c in outcome.candidates)
        return Reply(locator.text("which_place", lang, name=name), lang, INTENT,
                     buttons=buttons)
    if isinstance(outcome, TooCoarse) and outcome.province is not None:
        # A rural area still names its province: its lines, and ask for the town.
        reply = province_reply(locator, outcome.province, category, lang)
        text = locator.text("too_coarse", lang, fsa=outcome.fsa) + "\n\n" + reply.text
        return dataclasses.replace(reply, text=text)
    if isinstance(outcome, TooCoarse):
        text = locator.text("too_coarse", lang, fsa=outcome.fsa)
    else:
        text = locator.text("not_found", lang, query=_short(outcome.query))
    return Reply(text, lang, INTENT, request_location=True)


def province_reply(locator: Locator, province: str, category: str, lang: Language) -> Reply:
    """A province named alone ("naloxone in Ontario"): its lines and locator, no search."""
    if category not in locator.categories:
        category = DEFAULT_CATEGORY
    region = locator.province_region(province)
    if region is None:
        return Reply(locator.text("not_found", lang, query=province), lang, INTENT,
                     request_location=True)
    label = locator.categories[category].label(lang)
    lines = [locator.text("province_answer", lang, category=label, region=region.name.get(lang))]
    lines += _line_texts(locator, region, category, lang)[1:]  # the header says the province
    lines += ["", locator.text("province_hint", lang)]
    lines += ["", *_emergency(locator, region, lang)]
    buttons = _category_buttons(locator, lang, exclude=category)
    return Reply("\n".join(lines), lang, INTENT, buttons=tuple(buttons), request_location=True,
                 extra={"province": region.province})


def location_reply(
    locator: Locator,
    session: Session,
    lat: float,
    lon: float,
    lang: Language,
    category: str | None = None,
    now: datetime | None = None,
) -> Reply:
    """Answer a shared location (exact; no geocoding)."""
    try:
        ok = valid_coordinates(float(lat), float(lon))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        return Reply(locator.text("bad_location", lang), lang, INTENT, request_location=True)
    chosen = category or session.category or DEFAULT_CATEGORY
    place = PlaceRef(locator.text("your_location", lang), float(lat), float(lon), "location")
    return search_reply(locator, session, place, chosen, lang, now)


def remembered_reply(
    locator: Locator, session: Session, category: str, lang: Language, now: datetime | None = None
) -> Reply | None:
    """Search ``category`` at the remembered place; None when no place is remembered."""
    place = _session_place(session)
    if place is None:
        return None
    return search_reply(locator, session, place, category, lang, now)


def action_reply(
    locator: Locator,
    session: Session,
    action: str,
    lang: Language,
    now: datetime | None = None,
) -> Reply | None:
    """Handle ``more``, ``open_now``, ``cat:<id>`` and ``place:<key>``; None for other actions."""
    if action.startswith("place:"):
        return _place_action(locator, session, action.removeprefix("place:"), lang, now)
    if action not in ("more", "open_now") and not action.startswith("cat:"):
        return None
    place = _session_place(session)
    if action.startswith("cat:"):
        category = action.removeprefix("cat:")
        if category not in locator.categories:
            return _expired(locator, lang)
        if place is None:
            session.category = category
            return _expired(locator, lang)
        return search_reply(locator, session, place, category, lang, now)
    if place is None or session.category not in locator.categories:
        return _expired(locator, lang)
    if action == "more":
        session.offset += DEFAULT_COUNT
    else:
        session.open_only = True
        session.offset = 0
    return _page(locator, session, place, lang, now)


def map_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link centred on the point."""
    return (f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}"
            f"#map=17/{lat:.5f}/{lon:.5f}")


def map_search_url(query: str) -> str:
    """An OpenStreetMap search for an address (for places whose point is approximate)."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"


# Internals -------------------------------------------------------------------------


def _place_action(
    locator: Locator, session: Session, key: str, lang: Language, now: datetime | None
) -> Reply:
    choice = session.choices.get(key)
    if choice is not None:
        label, lat, lon, province = choice
    else:
        candidate = locator.candidate(key)
        if candidate is None:
            return _expired(locator, lang)
        label, lat, lon, province = (candidate.label, candidate.lat, candidate.lon,
                                     candidate.province)
    session.choices.clear()
    category = session.category or DEFAULT_CATEGORY
    if category not in locator.categories:
        category = DEFAULT_CATEGORY
    source = "region" if key.startswith("r") else "gazetteer"
    place = PlaceRef(label, lat, lon, source, province)
    return search_reply(locator, session, place, category, lang, now)


def _session_place(session: Session) -> PlaceRef | None:
    if session.lat is None or session.lon is None:
        return None
    return PlaceRef(session.place_name or "", session.lat, session.lon,
                    session.place_source or "location", session.province)


def _page(
    locator: Locator, session: Session, place: PlaceRef, lang: Language, now: datetime | None
) -> Reply:
    category = session.category or DEFAULT_CATEGORY
    label = locator.categories[category].label(lang)
    result = locator.nearest(
        place.lat, place.lon, category, count=DEFAULT_COUNT, offset=session.offset,
        open_only=session.open_only, now=now,
    )
    region = (locator.region_for(place.lat, place.lon, place.province)
              or locator.default_region)
    # Never log the place or coordinates above DEBUG: they locate a person.
    log.debug("search %s offset=%d open_only=%s", category, session.offset, session.open_only)
    lines: list[str] = []
    shown: list[Nearby] = list(result.hits)
    radius = _distance(locator.search_m, lang)
    if shown:
        key = "header_open" if session.open_only else "header"
        lines.append(locator.text(key, lang, category=label, place=place.name))
    elif session.offset > 0:
        lines.append(locator.text("no_more", lang, place=place.name))
    else:
        key = "none_open" if session.open_only else "none_near"
        lines.append(locator.text(key, lang, category=label, radius=radius, place=place.name))
        if result.nearest_beyond is not None:
            far = result.nearest_beyond
            lines.append(locator.text("nearest_is", lang,
                                      distance=_distance(far.distance_m, lang)))
            shown = [far]
        else:
            lines.append(locator.text("none_within_max", lang,
                                      max=_distance(locator.nearest_max_m, lang)))
    for number, hit in enumerate(shown, start=session.offset + 1):
        lines.append("")
        lines.extend(_describe(locator, number, hit, lang, now))
    tip = locator.categories[category].tip
    if tip is not None:
        lines += ["", tip.get(lang)]
    lines += ["", *_line_texts(locator, region, category, lang)]
    lines += ["", *_emergency(locator, region, lang)]
    buttons: list[Button] = []
    if result.has_more:
        buttons.append(Button(locator.text("more", lang), "more"))
    if not session.open_only and shown:
        buttons.append(Button(locator.text("open_now", lang), "open_now"))
    buttons.extend(_category_buttons(locator, lang, exclude=category))
    buttons.extend(_report_button(locator, number, hit, lang)
                   for number, hit in enumerate(shown, start=session.offset + 1))
    hits = tuple(_hit(h, category) for h in shown)
    return Reply("\n".join(lines), lang, INTENT, buttons=tuple(buttons), services=hits,
                 place=place, request_location=place.source != "location",
                 extra={"province": region.province})


def _line_texts(locator: Locator, region: Region, category: str, lang: Language) -> list[str]:
    """"In Ontario:" and the province's lines that fit the category."""
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
        parts.append(f"({line.hours})")
    text = "- " + " ".join(parts[:1]) + (": " + " ".join(parts[1:]) if parts[1:] else "")
    texts = [text]
    if line.description is not None:
        texts.append(f"  {line.description.get(lang)}")
    if line.website:
        texts.append(f"  {line.website}")
    return texts


def _emergency(locator: Locator, region: Region, lang: Language) -> list[str]:
    """"Call 911" with the region's caveats; where there is no 911, only the caveat."""
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
    lines.append(f"{service.address}, {service.city}" if service.address
                 else f"{locator.text('no_address', lang)} ({service.city})")
    lines.extend(service.eligibility)
    lines.append(_hours_line(locator, hit.hours, lang))
    if service.phone:
        lines.append(locator.text("phone", lang, phone=service.phone))
    if hit.approximate:
        query = ", ".join(x for x in (service.address, service.postal_code, service.city,
                                      service.province) if x)
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
        return locator.text("open_until", lang, when=_when(hours.next_change, hours, lang))
    if hours.next_change is None:
        return locator.text("closed", lang)
    return locator.text("closed_until", lang, when=_when(hours.next_change, hours, lang))


def _when(moment: datetime, hours: Hours, lang: Language) -> str:
    clock = f"{moment:%H:%M}" if lang == "en" else _clock_fr(moment)
    if hours.at is not None and moment.date() == hours.at.date():
        return f"{'at' if lang == 'en' else 'à'} {clock}"
    return f"{_WEEKDAYS[lang][moment.weekday()]} {clock}"


def _clock_fr(moment: datetime) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def _distance(metres: float, lang: Language) -> str:
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    km = metres / 1000
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return f"{text.replace('.', ',') if lang == 'fr' else text} km"


def _hit(hit: Nearby, category: str) -> ServiceHit:
    s = hit.service
    return ServiceHit(
        id=s.id, name=s.name, category=category, distance_m=hit.distance_m,
        open_now=hit.hours.open, lat=hit.lat, lon=hit.lon,
        address=f"{s.address}, {s.city}" if s.address else s.city, phone=s.phone,
        precision=s.where, status=s.status,
    )


def _category_buttons(locator: Locator, lang: Language, exclude: str | None) -> list[Button]:
    buttons = [Button(c.label(lang), f"cat:{c.id}") for c in locator.categories.values()
               if c.id != exclude]
    return buttons[:MAX_CATEGORY_BUTTONS]


def _report_button(locator: Locator, number: int, hit: Nearby, lang: Language) -> Button:
    name = hit.service.name
    if len(name) > REPORT_NAME_CHARS:
        name = name[: REPORT_NAME_CHARS - 1].rstrip() + "\u2026"
    return Button(locator.text("report", lang, number=number, name=name),
                  f"report:{hit.service.id}")


def _category_question(locator: Locator, lang: Language, place: PlaceRef | None) -> Reply:
    return Reply(locator.text("which_category", lang), lang, INTENT,
                 buttons=tuple(_category_buttons(locator, lang, None)), place=place)


def _expired(locator: Locator, lang: Language) -> Reply:
    return Reply(locator.text("expired", lang), lang, INTENT, request_location=True)


def _short(query: str) -> str:
    query = " ".join(query.split())
    return query if len(query) <= 40 else query[:39] + "\u2026"
