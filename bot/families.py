"""Topic families: when the matcher ties between close topics, cues decide or we ask.

"narcan?" ties naloxone_about, _use and _get: falling back would be the worst answer.
``families.yaml`` (its header states the rule) names the families, each member's cue
words ("where"/"où" -> get, "how"/"comment" -> use), a default member and a question.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from bot.knowledge import IntentId, PhrasesPerLanguage
from bot.layout import FAMILIES_FILE
from bot.matcher import Ranked
from bot.models import Bilingual, Strict
from bot.text import fold
from bot.yamlsource import Problem, read_model

FAMILY_FLOOR = 0.3  # a tie between weaker candidates than this is noise, not a family
FAMILY_SPREAD = 0.16  # candidates this close to the best one are "tied"


class Family(Strict):
    """One family of close topics."""

    members: tuple[IntentId, ...]
    default: IntentId | None = None
    question: Bilingual
    cues: dict[IntentId, PhrasesPerLanguage] = Field(default_factory=dict)


class FamilyFile(Strict):
    """``families.yaml``."""

    families: dict[str, Family]


@dataclass(frozen=True, slots=True)
class Resolution:
    """A tie settled: answer ``intent``, or ask ``question`` (then ``intent`` is None)."""

    intent: str | None
    tied: tuple[str, ...]  # the tied members, best first (offered as buttons)
    question: Bilingual | None = None
    cue: str | None = None  # the cue word that decided, for tests and staff


class Families:
    """Settles ties inside a family of topics."""

    def __init__(self, families: dict[str, Family], known: Collection[str]) -> None:
        self._families: list[tuple[Family, frozenset[str]]] = []
        self._cues: list[dict[str, frozenset[str]]] = []
        for family in families.values():
            members = frozenset(m for m in family.members if m in known)
            if len(members) < 2:
                continue
            self._families.append((family, members))
            self._cues.append(
                {
                    member: frozenset(fold(w) for _, w in cues.all())
                    for member, cues in family.cues.items()
                    if member in members
                }
            )

    def resolve(
        self, ranked: Sequence[Ranked], words: Sequence[str], decided: str | None = None
    ) -> Resolution | None:
        """Settle a tie among the best candidates, or None when they are not one family.

        ``decided`` is the matcher's own pick, if it made one: a cue may still move the
        answer to a tied sibling ("comment" -> use), but without a cue the pick stands.
        """
        if len(ranked) < 2 or ranked[0].score < FAMILY_FLOOR:
            return None
        top = ranked[0].score
        tied = [r.intent for r in ranked if r.score >= top - FAMILY_SPREAD]
        if len(tied) < 2:
            return None
        for (family, members), cues in zip(self._families, self._cues, strict=True):
            if ranked[0].intent not in members or ranked[1].intent not in members:
                continue
            tied = [t for t in tied if t in members]
            message = set(words)
            hits = {m: message & cues.get(m, frozenset()) for m in members}
            best = max(len(h) for h in hits.values())
            winners = [m for m, h in hits.items() if len(h) == best]
            if best and len(winners) == 1:
                others = tuple(t for t in tied if t != winners[0])
                return Resolution(winners[0], others, cue=sorted(hits[winners[0]])[0])
            if decided is not None:
                return None
            if family.default in members:
                return Resolution(family.default, tuple(t for t in tied if t != family.default))
            return Resolution(None, tuple(tied), family.question)
        return None


def load_families(root: Path, known: Collection[str]) -> tuple[Families | None, list[Problem]]:
    """Load ``families.yaml`` (optional: without it, ties get the fallback)."""
    path = root / FAMILIES_FILE
    if not path.exists():
        return None, []
    problems: list[Problem] = []
    model = read_model(path, root, FamilyFile, problems)
    if model is None:
        return None, problems
    for name, family in model.families.items():
        for member in (*family.cues, *([family.default] if family.default else [])):
            if member not in family.members:
                problems.append(
                    Problem(
                        FAMILIES_FILE, 1, f"family '{name}': '{member}' is not one of its members"
                    )
                )
    return Families(model.families, known), problems
