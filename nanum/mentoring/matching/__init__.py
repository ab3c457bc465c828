"""Pure, vectorised batch matching of mentees to mentors (no Django imports)."""

from .pricing import candidates
from .problem import (
    MODE_EITHER,
    MODE_OFFLINE,
    MODE_ONLINE,
    MatchResult,
    Mentors,
    Pair,
    Students,
    hours_to_mask,
    mask_to_hours,
)
from .solve import explain_unmatched, greedy, solve

__all__ = [
    "MODE_EITHER",
    "MODE_OFFLINE",
    "MODE_ONLINE",
    "MatchResult",
    "Mentors",
    "Pair",
    "Students",
    "candidates",
    "explain_unmatched",
    "greedy",
    "hours_to_mask",
    "mask_to_hours",
    "solve",
]
