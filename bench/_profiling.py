"""A CPU profile of repeated in-process requests, printed for the benchmarks'
``--profile`` options (not part of the app)."""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from collections.abc import Callable


def print_cpu_profile(
    step: Callable[[int], object], rounds: int, *, cumulative: int, own: int
) -> None:
    """Run ``step(i)`` for i in 0..rounds-1 under cProfile with a CPU clock and print
    the ``cumulative`` costliest functions by cumulative time and ``own`` by own time."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for i in range(rounds):
        step(i)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(cumulative)
    stats.sort_stats("tottime").print_stats(own)
