"""The selection algorithm (a pure, NumPy-vectorised lottery with no Django in it).

It imports nothing of the app above it, so the benchmark can time it without Django.
"""

from .lottery import (
    GENERAL_SEAT,
    PRIORITY_SEAT,
    WAITLIST,
    DrawResult,
    lottery,
    reserved_places,
)

__all__ = [
    "GENERAL_SEAT",
    "PRIORITY_SEAT",
    "WAITLIST",
    "DrawResult",
    "lottery",
    "reserved_places",
]
