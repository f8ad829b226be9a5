"""The offline Canadian gazetteer: towns (population >= 500) and postal-code FSA centroids.

Built by scripts/build_gazetteer.py from GeoNames (CC BY 4.0). Loaded once, lazily.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

PROVINCES: dict[str, tuple[str, str]] = {
    # code: (English, French)
    "AB": ("Alberta", "Alberta"),
    "BC": ("British Columbia", "Colombie-Britannique"),
    "MB": ("Manitoba", "Manitoba"),
    "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "ON": ("Ontario", "Ontario"),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"),
    "QC": ("Quebec", "Québec"),
    "SK": ("Saskatchewan", "Saskatchewan"),
    "YT": ("Yukon", "Yukon"),
    "NT": ("Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "Nunavut"),
}
_EXTRA_PROVINCE_NAMES = {
    "AB": ["alta"],
    "BC": ["bc", "b c", "cb", "c b"],
    "MB": ["man"],
    "NB": ["nb", "n b"],
    "NL": ["nl", "nfld", "newfoundland", "labrador", "tnl"],
    "NS": ["ns", "n s", "ne"],
    "ON": ["ont"],
    "PE": ["pei", "p e i", "pe", "ipe", "pe i"],
    "QC": ["que", "pq", "qc"],
    "SK": ["sask"],
    "YT": ["yukon territory"],
    "NT": ["nwt", "tno"],
    "NU": [],
}


_PLAIN = re.compile(r"[a-z0-9]+")
_NOT_PLAIN = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = frozenset({"st", "ste", "mt"})  # spelled out by ``normalize``
_KEPT_TYPOS = 20_000  # typo searches kept (then the memo starts over)


def normalize_all(texts: Iterable[str]) -> frozenset[str]:
    """``{normalize(t) for t in texts}``: the already-folded ones (most of a word list's
    ~45,000) are picked out in one C pass instead of a call each."""
    unique = frozenset(texts)
    if "mt" not in unique and _PLAIN.fullmatch("".join(unique)):
        return unique  # all folded already (the bundled lists): one C pass over them all
    plain = set(filter(_PLAIN.fullmatch, unique))
    plain.discard("mt")
    return frozenset(plain).union(normalize(t) for t in unique - plain)


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: "St. John's, N.L." -> "saint johns nl"."""
    if _PLAIN.fullmatch(text) and text != "mt":
        return text  # already folded (most words of the word lists): nothing would change
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = text.replace("’", "'").replace("'", "").replace(".", "")
    words = _NOT_PLAIN.sub(" ", text).split()
    if _ABBREVIATIONS.isdisjoint(words):
        return " ".join(words)  # most names: nothing to spell out
    expanded = []
    for i, word in enumerate(words):
        if word == "st" and i + 1 < len(words):
            word = "saint"
        elif word == "ste" and i + 1 < len(words):
            word = "sainte"
        elif word == "mt":
            word = "mount"
        expanded.append(word)
    return " ".join(expanded)


def _province_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for code, (en, fr) in PROVINCES.items():
        for name in (code, en, fr, *_EXTRA_PROVINCE_NAMES[code]):
            aliases[normalize(name)] = code
    return aliases


PROVINCE_ALIASES = _province_aliases()


@dataclass(frozen=True, slots=True)
class Place:
    """A town or city."""

    index: int
    name: str
    province: str
    lat: float
    lon: float
    population: int

    @property
    def label(self) -> str:
        """ "London, ON"."""
        return f"{self.name}, {self.province}"


@dataclass(frozen=True, slots=True)
class Fsa:
    """A postal-code forward sortation area centroid."""

    code: str
    province: str
    lat: float
    lon: float
    area: str

    @property
    def rural(self) -> bool:
        """Rural FSAs (second character 0) span hundreds of kilometres."""
        return self.code[1] == "0"


class Gazetteer:
    """Lookups by exact name, fuzzy name and FSA."""

    def __init__(self, places: Sequence[Place], fsas: dict[str, Fsa]) -> None:
        self.places = list(places)
        self.fsas = fsas
        self._primary: dict[str, list[Place]] = {}
        self._alternate: dict[str, list[Place]] = {}
        self._fuzzy_keys: list[str] = []
        self._length_windows: dict[tuple[int, float], list[str]] = {}  # filled on first use
        self._typos: dict[tuple[str, float], tuple[Place, ...]] = {}
        self.first_words: frozenset[str] = frozenset()  # of every name (a cheap pre-check)

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Read the TSV written by scripts/build_gazetteer.py."""
        places: list[Place] = []
        fsas: dict[str, Fsa] = {}
        alternates: list[tuple[int, str]] = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if parts[0] == "P" and len(parts) == 7:
                    place = Place(
                        len(places),
                        parts[1],
                        parts[2],
                        float(parts[3]),
                        float(parts[4]),
                        int(parts[5]),
                    )
                    places.append(place)
                    alternates.extend((place.index, alt) for alt in parts[6].split("|") if alt)
                elif parts[0] == "F" and len(parts) == 6:
                    fsas[parts[1]] = Fsa(
                        parts[1], parts[2], float(parts[3]), float(parts[4]), parts[5]
                    )
        gazetteer = cls(places, fsas)
        gazetteer._build(alternates)
        return gazetteer

    def _build(self, alternates: list[tuple[int, str]]) -> None:
        for place in self.places:
            self._primary.setdefault(normalize(place.name), []).append(place)
        for index, alt in alternates:
            key = normalize(alt)
            bucket = self._alternate.setdefault(key, [])
            if self.places[index] not in bucket:
                bucket.append(self.places[index])
        self._fuzzy_keys = sorted(set(self._primary) | set(self._alternate))
        self.first_words = frozenset(w for k in self._fuzzy_keys for w in k.split()[:1])

    def exact(self, key: str) -> list[Place]:
        """Places whose normalized name (else an alternate name) is ``key``, largest first."""
        found = self._primary.get(key) or self._alternate.get(key) or []
        return sorted(found, key=lambda p: -p.population)

    def fuzzy(self, key: str, cutoff: float = 85.0) -> list[Place]:
        """Places whose name is close to ``key`` (typos), best match first."""
        if len(key) < 4:
            return []
        # Kept per key: every message's long words are tried, and they come back all day.
        found = self._typos.get((key, cutoff))
        if found is None:
            found = tuple(self._fuzzy(key, cutoff))
            if len(self._typos) >= _KEPT_TYPOS:
                self._typos.clear()
            self._typos[(key, cutoff)] = found
        return list(found)

    def __getstate__(self) -> dict[str, object]:
        # The typo memo holds users' words: never pickled (bot.rescache).
        return {**self.__dict__, "_typos": {}}

    def _fuzzy(self, key: str, cutoff: float) -> list[Place]:
        matches = process.extract(
            key,
            self._keys_near_length(len(key), cutoff),
            scorer=fuzz.ratio,
            limit=5,
            score_cutoff=cutoff,
        )
        if not matches:
            return []
        top = max(m[1] for m in matches)
        # Among equally good spellings, the most populous place wins.
        keys = [m[0] for m in matches if m[1] >= top - 0.01]
        found = {p for k in keys for p in self.exact(k)}
        return sorted(found, key=lambda p: -p.population)

    def _keys_near_length(self, length: int, cutoff: float) -> list[str]:
        """The names whose length allows a ratio of ``cutoff`` with a ``length``-long key.

        fuzz.ratio is at most 200 * min(a, b) / (a + b) for lengths a and b, so the other
        names can never reach the cutoff; skipping them is what makes a typo search cheap.
        Kept in the full list's order, so ties come out exactly as before.
        """
        window = self._length_windows.get((length, cutoff))
        if window is None:
            window = [
                k
                for k in self._fuzzy_keys
                if 200 * min(length, len(k)) / (length + len(k)) >= cutoff - 1e-6
            ]
            self._length_windows[(length, cutoff)] = window
        return window

    def place(self, index: int) -> Place | None:
        """The place with this row index, if any."""
        return self.places[index] if 0 <= index < len(self.places) else None

    def city(self, name: str, province: str) -> Place | None:
        """The largest place called ``name`` in ``province``."""
        for place in self.exact(normalize(name)):
            if place.province == province:
                return place
        return None
