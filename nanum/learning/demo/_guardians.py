"""Demo: the guardian's children under 14 in every state the journey needs.

- 정어린 (the core demo's ``child``): applied by the guardian, waiting for the
  officer, with the family-relationship certificate attached;
- 정하늘: approved, relationship confirmed, no lecture site yet (the guardian
  chooses it, opens it for the child and gives the child a sign-in);
- 정바다: applied without the certificate, so the officer's queue warns and the
  approval is refused until it comes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Min
from django.utils import timezone

from nanum.core.models import User

from ..models import Application, StudyDay
from ..services import (
    ApplicationInput,
    application_add_documents,
    application_approve,
    application_submit,
    child_register,
)


def _certificate() -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n"
        b"2 0 obj << /Type /Page /Parent 1 0 R >> endobj\ntrailer << >>\n%%EOF\n"
    )
    return SimpleUploadedFile(
        "가족관계증명서.pdf", body, content_type="application/pdf"
    )


def _apply(
    guardian: User, child: User, tenant: Any, grade: int, *, certificate: bool
) -> Application:
    return application_submit(
        actor=guardian,
        student_id=child.pk,
        tenant=tenant,
        data=ApplicationInput(
            full_name=child.display_name,
            birth_year=child.birth_year or 2016,
            school_level="elementary",
            grade=grade,
            category="near_poor",
            consent_collection=True,
            lives_in_town=True,
            guardian_consent=True,
            district="강서구",
            phone="010-0000-0002",
            school_name="신정초등학교",
            documents=[("relationship", _certificate())] if certificate else [],
        ),
    )


def seed(ctx: Any) -> list[str]:
    guardian, first = ctx.users.get("guardian"), ctx.users.get("child")
    officer, seoul = ctx.users.get("officer.seoul"), ctx.tenants.get("seoul")
    if guardian is None or officer is None or seoul is None:
        return []
    year = timezone.localdate().year
    waiting = Application.objects.filter(applicant=guardian, student=first).first()
    if waiting is not None:  # applied by the learning demo: add the certificate
        application_add_documents(
            actor=guardian,
            application_id=waiting.pk,
            documents=[("relationship", _certificate())],
        )
    haneul = child_register(actor=guardian, display_name="정하늘", birth_year=year - 11)
    member = _apply(guardian, haneul, seoul, grade=5, certificate=True)
    application_approve(
        actor=officer,
        application_id=member.pk,
        verified_on=timezone.localdate() - timedelta(days=2),
        verified_until=timezone.localdate() + timedelta(days=363),
    )
    today = timezone.localdate()
    StudyDay.objects.bulk_create(
        [
            StudyDay(student=haneul, day=today - timedelta(days=i), nanum_minutes=25)
            for i in range(1, 6)
        ],
        ignore_conflicts=True,
    )
    bada = child_register(actor=guardian, display_name="정바다", birth_year=year - 8)
    missing = _apply(guardian, bada, seoul, grade=2, certificate=False)
    # The oldest in the queue (listed last): the approvable ones come first.
    oldest = Application.objects.filter(tenant=seoul).aggregate(at=Min("submitted_at"))
    Application.objects.filter(pk=missing.pk).update(
        submitted_at=(oldest["at"] or timezone.now()) - timedelta(days=1)
    )
    return [
        "  guardian's children: 정어린 waiting with the certificate, 정하늘 approved "
        "(choose a site), 정바다 without the certificate (officer is warned)"
    ]
