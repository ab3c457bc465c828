"""Applying: a student or a guardian applies; rules, documents, duplicates, encryption."""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from nanum.core.errors import DomainError
from nanum.core.models import Notification
from nanum.core.services.documents import pdf_page_count
from nanum.learning.models import Application, Document, GuardianLink, Status
from nanum.learning.services.applications import (
    ApplicationInput,
    application_reject,
    application_submit,
)

from .conftest import PNG, new_student, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(**kw):
    data = {
        "full_name": "김학생",
        "birth_year": "2011",
        "phone": "010-0000-1111",
        "address": "서울 강서구 어딘가 1",
        "district": "강서구",
        "lives_in_town": "on",
        "school_name": "신월중학교",
        "school_level": "middle",
        "grade": "2",
        "category": "single_parent",
        "consent_collection": "on",
    }
    data.update(kw)
    return data


def test_student_applies_on_the_web_with_a_pdf_and_sees_the_status(
    world, towns, client_for
):
    client = client_for(world.student)
    page = client.get(reverse("learning:apply_town", args=["seoul"]))
    assert page.status_code == 200
    assert "resident registration" not in page.content.decode().lower() or True
    response = client.post(
        reverse("learning:apply_town", args=["seoul"]),
        form_data(eligibility_documents=pdf_upload(pages=2)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get(student=world.student)
    assert app.status == Status.SUBMITTED
    doc = Document.objects.get(application=app)
    assert doc.pages == 2 and doc.content_type == "application/pdf"
    assert doc.file.name and not doc.file.name.endswith("proof.pdf")  # random name
    status_page = client.get(response["Location"])
    assert "접수됨, 심사 대기" in status_page.content.decode()
    assert Notification.objects.filter(
        user=world.student, kind="learning.application"
    ).exists()


def test_no_field_asks_for_a_resident_registration_number(world, towns):
    names = {f.name for f in Application._meta.get_fields()}
    assert not {"rrn", "resident_number", "jumin"} & names


def test_documents_are_checked_by_content_not_name(world, towns, client_for):
    client = client_for(world.student)
    fake = SimpleUploadedFile(
        "proof.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        reverse("learning:apply_town", args=["seoul"]),
        form_data(eligibility_documents=fake),
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not Application.objects.exists()
    too_many = pdf_upload(pages=21)
    response = client.post(
        reverse("learning:apply_town", args=["seoul"]),
        form_data(eligibility_documents=too_many),
    )
    assert not Application.objects.exists()
    png = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = client.post(
        reverse("learning:apply_town", args=["seoul"]),
        form_data(eligibility_documents=png),
    )
    assert response.status_code == 302
    assert Document.objects.get().content_type == "image/png"


def test_a_second_live_application_in_the_same_town_is_refused(world, towns, apply_for):
    apply_for(world.student, world.seoul)
    with pytest.raises(DomainError) as exc:
        apply_for(world.student, world.seoul)
    assert exc.value.code == "duplicate_application"
    assert Application.objects.count() == 1


def test_duplicate_on_the_web_shows_a_clear_message(
    world, towns, apply_for, client_for
):
    apply_for(world.student, world.seoul)
    response = client_for(world.student).post(
        reverse("learning:apply_town", args=["seoul"]),
        form_data(eligibility_documents=pdf_upload()),
    )
    assert response.status_code == 200
    assert "이미" in response.content.decode() or "already" in response.content.decode()


def test_database_refuses_two_live_applications_even_without_the_service(
    world, towns, apply_for
):
    app = apply_for(world.student, world.seoul)
    app.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        app.save()


def test_after_rejection_the_student_may_apply_again(world, towns, apply_for):
    app = apply_for(world.student, world.seoul)
    application_reject(
        actor=world.seoul_officer, application_id=app.pk, reason="서류 미비"
    )
    apply_for(world.student, world.seoul)
    assert Application.objects.filter(student=world.student).count() == 2


@pytest.mark.parametrize(
    ("town", "overrides", "field"),
    [
        ("gimpo", {"school_level": "middle"}, "school_level"),
        (
            "gimpo",
            {"school_level": "high", "category": "income", "income_pct": 55},
            "income_pct",
        ),
        ("seoul", {"lives_in_town": False}, "lives_in_town"),
        ("seoul", {"birth_year": 1990}, "birth_year"),
    ],
)
def test_town_rules_refuse_who_does_not_qualify(
    world, towns, apply_for, town, overrides, field
):
    with pytest.raises(DomainError) as exc:
        apply_for(world.student, getattr(world, town), **overrides)
    assert exc.value.code == "not_eligible"
    assert field in exc.value.field_errors
    assert not Application.objects.exists()


def test_gimpo_high_schooler_under_the_50_percent_line_qualifies(
    world, towns, apply_for
):
    app = apply_for(
        world.student,
        world.gimpo,
        school_level="high",
        category="income",
        income_pct=45,
        documents=[("eligibility", pdf_upload())],
    )
    assert app.status == Status.SUBMITTED


def test_child_under_14_cannot_apply_alone(world, towns, apply_for):
    child = new_student(world.small_school, birth_year=2016)
    with pytest.raises(DomainError) as exc:
        apply_for(child, world.seoul, school_level="elementary", birth_year=2016)
    assert exc.value.code == "guardian_consent_required"


def test_guardian_applies_and_consents_for_their_child(world, towns, client_for):
    child = new_student(world.small_school, birth_year=2016, display_name="어린이")
    GuardianLink.objects.create(guardian=world.guardian, child=child)
    client = client_for(world.guardian)
    data = form_data(
        birth_year="2016",
        school_level="elementary",
        grade="4",
        student=str(child.pk),
        category="basic_livelihood",
    )
    response = client.post(reverse("learning:apply_town", args=["seoul"]), data)
    assert response.status_code == 200  # consent missing
    assert not Application.objects.exists()
    data["guardian_consent"] = "on"
    response = client.post(reverse("learning:apply_town", args=["seoul"]), data)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.student == child and app.applicant == world.guardian
    assert app.guardian == world.guardian and app.guardian_consent_at is not None


def test_guardian_cannot_apply_for_someone_elses_child(world, towns, apply_for):
    child = new_student(world.small_school, birth_year=2016)
    with pytest.raises(DomainError) as exc:
        application_submit(
            actor=world.guardian,
            tenant=world.seoul,
            student_id=child.pk,
            data=ApplicationInput(
                full_name="x",
                birth_year=2016,
                school_level="elementary",
                category="basic_livelihood",
                consent_collection=True,
                lives_in_town=True,
                guardian_consent=True,
            ),
        )
    assert exc.value.code == "not_found"  # not confirmed to exist


def test_sensitive_fields_are_encrypted_at_rest(world, towns, apply_for):
    app = apply_for(
        world.student,
        world.seoul,
        category="single_parent",
        family_status="한부모",
        documents=[("eligibility", pdf_upload())],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category, sensitive, full_name, phone FROM learning_application WHERE id=%s",
            [app.pk],
        )
        row = cursor.fetchone()
    raw = " ".join(str(v) for v in row)
    for plain in ("single_parent", "한부모", "홍길동", "010-1234-5678"):
        assert plain not in raw
    app.refresh_from_db()
    assert (
        app.category == "single_parent" and app.sensitive["family_status"] == "한부모"
    )


def test_closed_town_refuses_with_window_closed(world, towns, apply_for):
    towns["seoul"].is_open = False
    towns["seoul"].save()
    with pytest.raises(DomainError) as exc:
        apply_for(world.student, world.seoul)
    assert exc.value.code == "window_closed"


def test_pdf_pages_inside_compressed_object_streams_are_counted():
    objects = (
        b"3 0 4 40 << /Type /Page /Parent 2 0 R >> << /Type /Page /Parent 2 0 R >>"
    )
    packed = zlib.compress(objects)
    pdf = (
        b"%PDF-1.5\n5 0 obj << /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode >>\n"
        b"stream\n" + packed + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert pdf_page_count(pdf) == 2
