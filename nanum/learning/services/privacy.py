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
from nanum.core.services.documents import document_delete_file

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
    """Enforce each town's retention periods (PIPA art. 21: destroy without delay).

    1. Documents of decided applications (approved, waiting, ended) are deleted, file
       and row, ``document_retention_days`` after the decision.
    2. Ended memberships, that is expired, rejected and withdrawn applications, are
       anonymised ``rejected_retention_days`` after they ended (their last change):
       the name, phone, address, school name, eligibility category, income and
       family details, the officer's reason and the guardian/applicant/verifier links
       are erased and any document left is deleted. What stays is de-identified and
       counted in the town's statistics: town, status, birth year, school level,
       grade, district and dates. The row keeps its link to the person's own account
       (deleting the account deletes it) and ``anonymised_at`` records when.

    Live applications are never touched. Safe to run twice: anonymised rows are
    skipped, and a second run finds nothing to do.
    """
    now = now or clock.now()
    docs = anonymised = 0
    for policy in TenantPolicy.objects.all():
        doc_cut = now - timedelta(days=policy.document_retention_days)
        end_cut = now - timedelta(days=policy.rejected_retention_days)
        doc_qs = Document.objects.filter(
            application__tenant_id=policy.tenant_id,
            application__status__in=(*ENDED, Status.APPROVED, Status.WAITING),
            application__decided_at__lt=doc_cut,
        )
        for doc in doc_qs.iterator():
            document_delete_file(doc.file.name)
            doc.delete()
            docs += 1
        ended = Application.objects.filter(
            tenant_id=policy.tenant_id,
            status__in=ENDED,
            updated_at__lt=end_cut,
            anonymised_at__isnull=True,
        ).values_list("pk", flat=True)
        for pk in list(ended.iterator()):
            anonymised += _anonymise(pk, now)
    if docs or anonymised:
        audit_record(
            actor=None,
            action="learning.privacy.purge",
            object_type="learning",
            after={"documents": docs, "anonymised": anonymised},
        )
    return {"documents": docs, "anonymised": anonymised}


@transaction.atomic
def _anonymise(pk: int, now: Any) -> int:
    app = (
        Application.objects.select_for_update()
        .filter(pk=pk, status__in=ENDED, anonymised_at__isnull=True)
        .first()
    )
    if app is None:  # changed meanwhile (renewed, or another run got it)
        return 0
    for doc in Document.objects.filter(application=app):
        document_delete_file(doc.file.name)
        doc.delete()
    app.full_name = ""
    app.phone = ""
    app.address = ""
    app.school_name = ""
    app.school = None
    app.category = ""
    app.sensitive = None
    app.reason = ""
    app.guardian = None
    app.guardian_consent_at = None
    app.applicant = None
    app.verified_by = None
    app.anonymised_at = now
    app.save()
    return 1
