"""The student's home page, kept ready: one row per student, shared by every web
process (unlike a per-process cache), so that a visit to the home is a few cheap reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HomeSummary(models.Model):
    """The slow-changing part of a student's home, computed once and stored.

    ``version`` is raised by every write that changes what the home shows (an answer,
    minutes studied, a goal, a plan, a seat, a mentoring session...); a stored part is
    used only while its own version equals it (and while its stamp - day, membership
    state, language - still matches), so a write is seen at the next visit, in every
    web process; ``steps`` (the recommendation) likewise under ``steps_version``. ``summary`` and ``steps`` are pickled by the selector that reads them.
    """

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    version = models.PositiveBigIntegerField(default=0)
    #: Raised only by the writes that change the other apps' next steps (an answer, a
    #: finished lesson, the plan, the seat): opening a lesson keeps the recommendation.
    steps_version = models.PositiveBigIntegerField(default=0)
    summary_stamp = models.CharField(max_length=200, blank=True, default="")
    summary_at = models.DateTimeField(null=True, blank=True)
    summary = models.BinaryField(blank=True, default=b"")
    steps_stamp = models.CharField(max_length=200, blank=True, default="")
    steps_at = models.DateTimeField(null=True, blank=True)
    steps = models.BinaryField(blank=True, default=b"")

    def __str__(self) -> str:
        return f"{self.student_id} · v{self.version}"
