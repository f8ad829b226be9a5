"""A second look at messages the crisis rules and the matcher left unsure: the sentence model.

The rules (``bot.crisis``) catch the phrases staff listed; people say a wish to die in many
more ways ("the bridge on my way home looks peaceful", "merci pour toute, c'est mon dernier
message"). When the matcher falls back or is unsure, and the sentence model is loaded, the
message is compared with whole crisis messages (``crisis.yaml`` ``sentences`` and crisis
support's examples) and with everything else (the other topics' examples and ``near_misses``).
Close to the first and clearly closer than to the second: crisis support. The margin is
what tells "je vais mourir de faim" (close to both) from a goodbye.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.semantic import IntentScores

CRISIS = "crisis_support"
SENTENCES = "crisis:sentences"  # the sentence model's groups for crisis.yaml's lists
NEAR_MISSES = "crisis:near_misses"
# Groups that are not evidence either way: the alarm's own examples.
IGNORED = frozenset({"emergency"})


@dataclass(frozen=True, slots=True)
class CrisisModelTuning:
    """Chosen on the readable real sets (real_dev..real_dev6): the loosest setting whose
    model would answer crisis support to at most one in 200 of their messages that are no
    crisis (3 of 733)."""

    asked_below: float = 0.6  # the matcher's confidence under which the model is asked
    closeness: float = 0.40  # mean cosine of the 3 closest crisis messages, at least
    margin: float = 0.09  # ... and this much above the 3 closest of everything else
    k: int = 3

    def accepts(self, near: float, other: float) -> bool:
        """Whether closeness ``near`` to crisis messages and ``other`` to the rest mean crisis."""
        return near >= self.closeness and near - other >= self.margin


DEFAULT_CRISIS_MODEL = CrisisModelTuning()


def crisis_closeness(
    scores: IntentScores, tuning: CrisisModelTuning = DEFAULT_CRISIS_MODEL
) -> tuple[float, float]:
    """How close a message is to crisis messages, and to everything else."""
    crisis = frozenset({CRISIS, SENTENCES})
    near = scores.top_mean(crisis, tuning.k)
    other = scores.top_mean(crisis | IGNORED, tuning.k, inside=False)
    return near, other


def reads_as_crisis(scores: IntentScores, tuning: CrisisModelTuning = DEFAULT_CRISIS_MODEL) -> bool:
    """Whether the sentence model places the message among crisis messages."""
    return tuning.accepts(*crisis_closeness(scores, tuning))
