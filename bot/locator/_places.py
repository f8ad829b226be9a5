"""Turn typed text into a place: postal codes, towns, local names, typos; offline."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.locator._gazetteer import PROVINCE_ALIASES, Gazetteer, Place, normalize
from bot.locator._models import Region
from bot.reply import PlaceRef

log = logging.getLogger(__name__)

MAX_CANDIDATES = 6
# A name shared by towns in several provinces goes to the largest one without asking when
# it is this many times bigger than the next (London, ON; Kingston, ON; Richmond, BC).
DOMINANT_RATIO = 3.0
# Named without "in"/"near", a town whose name is an everyday word counts only if it is
# not tiny and not one of these ("naloxone hope" is not about Hope, BC).
SMALL_TOWN = 5_000
_EVERYDAY_TOWNS = frozenset(
    [
        "hope",
        "mission",
        "paradise",
        "delta",
        "central",
        "downtown",
        "uptown",
        "sunset",
        "temple",
        "trail",
        "king",
        "legacy",
        "university",
        "cathedral",
        "citadel",
        "concord",
        "jubilee",
        "lively",
        "rustic",
        "varsity",
        "annex",
        "confederation",
        "olds",
        "sundance",
        "brooks",
        "rouge",
        "evergreen",
    ]
)
# The first letter of a postal code names the province (X: Nunavut for X0A-X0C).
_POSTAL_LETTER = {
    "A": "NL",
    "B": "NS",
    "C": "PE",
    "E": "NB",
    "G": "QC",
    "H": "QC",
    "J": "QC",
    "K": "ON",
    "L": "ON",
    "M": "ON",
    "N": "ON",
    "P": "ON",
    "R": "MB",
    "S": "SK",
    "T": "AB",
    "V": "BC",
    "Y": "YT",
}

_POSTAL = re.compile(
    r"\b([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:[ -]?(\d[ABCEGHJ-NPRSTV-Z]\d))?\b",
    re.IGNORECASE,
)
# Words that introduce a place: "naloxone near V6A", "safe site in Surrey", "près de Montréal".
_ANCHOR = re.compile(
    r"\b(?:in|near|nearby|around|at|close to|next to|by|from|"
    r"pres de|proche de|autour de|a cote de|dans|a|au|aux|en|vers|sur)\s+(.+)",
)
# After an anchor these are not places ("in case", "near me", "at home").
_NOT_PLACES = frozenset(
    [
        "me",
        "here",
        "there",
        "home",
        "work",
        "school",
        "jail",
        "prison",
        "hospital",
        "town",
        "the",
        "a",
        "an",
        "my",
        "your",
        "our",
        "their",
        "this",
        "that",
        "case",
        "general",
        "pain",
        "trouble",
        "need",
        "danger",
        "crisis",
        "withdrawal",
        "bed",
        "sure",
        "fact",
        "advance",
        "time",
        "moi",
        "ici",
        "la",
        "maison",
        "chez",
        "le",
        "les",
        "un",
        "une",
        "mon",
        "ma",
        "mes",
        "cas",
        "ville",
        "downtown",
        "centre ville",
        "uptown",
    ]
)
# Said without "in"/"near", only these short province names count ("que", "man", "ont"
# and "on" are everyday French and English words).
_BARE_PROVINCE_CODES = frozenset(
    ["bc", "qc", "pei", "nwt", "nb", "ns", "nl", "ab", "sk", "mb", "yt", "nu", "nt", "nfld"]
)
# Words before a town that are not part of its name: "in downtown Toronto".
_QUALIFIERS = (
    "downtown",
    "centre ville",
    "center",
    "centre",
    "greater",
    "grand",
    "east",
    "west",
    "north",
    "south",
    "the city of",
    "city of",
    "la ville de",
    "ville de",
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "your",
        "our",
        "le",
        "la",
        "un",
        "une",
        "ma",
        "mon",
        "mes",
        "votre",
        "notre",
        "ce",
        "cette",
    ]
)
_STOP = re.compile(r"\b(?:please|pls|svp|sil vous plait|today|tonight|now|asap|maintenant)\b")
_MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """One choice when a name is ambiguous; ``key`` fits in callback data ``place:<key>``."""

    key: str
    label: str
    lat: float
    lon: float
    province: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """The text names one place."""

    place: PlaceRef


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """The name fits places in several provinces: ask which."""

    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class TooCoarse:
    """A rural postal area (second character 0) is too large to search from."""

    fsa: str
    province: str | None = None


@dataclass(frozen=True, slots=True)
class ProvinceOnly:
    """A province or territory named alone ("naloxone in Ontario"): too wide to search."""

    province: str


@dataclass(frozen=True, slots=True)
class NotFound:
    """Nothing known by that name."""

    query: str


PlaceOutcome = Found | Ambiguous | TooCoarse | ProvinceOnly | NotFound


@dataclass(frozen=True, slots=True)
class _Local:
    key: str
    name: str
    lat: float
    lon: float
    province: str

    def ref(self) -> PlaceRef:
        return PlaceRef(self.name, self.lat, self.lon, "region", self.province)


class PlaceFinder:
    """Resolves place text against region place names, then the gazetteer.

    ``common_words`` are everyday words ("hope", "mission", "paradise"): a town with such a
    name counts only after "in", "near", "à"... or as the whole message.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        regions: list[Region],
        common_words: frozenset[str] = frozenset(),
    ) -> None:
        self.gazetteer = gazetteer
        self._common = common_words
        self._local: dict[str, _Local] = {}
        self._by_key: dict[str, _Local] = {}
        for region in regions:
            for i, place in enumerate(region.places):
                local = _Local(
                    f"r{region.id[:20]}.{i}", place.name, place.lat, place.lon, region.province
                )
                self._by_key[local.key] = local
                for name in (place.name, *place.aliases):
                    self._local.setdefault(normalize(name), local)
        self._local_max_words = max((len(k.split()) for k in self._local), default=1)
        self._local_starts = frozenset(k.split()[0] for k in self._local if k.split())
        # Every word a known name can start with: a phrase starting with another word names
        # no place, so scanning a long message skips it without any look-up.
        keys = (*self._local, *PROVINCE_ALIASES)
        self._starts = gazetteer.first_words | {w for k in keys for w in k.split()[:1]}

    # Whole-text resolution -------------------------------------------------------

    def find(self, text: str) -> PlaceOutcome:
        """Resolve text that is meant to be a place."""
        query = " ".join(text.split())[:200]
        if not query:
            return NotFound(query)
        postal = _POSTAL.fullmatch(query.strip())
        if postal:
            return self._postal(postal.group(1), postal.group(2))
        key = normalize(query)
        if not key:
            return NotFound(query)
        return self._by_name(key, fuzzy=True) or NotFound(query)

    def candidate(self, key: str) -> Candidate | None:
        """The place behind a ``place:<key>`` button, if the key is known."""
        if key.startswith("g") and key[1:].isdigit():
            place = self.gazetteer.place(int(key[1:]))
            return None if place is None else _candidate(place)
        local = self._by_key.get(key)
        if local is not None:
            return Candidate(local.key, local.name, local.lat, local.lon, local.province)
        return None

    def _postal(self, fsa_code: str, ldu: str | None) -> PlaceOutcome:
        fsa_code = fsa_code.upper()
        shown = fsa_code if ldu is None else f"{fsa_code} {ldu.upper()}"
        fsa = self.gazetteer.fsas.get(fsa_code)
        if fsa is None:
            return NotFound(shown)
        if fsa.rural:
            return TooCoarse(fsa_code, fsa.province)
        # Only FSA centroids ship offline: the search centres on the FSA.
        return Found(PlaceRef(fsa_code, fsa.lat, fsa.lon, "postal_code", fsa.province))

    def _by_name(self, key: str, *, fuzzy: bool) -> PlaceOutcome | None:
        local = self._local.get(key)
        if local is not None:
            return Found(local.ref())
        name, province = _split_province(key)
        if not name:
            bare = province is not None and _bare_province(key)
            return ProvinceOnly(province) if bare and province is not None else None
        places = self.gazetteer.exact(name)
        if not places and fuzzy:
            places = self.gazetteer.fuzzy(name)
            if not places and province is None:
                local_key = _fuzzy_local(key, list(self._local))
                if local_key is not None:
                    return Found(self._local[local_key].ref())
                code = _fuzzy_province(key)
                if code is not None:
                    return ProvinceOnly(code)
        if province is not None:
            places = [p for p in places if p.province == province]
        if not places:
            return None
        return _choose(places)

    # Extraction from a longer message ----------------------------------------------

    def extract(self, text: str, *, anywhere: bool = True) -> PlaceOutcome | None:
        """A place mentioned inside ``text``, or None when there is none."""
        query = " ".join(text.split())[:300]
        if not query:
            return None
        unknown_fsa: str | None = None
        for postal in _POSTAL.finditer(query):
            if not _looks_postal(postal.group(0)):
                continue
            if postal.group(1).upper() in self.gazetteer.fsas:
                return self._postal(postal.group(1), postal.group(2))
            unknown_fsa = unknown_fsa or postal.group(1).upper()
        key = normalize(query)
        local = self._find_local(key)
        if local is not None:
            return Found(local.ref())
        whole = self._by_name(key, fuzzy=False) if len(key.split()) <= _MAX_WORDS else None
        if whole is not None:
            return whole
        for match in _ANCHOR.finditer(_STOP.sub(" ", key)):
            rest = match.group(1)
            if match.group(0).startswith("a ") and rest.split()[:1] == ["quebec"]:
                # "à Québec" is the city; "au Québec" / "en Ontario" are provinces.
                rest = "quebec city" + rest[len("quebec") :]
            found = self._after_anchor(rest)
            if found is not None:
                return found
        found = self._anywhere(key) if anywhere else None
        if found is None and unknown_fsa is not None:
            # A postal area missing from the gazetteer still names its province.
            return ProvinceOnly(postal_province(unknown_fsa))
        return found

    def _anywhere(self, key: str) -> PlaceOutcome | None:
        """A town or province named without "in"/"near": "toronto naloxone", "sites moncton".

        Longest phrase first; a one-word name must not be an everyday word; a town wins
        over a province named in the same message ("ontario, toronto").
        """
        words = key.split()
        province: ProvinceOnly | None = None
        for size in range(min(4, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                chunk = words[start : start + size]
                if chunk[0] not in self._starts:
                    continue  # _by_name finds nothing for any phrase starting here
                if any(w in _NOT_PLACES for w in chunk) or all(len(w) < 3 for w in chunk):
                    continue
                everyday = " ".join(chunk) in _EVERYDAY_TOWNS or all(
                    w in self._common for w in chunk
                )
                # "london ontario", "saint john nb": a province right after narrows the town.
                found: PlaceOutcome | None = None
                for extra in (2, 1, 0):
                    if start + size + extra <= len(words):
                        found = self._by_name(
                            " ".join(words[start : start + size + extra]), fuzzy=False
                        )
                        if isinstance(found, Found | Ambiguous) and (
                            not everyday or self._big(found, " ".join(chunk))
                        ):
                            return found
                if (
                    isinstance(found, ProvinceOnly)
                    and province is None
                    and _bare_province(" ".join(chunk))
                ):
                    province = found
        return province or self._fuzzy_anywhere(words)

    def _fuzzy_anywhere(self, words: list[str]) -> PlaceOutcome | None:
        """A misspelt town named alone ("winipeg safe site"): long, non-everyday words only."""
        for word in words:
            if len(word) < 6 or word in self._common or word in _NOT_PLACES:
                continue
            places = self.gazetteer.fuzzy(word, cutoff=88.0)
            if places and places[0].population >= SMALL_TOWN:
                return _choose(places)
        return None

    def _big(self, found: Found | Ambiguous, phrase: str) -> bool:
        if phrase in _EVERYDAY_TOWNS:
            return False
        if isinstance(found, Ambiguous):
            return True  # only when several sizeable towns share the name
        if found.place.source != "gazetteer":
            return True  # a region's own place name
        name = found.place.name.rsplit(",", 1)[0]
        town = self.gazetteer.city(name, found.place.province or "")
        return town is not None and town.population >= SMALL_TOWN

    def _find_local(self, key: str) -> _Local | None:
        words = key.split()
        for size in range(min(self._local_max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if words[start] not in self._local_starts:
                    continue  # no local name starts with this word
                phrase = " ".join(words[start : start + size])
                # Single short words ("main") are too common to count on their own.
                if size == 1 and len(phrase) < 5:
                    continue
                local = self._local.get(phrase)
                if local is not None:
                    return local
        return None

    def _after_anchor(self, rest: str) -> PlaceOutcome | None:
        for qualifier in _QUALIFIERS:
            if rest.startswith(qualifier + " ") and len(rest.split()) > len(qualifier.split()):
                found = self._after_anchor(rest[len(qualifier) + 1 :])
                if found is not None:
                    return found
        words = rest.split()[:_MAX_WORDS]
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            if phrase in _NOT_PLACES or words[0] in _DETERMINERS:
                continue
            found = self._by_name(phrase, fuzzy=False)
            if found is not None:
                log.debug("place found after an anchor")
                return found
        # Typos ("montrael", "saskatoom"), but never for everyday words.
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            if (
                phrase in _NOT_PLACES
                or len(phrase) < 5
                or words[0] in self._common
                or words[0] in _DETERMINERS
            ):
                continue
            found = self._by_name(phrase, fuzzy=True)
            if found is not None:
                log.debug("place found after an anchor")
                return found
        return None


def _split_province(key: str) -> tuple[str, str | None]:
    """ "london ontario" -> ("london", "ON"); "smithers bc" -> ("smithers", "BC")."""
    words = key.split()
    for size in (3, 2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            code = PROVINCE_ALIASES.get(tail)
            if code is not None:
                return " ".join(words[:-size]), code
    if key in PROVINCE_ALIASES:
        return "", PROVINCE_ALIASES[key]
    return key, None


def _choose(places: list[Place]) -> PlaceOutcome:
    best: dict[str, Place] = {}
    for place in places:  # largest first, so the first per province wins
        best.setdefault(place.province, place)
    ordered = sorted(best.values(), key=lambda p: -p.population)[:MAX_CANDIDATES]
    top = ordered[0]
    if len(ordered) == 1 or top.population >= DOMINANT_RATIO * max(1, ordered[1].population):
        return Found(PlaceRef(top.label, top.lat, top.lon, "gazetteer", top.province))
    return Ambiguous(tuple(_candidate(p) for p in ordered))


def _candidate(place: Place) -> Candidate:
    return Candidate(f"g{place.index}", place.label, place.lat, place.lon, place.province)


def postal_province(fsa: str) -> str:
    """The province of a postal code, from its first letter."""
    if fsa[0] == "X":
        return "NU" if fsa[:3] in ("X0A", "X0B", "X0C") else "NT"
    return _POSTAL_LETTER[fsa[0]]


def _bare_province(phrase: str) -> bool:
    """A province name that means the province even alone: full names and clear codes."""
    return phrase in _BARE_PROVINCE_CODES or (phrase in PROVINCE_ALIASES and len(phrase) >= 5)


def _fuzzy_province(key: str) -> str | None:
    """A misspelt province name ("saskatchewen", "nouveau brunswik")."""
    from rapidfuzz import fuzz, process

    if len(key) < 6:
        return None
    names = [n for n in PROVINCE_ALIASES if len(n) >= 6]
    found = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=85)
    return None if found is None else PROVINCE_ALIASES[str(found[0])]


def _fuzzy_local(key: str, names: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    if len(key) < 5:
        return None
    found = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=88)
    return None if found is None else str(found[0])


def _looks_postal(token: str) -> bool:
    # "A1A" inside prose is a postal code only when it looks like one: letters and digits
    # alternate and it is not a plain word.
    return bool(re.fullmatch(r"[A-Za-z]\d[A-Za-z](?:[ -]?\d[A-Za-z]\d)?", token))
