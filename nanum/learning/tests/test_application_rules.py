"""The application form: who applies first, only the town's categories and levels,
school level, grade and birth year agree; the retention purge of ended memberships."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import InvalidInput
from nanum.learning.models import Application, Document, Status
from nanum.learning.services._school import school_fit_errors
from nanum.learning.services.applications import application_withdraw
from nanum.learning.services.privacy import retention_purge

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 3 else today.year - 1


def test_who_is_applying_comes_first_and_only_the_towns_categories_are_offered(
    world, towns, client_for, apply_child
):
    towns["gimpo"].categories = ["basic_livelihood", "near_poor", "income"]
    towns["gimpo"].save()
    apply_child(world.seoul)  # the guardian now has a child to choose
    r = client_for(world.guardian).get(reverse("learning:apply_town", args=["gimpo"]))
    form = r.context["form"]
    assert next(iter(form.fields)) == "student"
    assert [v for v, _l in form.fields["category"].choices] == [
        "basic_livelihood",
        "near_poor",
        "income",
    ]
    assert "elementary" not in [v for v, _l in form.fields["school_level"].choices]
    html = r.content.decode()
    assert html.index('name="student"') < html.index('name="full_name"')


def test_a_2017_birth_year_is_not_middle_school_grade_3(world, towns, apply_child):
    with pytest.raises(InvalidInput) as exc:
        apply_child(
            world.seoul,
            age=YEAR - 2017,
            school_level="middle",
            grade=3,
            birth_year=2017,
        )
    assert "grade" in exc.value.field_errors
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("level", "grade", "first_age", "ok"),
    [
        ("elementary", 7, 7, False),  # grades 1-6 only
        ("middle", 4, 13, False),  # grades 1-3 only
        ("elementary", 3, 7, True),
        ("middle", 2, 13, True),
        ("high", 1, 16, True),
    ],
)
def test_grade_ranges_and_ages(level, grade, first_age, ok):
    birth_year = _school_year() - first_age - (grade - 1)
    assert (school_fit_errors(level, grade, birth_year) == {}) is ok


def test_one_year_either_way_is_accepted_two_is_not():
    by = _school_year() - 7 - 2  # usually elementary grade 3
    assert school_fit_errors("elementary", 4, by) == {}
    assert school_fit_errors("elementary", 2, by) == {}
    assert "grade" in school_fit_errors("elementary", 5, by)
    assert "grade" in school_fit_errors("none", 1, by)


def test_the_page_shows_the_mismatch_in_korean_and_saves_nothing(
    world, towns, client_for, apply_child
):
    apply_child(world.pyeongchang)
    child = world.guardian.learning_children.first().child
    r = client_for(world.guardian).post(
        reverse("learning:apply_town", args=["seoul"]),
        {
            "student": str(child.pk),
            "full_name": "정어린",
            "birth_year": "2017",
            "school_level": "middle",
            "grade": "3",
            "category": "basic_livelihood",
            "consent_collection": "on",
            "guardian_consent": "on",
            "lives_in_town": "on",
        },
    )
    assert r.status_code == 200
    assert "2017년생" in " ".join(r.context["form"].errors["grade"])
    assert Application.objects.count() == 1


# --- retention ---------------------------------------------------------------------


def test_an_ended_membership_is_anonymised_after_the_period_and_live_ones_are_kept(
    world, towns, apply_for, apply_child
):
    expired = apply_child(world.seoul, family_status="조손가정")
    Application.objects.filter(pk=expired.pk).update(
        status=Status.EXPIRED, decided_at=timezone.now()
    )
    withdrawn = apply_for(
        world.student,
        world.seoul,
        category="multicultural",
        documents=[("eligibility", pdf_upload())],
    )
    application_withdraw(actor=world.student, application_id=withdrawn.pk)
    live = apply_child(world.pyeongchang)
    later = timezone.now() + timedelta(days=366)
    assert retention_purge(now=later)["anonymised"] == 2
    for pk in (expired.pk, withdrawn.pk):
        a = Application.objects.get(pk=pk)
        assert a.anonymised_at is not None
        assert (a.full_name, a.phone, a.category, a.sensitive) == ("", "", "", None)
        assert a.guardian_id is None and a.applicant_id is None
        assert not Document.objects.filter(application=a).exists()
    kept = Application.objects.get(pk=live.pk)
    assert kept.full_name and kept.anonymised_at is None
    assert Document.objects.filter(application=kept).exists()
    # de-identified statistics still count the ended rows
    assert Application.objects.filter(tenant=world.seoul, birth_year__gt=0).count() == 2
    assert retention_purge(now=later) == {"documents": 0, "anonymised": 0}
