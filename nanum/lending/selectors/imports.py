"""Reads of catalogue import jobs: each job is seen only by the person who started it."""

from __future__ import annotations

from nanum.core.errors import NotFound
from nanum.core.models import User

from ..models import ImportJob


def import_job_get(*, actor: User, job_id: int) -> ImportJob:
    """The import job ``job_id`` started by ``actor`` (``NotFound`` for anyone else)."""
    job = ImportJob.objects.filter(pk=job_id, actor_id=actor.pk).first()
    if job is None:
        raise NotFound()
    return job
