"""A mentor's documents: judged by their bytes on upload, stored privately, and
opened only by the mentor and by staff of the town who screen the application
(each staff download in the access log)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import AccessLog, AuditLog
from nanum.mentoring import services
from nanum.mentoring.models import MentorDocument, MentorProfile

from .conftest import mentor_input

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n"
    b"2 0 obj << /Type /Page /Parent 1 0 R >> endobj\ntrailer << >>\n%%EOF\n"
)


@pytest.fixture
def storage(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def application(world):
    return services.mentor_apply(
        actor=world.mentor, tenant=world.seoul, data=mentor_input(world)
    )


def _upload(world, profile, name="재학증명서.pdf", body=PDF) -> MentorDocument:
    return services.mentor_document_add(
        actor=world.mentor,
        profile_id=profile.pk,
        kind="enrolment",
        upload=SimpleUploadedFile(name, body, "application/pdf"),
    )


def _stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_file_is_judged_by_its_bytes_and_a_refusal_keeps_nothing(
    world, application, storage, client_for
):
    page = client_for(world.mentor).post(
        reverse("mentoring:documents", args=[application.pk]),
        {
            "kind": "enrolment",
            "file": SimpleUploadedFile(
                "재학증명서.pdf", b"<html><script>alert(1)</script>", "application/pdf"
            ),
        },
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert page.status_code == 200
    assert "재학증명서.pdf 파일은 PDF, JPG, PNG가 아닙니다." in page.content.decode()
    assert not MentorDocument.objects.exists() and not _stored(storage)
    with pytest.raises(DomainError) as exc:
        _upload(world, application, body=b"%PDF-1.4 no pages, no end")
    assert exc.value.field_errors and "file" in exc.value.field_errors
    assert not MentorDocument.objects.exists() and not _stored(storage)
    # a PNG named .pdf is a PNG: stored and later served as one
    doc = _upload(world, application, body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    stored_name = doc.file.name or ""
    assert stored_name.startswith("mentoring/documents/")
    assert stored_name.endswith(".png") and len(_stored(storage)) == 1
    r = client_for(world.mentor).get(reverse("mentoring:document_file", args=[doc.pk]))
    assert r["Content-Type"] == "image/png"


def test_the_mentor_and_the_towns_staff_download_it_nobody_else(
    world, application, storage, client, client_for
):
    doc = _upload(world, application)
    url = reverse("mentoring:document_file", args=[doc.pk])
    own = client_for(world.mentor).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("attachment;")
    assert f'filename="enrolment-{doc.pk}.pdf"' in own["Content-Disposition"]
    assert "no-store" in own["Cache-Control"]
    assert not AccessLog.objects.filter(object_type="mentoring.MentorDocument").exists()

    staff = client_for(world.seoul_officer).get(url)
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == PDF
    log = AccessLog.objects.get(object_type="mentoring.MentorDocument")
    assert (log.actor, log.subject, log.action, log.object_id) == (
        world.seoul_officer,
        world.mentor,
        "download",
        str(doc.pk),
    )

    for stranger in (world.pyeongchang_officer, world.student, world.researcher):
        client.logout()
        assert client_for(stranger).get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    missing = reverse("mentoring:document_file", args=[doc.pk + 1000])
    assert client_for(world.seoul_officer).get(missing).status_code == 404
    assert AccessLog.objects.filter(object_type="mentoring.MentorDocument").count() == 1


def test_a_document_whose_file_is_gone_is_not_found_not_a_500(
    world, application, storage, client_for
):
    doc = _upload(world, application)
    default_storage.delete(doc.file.name or "")
    url = reverse("mentoring:document_file", args=[doc.pk])
    assert client_for(world.seoul_officer).get(url).status_code == 404
    assert client_for(world.mentor).get(url).status_code == 404


def test_the_screening_page_and_the_mentors_page_link_each_document(
    world, application, storage, client_for
):
    doc = _upload(world, application)
    href = reverse("mentoring:document_file", args=[doc.pk])
    staff_page = client_for(world.seoul_officer).get(
        reverse("mentoring:staff_mentor", args=[application.pk])
    )
    assert f'href="{href}"' in staff_page.content.decode()
    own_page = client_for(world.mentor).get(
        reverse("mentoring:documents", args=[application.pk])
    )
    assert f'href="{href}"' in own_page.content.decode()


def test_documents_are_deleted_180_days_after_the_decision_and_twice_is_safe(
    world, application, storage
):
    decided = _upload(world, application)
    waiting_profile = services.mentor_apply(
        actor=world.student, tenant=world.seoul, data=mentor_input(world)
    )
    waiting = services.mentor_document_add(
        actor=world.student,
        profile_id=waiting_profile.pk,
        kind="enrolment",
        upload=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
    )
    now = timezone.now()
    MentorProfile.objects.filter(pk=application.pk).update(
        status=MentorProfile.Status.REJECTED, screened_at=now - timedelta(days=179)
    )
    MentorProfile.objects.filter(pk=waiting_profile.pk).update(
        screened_at=now - timedelta(days=400)  # still applied: kept
    )
    assert services.mentor_documents_purge(now=now) == 0
    assert len(_stored(storage)) == 2

    later = now + timedelta(days=2)  # 181 days after the decision
    assert services.mentor_documents_purge(now=later) == 1
    assert not MentorDocument.objects.filter(pk=decided.pk).exists()
    assert MentorDocument.objects.filter(pk=waiting.pk).exists()
    assert [p.name for p in _stored(storage)] == [Path(waiting.file.name or "").name]
    assert AuditLog.objects.filter(action="mentoring.documents.purge").count() == 1
    assert services.mentor_documents_purge(now=later) == 0
    assert AuditLog.objects.filter(action="mentoring.documents.purge").count() == 1
