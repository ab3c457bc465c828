"""PreparedRead: the SQL is compiled once, each call gives what the queryset gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from nanum.core.models import Organisation, Role, RoleAssignment, Tenant, User
from nanum.core.prepared import PreparedRead
from nanum.core.testing import OrganisationFactory, TenantFactory, make_user

pytestmark = pytest.mark.django_db


def _tenant(slug: str, joined: date | None) -> Tenant:
    return TenantFactory.create(slug=slug, joined_on=joined)


def _assign(user: User, role: str, org: Organisation, **kw: object) -> None:
    RoleAssignment.objects.create(
        user=user, role=role, organisation=org, tenant=org.tenant, **kw
    )


ROLES: PreparedRead[RoleAssignment] = PreparedRead(
    lambda user_id: (
        RoleAssignment.objects.filter(user_id=user_id, is_active=True)
        .select_related("organisation")
        .order_by("pk")
    ),
    user_id=int,
)


def test_model_rows_and_their_related_objects_match_the_queryset() -> None:
    school, bank = OrganisationFactory.create(), OrganisationFactory.create()
    ann, bob = make_user("ann"), make_user("bob")
    _assign(ann, Role.TEACHER, school)
    _assign(ann, Role.BANK_STAFF, bank)
    _assign(ann, Role.MENTOR, school, is_active=False)
    _assign(bob, Role.STUDENT, bank)
    for user in (ann, bob, ann):  # compiled at the first call, replayed after
        expected = list(
            RoleAssignment.objects.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("pk")
        )
        with CaptureQueriesContext(connection) as ctx:
            got = ROLES(user_id=user.pk)
            names = [r.organisation.name_ko for r in got]  # no query: joined
        assert len(ctx.captured_queries) == 1
        assert [(r.pk, r.role, r.user_id) for r in got] == [
            (r.pk, r.role, r.user_id) for r in expected
        ]
        assert names == [r.organisation.name_ko for r in expected]
        assert all(isinstance(r, RoleAssignment) for r in got)
    assert ROLES(user_id=999_999) == []


def test_values_dates_and_a_parameter_used_twice() -> None:
    _tenant("a", date(2024, 3, 1))
    _tenant("b", date(2025, 3, 1))
    _tenant("c", None)
    joined: PreparedRead[dict[str, Any]] = PreparedRead(
        lambda since, pk: (
            Tenant.objects.filter(
                Q(joined_on__gte=since) | Q(joined_on__isnull=True) | Q(pk=pk)
            )
            .filter(Q(pk__gte=pk) | Q(pk__lt=pk))
            .order_by("slug")
            .values("slug", "joined_on")
        ),
        since=date,
        pk=int,
    )
    first = Tenant.objects.get(slug="a").pk
    assert joined(since=date(2025, 1, 1), pk=-1) == [
        {"slug": "b", "joined_on": date(2025, 3, 1)},
        {"slug": "c", "joined_on": None},
    ]
    assert [r["slug"] for r in joined(since=date(2026, 1, 1), pk=first)] == ["a", "c"]
    assert [r["slug"] for r in joined(since=date(2020, 1, 1), pk=-1)] == [
        "a",
        "b",
        "c",
    ]


def test_flat_values_list_and_refusals() -> None:
    user = make_user("cy", Role.TEACHER, OrganisationFactory.create())
    roles: PreparedRead[str] = PreparedRead(
        lambda user_id: RoleAssignment.objects.filter(user_id=user_id).values_list(
            "role", flat=True
        ),
        user_id=int,
    )
    assert roles(user_id=user.pk) == [Role.TEACHER]
    ignored: PreparedRead[User] = PreparedRead(
        lambda user_id: User.objects.all(), user_id=int
    )
    with pytest.raises(ValueError, match="user_id"):
        ignored(user_id=user.pk)
    with pytest.raises(TypeError):
        PreparedRead(lambda name: User.objects.filter(username=name), name=str)
