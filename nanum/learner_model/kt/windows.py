"""The protocol's windows over a learner's answers: training chunks, the sliding
199-answer windows of evaluation, and the restart grid the app serves from.

Split from :mod:`~nanum.learner_model.kt.data` (which reads the datasets).
"""

from __future__ import annotations

from collections.abc import Iterable

from .data import MAX_LEN, Sequence

# The app restarts the recurrent context every RESTART answers (see context_start).
RESTART = MAX_LEN // 2


def chunk(seqs: Iterable[Sequence], max_len: int = MAX_LEN) -> list[Sequence]:
    """Cut sequences into consecutive chunks of at most ``max_len`` (training)."""
    out: list[Sequence] = []
    for s in seqs:
        for start in range(0, len(s), max_len):
            part = s.slice(start, start + max_len)
            if len(part) >= 2:
                out.append(part)
    return out


def eval_windows(
    seqs: Iterable[Sequence], max_len: int = MAX_LEN
) -> list[tuple[Sequence, int]]:
    """Windows that score every interaction from up to ``max_len - 1`` previous.

    Returns ``(window, first_scored)``: the first window of a learner scores
    positions 1..; each later window (sliding by one) scores its last position.
    """
    out: list[tuple[Sequence, int]] = []
    for s in seqs:
        out.append((s.slice(0, max_len), 1))
        for end in range(max_len + 1, len(s) + 1):
            out.append((s.slice(end - max_len, end), max_len - 1))
    return out


def context_start(answers: int, restart: int = RESTART) -> int:
    """Where the recurrent context of a learner with ``answers`` answers starts, as
    the app serves it: at the latest multiple of ``restart`` at least ``restart``
    answers back (0 before ``2 * restart`` answers). The context is then all answers
    up to ``2 * restart - 1``, and from then on ``restart`` to ``2 * restart - 1``,
    so a new answer never drops an old one: the state is stepped, not re-encoded
    (:class:`~nanum.learner_model.kt.inference.LearnerModel`)."""
    return 0 if answers < 2 * restart else (answers // restart - 1) * restart


def served_windows(
    seqs: Iterable[Sequence], restart: int = RESTART
) -> list[tuple[Sequence, int]]:
    """Windows that score every interaction with the context the app serves.

    The first window of a learner scores positions 1 to ``2 * restart - 1``; window
    ``k`` starts at ``k * restart`` and scores its last ``restart`` positions, so each
    position ``t`` is scored from answers ``context_start(t)`` to ``t - 1``. The
    per-position features (``extra``) still count the sliding window of
    :func:`eval_windows`: they are computed on the whole sequence first.
    """
    out: list[tuple[Sequence, int]] = []
    for s in seqs:
        out.append((s.slice(0, 2 * restart), 1))
        for start in range(restart, len(s) - restart, restart):
            out.append((s.slice(start, start + 2 * restart), restart))
    return out
