"""Personal data: a student's own download, exports for officers, retention purge."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from nanum.core import clock
from nanum.core.models import User
from nanum.core.services import audit_record

from ..models import (
    Application,
    Document,
    Interaction,
    PlanEntry,
    Seat,
    Status,
    StudyDay,
    TenantPolicy,
    UsageRecord,
    WeeklyGoal,
)
from .documents import document_delete_file

ENDED = (Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED)


def my_data(*, actor: User) -> dict[str, Any]:
    """Everything Seoul Learn holds about the signed-in person, decrypted."""
    apps = []
    for a in Application.objects.filter(student=actor).select_related("tenant"):
        apps.append(
            {
                "id": a.pk,
                "town": a.tenant.slug,
                "status": a.status,
                "full_name": a.full_name,
                "phone": a.phone,
                "address": a.address,
                "birth_year": a.birth_year,
                "district": a.district,
                "school": a.school_name,
                "school_level": a.school_level,
                "grade": a.grade,
                "category": a.category,
                "details": a.sensitive,
                "submitted_at": a.submitted_at,
                "decided_at": a.decided_at,
                "reason": a.reason,
                "verified_on": a.verified_on,
                "verified_until": a.verified_until,
                "valid_until": a.valid_until,
                "documents": [
                    {
                        "kind": d.kind,
                        "name": d.original_name,
                        "size": d.size,
                        "uploaded_at": d.uploaded_at,
                    }
                    for d in a.documents.all()
                ],
            }
        )
    goal = WeeklyGoal.objects.filter(student=actor).first()
    return {
        "user": {"username": actor.username, "name": str(actor), "email": actor.email},
        "applications": apps,
        "seats": list(
            Seat.objects.filter(student=actor).values(
                "ref", "provider__name_ko", "state", "assigned_at", "released_at"
            )
        ),
        "usage": list(
            UsageRecord.objects.filter(student=actor).values("day", "minutes")
        ),
        "study_days": list(
            StudyDay.objects.filter(student=actor).values(
                "day", "nanum_minutes", "provider_minutes"
            )
        ),
        "interactions": list(
            Interaction.objects.filter(student=actor).values(
                "item_id", "skills", "correct", "answer", "answered_at", "duration_ms"
            )
        ),
        "goal": {"target_minutes": goal.target_minutes, "note": goal.note}
        if goal
        else None,
        "plan": list(
            PlanEntry.objects.filter(student=actor).values(
                "weekday", "subject", "minutes"
            )
        ),
    }


def my_data_zip(*, actor: User) -> bytes:
    data = my_data(actor=actor)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "seoul-learn.json",
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
        )
        for doc in Document.objects.filter(application__student=actor):
            name = doc.file.name or ""
            if name and default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    zf.writestr(f"documents/{doc.pk}-{doc.original_name}", fh.read())
    audit_record(
        actor=actor,
        action="learning.privacy.download",
        object_type="core.User",
        object_id=str(actor.pk),
    )
    return buf.getvalue()


def retention_purge(*, now: Any = None) -> dict[str, int]:
    """Delete documents of decided applications and rejected/ended applications
    once the town's retention period has passed (PIPA: without delay)."""
    now = now or clock.now()
    docs = apps = 0
    for policy in TenantPolicy.objects.all():
        doc_cut = now - timedelta(days=policy.document_retention_days)
        app_cut = now - timedelta(days=policy.rejected_retention_days)
        doc_qs = Document.objects.filter(
            application__tenant_id=policy.tenant_id,
            application__status__in=(*ENDED, Status.APPROVED, Status.WAITING),
            application__decided_at__lt=doc_cut,
        )
        for doc in doc_qs.iterator():
            document_delete_file(doc.file.name)
            doc.delete()
            docs += 1
        with transaction.atomic():
            old = Application.objects.filter(
                tenant_id=policy.tenant_id,
                status__in=(Status.REJECTED, Status.WITHDRAWN),
                updated_at__lt=app_cut,
            )
            for doc in Document.objects.filter(application__in=old):
                document_delete_file(doc.file.name)
            n, _d = old.delete()
            apps += n
    if docs or apps:
        audit_record(
            actor=None,
            action="learning.privacy.purge",
            object_type="learning",
            after={"documents": docs, "rows": apps},
        )
    return {"documents": docs, "deleted_rows": apps}
