"""Fixtures for Seoul Learn tests: town policies, providers and quick applications."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nanum.core.models import Organisation, Role, User
from nanum.core.testing import make_user
from nanum.learning.models import ProviderProfile, SeatAllocation, TenantPolicy
from nanum.learning.services.applications import ApplicationInput, application_submit
from nanum.learning.services.guardians import child_register

_n = itertools.count(1)


def pdf_bytes(pages: int = 1) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n"
    body += b"".join(
        b"2 0 obj << /Type /Page /Parent 1 0 R >> endobj\n" for _ in range(pages)
    )
    return body + b"trailer << >>\n%%EOF\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "proof.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The home page summary is cached per student id; ids repeat between tests."""

    cache.clear()


@pytest.fixture
def towns(world: Any) -> dict[str, TenantPolicy]:
    seoul = TenantPolicy.objects.create(
        tenant=world.seoul,
        quota_total=None,
        income_line_pct=60,
        services=["lectures", "mentoring"],
    )
    pc = TenantPolicy.objects.create(
        tenant=world.pyeongchang,
        quota_total=220,
        quota_elementary=40,
        quota_middle=80,
        quota_high=100,
        min_monthly_minutes=180,
        school_levels=["elementary", "middle", "high"],
        services=["lectures"],
    )
    gimpo = TenantPolicy.objects.create(
        tenant=world.gimpo,
        quota_total=300,
        income_line_pct=50,
        school_levels=["high"],
        services=["lectures", "mentoring"],
        priority=["basic_livelihood", "near_poor", "income"],
    )
    return {"seoul": seoul, "pyeongchang": pc, "gimpo": gimpo}


@pytest.fixture
def provider_seats(world: Any, towns: Any) -> dict[str, SeatAllocation]:
    year = timezone.localdate().year
    ProviderProfile.objects.create(
        organisation=world.provider_org,
        launch_url="https://lecture.example/nanum",
        handoff_secret="provider-secret-for-tests",
    )
    return {
        slug: SeatAllocation.objects.create(
            tenant=policy.tenant, provider=world.provider_org, year=year, seats=5
        )
        for slug, policy in towns.items()
    }


def new_student(org: Organisation, birth_year: int = 2010, **kw: Any) -> User:
    return make_user(f"s{next(_n)}", Role.STUDENT, org, birth_year=birth_year, **kw)


@pytest.fixture
def apply_for(world: Any, towns: Any) -> Callable[..., Any]:
    """``apply_for(student, tenant, **overrides)``: a submitted application."""

    def _apply(student: User, tenant: Any, **kw: Any) -> Any:
        data: dict[str, Any] = {
            "full_name": "홍길동",
            "birth_year": student.birth_year or 2010,
            "school_level": "middle",
            "category": "basic_livelihood",
            "consent_collection": True,
            "lives_in_town": True,
            "district": "강서구",
            "phone": "010-1234-5678",
        }
        data.update(kw)
        return application_submit(
            actor=student, tenant=tenant, data=ApplicationInput(**data)
        )

    return _apply


@pytest.fixture
def apply_child(world: Any, towns: Any) -> Callable[..., Any]:
    """``apply_child(tenant, age=9, **overrides)``: a guardian adds a child under 14
    and applies for them with consent and the family-relationship certificate."""

    def _apply(
        tenant: Any, age: int = 9, guardian: User | None = None, **kw: Any
    ) -> Any:
        guardian = guardian or world.guardian
        year = timezone.localdate().year
        child = child_register(
            actor=guardian, display_name=f"어린이{next(_n)}", birth_year=year - age
        )
        data: dict[str, Any] = {
            "full_name": child.display_name,
            "birth_year": year - age,
            "school_level": "elementary",
            "category": "basic_livelihood",
            "consent_collection": True,
            "lives_in_town": True,
            "district": "강서구",
            "phone": "010-1234-5678",
            "guardian_consent": True,
            "documents": [("relationship", pdf_upload("family.pdf"))],
        }
        data.update(kw)
        return application_submit(
            actor=guardian,
            tenant=tenant,
            student_id=child.pk,
            data=ApplicationInput(**data),
        )

    return _apply


@pytest.fixture
def officer_for(world: Any) -> Callable[[str], User]:
    return lambda slug: {
        "seoul": world.seoul_officer,
        "pyeongchang": world.pyeongchang_officer,
        "gimpo": world.gimpo_officer,
    }[slug]
