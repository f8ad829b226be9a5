"""Replies for "where is the nearest...": plain data for every front end. Never imports telegram."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.locator._geo import valid_coordinates
from bot.locator._locator import DEFAULT_COUNT, DEFAULT_RADIUS_M, Hours, Locator, Nearby
from bot.locator._places import Ambiguous, Found, PlaceOutcome, TooCoarse
from bot.reply import Button, Language, PlaceRef, Reply, ServiceHit
from bot.session import Session

log = logging.getLogger(__name__)

INTENT = "services"
DEFAULT_CATEGORY = "naloxone"
WALK_M_PER_MIN = 80  # about 4.8 km/h
WALK_SHOWN_UNDER_M = 2_500
MAX_CATEGORY_BUTTONS = 6
FAR_DETAILS_M = 100_000  # beyond this, only say how far the nearest service is
REPORT_NAME_CHARS = 28  # keeps "report a problem" labels on one line

_T: dict[str, dict[Language, str]] = {
    "header": {"en": "{category} near {place}:", "fr": "{category} près de {place} :"},
    "header_open": {
        "en": "{category} open now near {place}:",
        "fr": "{category} ouverts maintenant près de {place} :",
    },
    "none_near": {
        "en": "I found no {category} within {radius} of {place}.",
        "fr": "Je n'ai rien trouvé ({category}) à moins de {radius} de {place}.",
    },
    "none_open": {
        "en": "Nothing in {category} is open now within {radius} of {place}.",
        "fr": "Rien n'est ouvert maintenant ({category}) à moins de {radius} de {place}.",
    },
    "nearest_is": {
        "en": "The nearest one I know is {distance} away:",
        "fr": "Le plus proche que je connais est à {distance} :",
    },
    "nearest_far": {
        "en": "The nearest one I know is {distance} away, in {city}.",
        "fr": "Le plus proche que je connais est à {distance}, à {city}.",
    },
    "none_at_all": {
        "en": "I don't know any {category} services yet.",
        "fr": "Je ne connais pas encore de services ({category}).",
    },
    "no_more": {
        "en": "That's all I know near {place}.",
        "fr": "C'est tout ce que je connais près de {place}.",
    },
    "walk": {"en": "{minutes} min walk", "fr": "{minutes} min à pied"},
    "open_until": {"en": "Open now, closes {when}", "fr": "Ouvert, ferme {when}"},
    "open_always": {"en": "Open 24/7", "fr": "Ouvert 24 h sur 24"},
    "closed_until": {"en": "Closed now, opens {when}", "fr": "Fermé, ouvre {when}"},
    "closed": {"en": "Closed now", "fr": "Fermé"},
    "hours_unknown": {
        "en": "Hours unknown: call or check before going",
        "fr": "Heures inconnues : appelez ou vérifiez avant d'y aller",
    },
    "temp_closed": {"en": "TEMPORARILY CLOSED", "fr": "FERMÉ TEMPORAIREMENT"},
    "phone": {"en": "Phone: {phone}", "fr": "Tél. : {phone}"},
    "map": {"en": "Map: {url}", "fr": "Carte : {url}"},
    "checked": {"en": "Last checked: {date}", "fr": "Vérifié le : {date}"},
    "emergency": {
        "en": "Overdose or emergency: call {number}.",
        "fr": "Surdose ou urgence : appelez le {number}.",
    },
    "more": {"en": "More results", "fr": "Plus de résultats"},
    "open_now": {"en": "Open now only", "fr": "Ouverts maintenant"},
    "which_place": {
        "en": "There is more than one {name}. Which one?",
        "fr": "Il y a plusieurs {name}. Lequel?",
    },
    "too_coarse": {
        "en": "{fsa} covers a large rural area. Which town are you in? "
        "Or share your location.",
        "fr": "{fsa} couvre une grande zone rurale. Dans quelle ville êtes-vous? "
        "Ou partagez votre position.",
    },
    "not_found": {
        "en": "Sorry, I don't know the place \u201c{query}\u201d. Try a town or a postal code "
        "(like V6A 1A1), or share your location.",
        "fr": "Désolé, je ne connais pas le lieu \u00ab {query} \u00bb. Essayez une ville ou un "
        "code postal (comme H2X 1Y4), ou partagez votre position.",
    },
    "expired": {
        "en": "That button has expired. Share your location or type a place.",
        "fr": "Ce bouton a expiré. Partagez votre position ou écrivez un lieu.",
    },
    "bad_location": {
        "en": "I couldn't read that location. Please try again, or type a town or postal code.",
        "fr": "Je n'ai pas pu lire cette position. Réessayez, ou écrivez une ville ou un "
        "code postal.",
    },
    "which_category": {
        "en": "What are you looking for?",
        "fr": "Que cherchez-vous?",
    },
    "your_location": {"en": "your location", "fr": "votre position"},
    "report": {
        "en": "⚠️ Report a problem: {number}. {name}",
        "fr": "⚠️ Signaler un problème : {number}. {name}",
    },
}
_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}


def _t(key: str, lang: Language, **values: object) -> str:
    return _T[key][lang].format(**values)


# Public builders -------------------------------------------------------------------


def search_reply(
    locator: Locator,
    session: Session,
    place: PlaceRef,
    category: str,
    lang: Language,
    now: datetime | None = None,
) -> Reply:
    """The nearest services of ``category`` around ``place``; remembers the search for buttons."""
    if category not in locator.categories:
        return _category_question(locator, lang, place)
    session.lat, session.lon, session.place_name = place.lat, place.lon, place.name
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
    """Answer a typed place: search, ask which one, or ask for a better place."""
    if isinstance(outcome, Found):
        return search_reply(locator, session, outcome.place, category, lang, now)
    if category in locator.categories:
        session.category = category
    if isinstance(outcome, Ambiguous):
        session.choices.clear()
        for c in outcome.candidates:
            session.choices[c.key] = (c.label, c.lat, c.lon)
        name = outcome.candidates[0].label.split(",")[0]
        buttons = tuple(Button(c.label, f"place:{c.key}") for c in outcome.candidates)
        return Reply(_t("which_place", lang, name=name), lang, INTENT, buttons=buttons)
    if isinstance(outcome, TooCoarse):
        text = _t("too_coarse", lang, fsa=outcome.fsa)
    else:
        text = _t("not_found", lang, query=_short(outcome.query))
    return Reply(text, lang, INTENT, request_location=True)


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
        return Reply(_t("bad_location", lang), lang, INTENT, request_location=True)
    chosen = category or session.category or DEFAULT_CATEGORY
    place = PlaceRef(_t("your_location", lang), float(lat), float(lon), "location")
    return search_reply(locator, session, place, chosen, lang, now)


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
            return _expired(lang)
        if place is None:
            session.category = category
            return _expired(lang)
        return search_reply(locator, session, place, category, lang, now)
    if place is None or session.category not in locator.categories:
        return _expired(lang)
    if action == "more":
        session.offset += DEFAULT_COUNT
    else:
        session.open_only = True
        session.offset = 0
    return _page(locator, session, place, lang, now)


# Internals -------------------------------------------------------------------------


def _place_action(
    locator: Locator, session: Session, key: str, lang: Language, now: datetime | None
) -> Reply:
    choice = session.choices.get(key)
    if choice is not None:
        label, lat, lon = choice
    else:
        candidate = locator.candidate(key)
        if candidate is None:
            return _expired(lang)
        label, lat, lon = candidate.label, candidate.lat, candidate.lon
    session.choices.clear()
    category = session.category or DEFAULT_CATEGORY
    if category not in locator.categories:
        category = DEFAULT_CATEGORY
    source = "region" if key.startswith("r") else "gazetteer"
    return search_reply(locator, session, PlaceRef(label, lat, lon, source), category, lang, now)


def _session_place(session: Session) -> PlaceRef | None:
    if session.lat is None or session.lon is None:
        return None
    return PlaceRef(session.place_name or "", session.lat, session.lon, "location")


def _page(
    locator: Locator, session: Session, place: PlaceRef, lang: Language, now: datetime | None
) -> Reply:
    category = session.category or DEFAULT_CATEGORY
    label = locator.categories[category].label(lang)
    result = locator.nearest(
        place.lat, place.lon, category, count=DEFAULT_COUNT, offset=session.offset,
        radius_m=DEFAULT_RADIUS_M, open_only=session.open_only, now=now,
    )
    region = locator.region_for(place.lat, place.lon) or locator.default_region
    # Never log the place or coordinates above DEBUG: they locate a person.
    log.debug("search %s offset=%d open_only=%s", category, session.offset, session.open_only)
    lines: list[str] = []
    shown: list[Nearby] = list(result.hits)
    radius = _distance(DEFAULT_RADIUS_M, lang)
    if shown:
        key = "header_open" if session.open_only else "header"
        lines.append(_t(key, lang, category=label, place=place.name))
    elif session.offset > 0:
        lines.append(_t("no_more", lang, place=place.name))
    elif result.nearest_beyond is not None:
        key = "none_open" if session.open_only else "none_near"
        lines.append(_t(key, lang, category=label, radius=radius, place=place.name))
        far = result.nearest_beyond
        if far.distance_m <= FAR_DETAILS_M:
            lines.append(_t("nearest_is", lang, distance=_distance(far.distance_m, lang)))
            shown = [far]
        else:
            lines.append(_t("nearest_far", lang, distance=_distance(far.distance_m, lang),
                            city=far.service.city))
    elif session.open_only:
        lines.append(_t("none_open", lang, category=label, radius=radius, place=place.name))
    else:
        lines.append(_t("none_at_all", lang, category=label))
    for number, hit in enumerate(shown, start=session.offset + 1):
        lines.append("")
        lines.extend(_describe(number, hit, lang))
    tip = locator.categories[category].tip
    if tip is not None:
        lines += ["", tip.get(lang)]
    lines += ["", _t("emergency", lang, number=region.emergency_number)]
    buttons: list[Button] = []
    if result.has_more:
        buttons.append(Button(_t("more", lang), "more"))
    if not session.open_only:
        buttons.append(Button(_t("open_now", lang), "open_now"))
    buttons.extend(_category_buttons(locator, lang, exclude=category))
    buttons.extend(_report_button(number, hit, lang)
                   for number, hit in enumerate(shown, start=session.offset + 1))
    hits = tuple(_hit(h, category, lang) for h in shown)
    return Reply("\n".join(lines), lang, INTENT, buttons=tuple(buttons), services=hits,
                 place=place, request_location=place.source != "location")


def _describe(number: int, hit: Nearby, lang: Language) -> list[str]:
    service = hit.service
    distance = _distance(hit.distance_m, lang)
    if hit.distance_m <= WALK_SHOWN_UNDER_M:
        minutes = max(1, round(hit.distance_m / WALK_M_PER_MIN))
        distance += f" ({_t('walk', lang, minutes=minutes)})"
    lines = [f"{number}. {service.name} \u2014 {distance}"]
    if service.status == "temporarily_closed":
        lines.append(_t("temp_closed", lang))
    lines.append(f"{service.address}, {service.city}")
    lines.extend(service.eligibility)
    lines.append(_hours_line(hit.hours, lang))
    if service.phone:
        lines.append(_t("phone", lang, phone=service.phone))
    lines.append(_t("map", lang, url=map_url(service.location.lat, service.location.lon)))
    lines.append(_t("checked", lang, date=service.verified.isoformat()))
    return lines


def _hours_line(hours: Hours, lang: Language) -> str:
    if hours.open is None:
        return _t("hours_unknown", lang)
    if hours.open:
        if hours.next_change is None:
            return _t("open_always", lang)
        return _t("open_until", lang, when=_when(hours.next_change, hours, lang))
    if hours.next_change is None:
        return _t("closed", lang)
    return _t("closed_until", lang, when=_when(hours.next_change, hours, lang))


def _when(moment: datetime, hours: Hours, lang: Language) -> str:
    clock = f"{moment:%H:%M}" if lang == "en" else _clock_fr(moment)
    if hours.at is not None and moment.date() == hours.at.date():
        return f"{'at' if lang == 'en' else 'à'} {clock}"
    return f"{_WEEKDAYS[lang][moment.weekday()]} {clock}"


def _clock_fr(moment: datetime) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def map_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link centred on the point."""
    return (f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}"
            f"#map=17/{lat:.5f}/{lon:.5f}")


def _distance(metres: float, lang: Language) -> str:
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    km = metres / 1000
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return f"{text.replace('.', ',') if lang == 'fr' else text} km"


def _hit(hit: Nearby, category: str, lang: Language) -> ServiceHit:
    s = hit.service
    return ServiceHit(
        id=s.id, name=s.name, category=category, distance_m=hit.distance_m,
        open_now=hit.hours.open, lat=s.location.lat, lon=s.location.lon,
        address=f"{s.address}, {s.city}", phone=s.phone,
    )


def _category_buttons(locator: Locator, lang: Language, exclude: str | None) -> list[Button]:
    buttons = [Button(c.label(lang), f"cat:{c.id}") for c in locator.categories.values()
               if c.id != exclude]
    return buttons[:MAX_CATEGORY_BUTTONS]


def _report_button(number: int, hit: Nearby, lang: Language) -> Button:
    name = hit.service.name
    if len(name) > REPORT_NAME_CHARS:
        name = name[: REPORT_NAME_CHARS - 1].rstrip() + "\u2026"
    return Button(_t("report", lang, number=number, name=name), f"report:{hit.service.id}")


def _category_question(locator: Locator, lang: Language, place: PlaceRef | None) -> Reply:
    return Reply(_t("which_category", lang), lang, INTENT,
                 buttons=tuple(_category_buttons(locator, lang, None)), place=place)


def _expired(lang: Language) -> Reply:
    return Reply(_t("expired", lang), lang, INTENT, request_location=True)


def _short(query: str) -> str:
    query = " ".join(query.split())
    return query if len(query) <= 40 else query[:39] + "\u2026"
