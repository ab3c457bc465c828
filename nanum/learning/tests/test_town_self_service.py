"""Town self-service: an administrator adds a town from a page; its officers edit the
page, rules, seats and notices; contradictions are refused on the field; every change
is audited; other towns' officers see nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Organisation, Role, Tenant
from nanum.core.testing import make_user
from nanum.learning.models import SeatAllocation, TenantNotice, TenantPolicy

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["nanum_language"] = "en"
    return client


def town_post(world: Any, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_ko": "단양군",
        "name_en": "Danyang",
        "slug": "danyang",
        "kind": "county",
        "programme_name_ko": "단양런",
        "programme_name_en": "Danyang Learn",
        "officer_username": "",
        "min_age": "8",
        "max_age": "19",
        "school_levels": ["elementary", "middle"],
        "categories": ["basic_livelihood", "near_poor"],
        "income_line_pct": "60",
        "residence_required": "on",
        "services": ["lectures", "counselling", "jump"],
        "quota_total": "100",
        "quota_elementary": "40",
        "quota_middle": "60",
        "quota_high": "",
        "quota_other": "",
        "min_monthly_minutes": "120",
        "is_open": "on",
        "tagline_ko": "단양 학생의 꿈",
        "tagline_en": "Danyang's students",
        "page_text_ko": "단양군 청소년을 위한 무료 온라인 강의입니다.",
        "page_text_en": "Free online lectures for Danyang's young people.",
        "primary_colour": "#2a6f4e",
        f"seats_{world.provider_org.pk}": "30",
    }
    data.update(over)
    return data


def test_admin_adds_a_town_that_is_live_at_once(world, towns, client_for):
    officer = make_user("danyang.officer", None, None)
    client = client_for(world.admin)
    response = client.post(
        reverse("learning:town_new"),
        town_post(world, officer_username=officer.username),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant = Tenant.objects.get(slug="danyang")
    policy = TenantPolicy.objects.get(tenant=tenant)
    assert policy.school_levels == ["elementary", "middle"]
    assert policy.categories == ["basic_livelihood", "near_poor"]
    assert policy.services == ["lectures", "counselling", "jump"]
    assert policy.quota_total == 100 and policy.quota_middle == 60
    assert policy.offers_mentoring is False
    assert SeatAllocation.objects.get(tenant=tenant).seats == 30
    assert officer.has_role(Role.TENANT_OFFICER)
    assert AuditLog.objects.filter(action="learning.town.create").exists()
    page = Client().get(reverse("learning:town", args=["danyang"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "단양군 청소년을 위한 무료 온라인 강의입니다." in body
    assert reverse("learning:apply_town", args=["danyang"]) in body


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"max_age": "7"}, "max_age", "The age range is empty"),
        ({"quota_middle": "-5"}, "quota_middle", "A quota cannot be below zero"),
        ({"income_line_pct": "250"}, "income_line_pct", "The income line"),
        ({"quota_total": "50"}, "quota_total", "add up to more than the total"),
        ({"quota_high": "10"}, "quota_high", "does not accept this school level"),
        ({"school_levels": []}, "school_levels", "at least one school level"),
        ({"slug": "seoul"}, "slug", "already uses this address"),
        ({"officer_username": "nobody"}, "officer_username", "no account"),
        ({"primary_colour": "red"}, "primary_colour", "#1f5fa8"),
    ],
)
def test_contradictions_are_refused_on_the_field(
    world, towns, client_for, over, field, message
):
    before = Tenant.objects.count()
    response = english(client_for(world.admin)).post(
        reverse("learning:town_new"), town_post(world, **over)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(str(e) for e in form.errors[field])
    assert Tenant.objects.count() == before
    assert not Organisation.objects.filter(code="danyang-hall").exists()


def test_refusals_are_in_korean_by_default(world, towns, client_for):
    response = client_for(world.admin).post(
        reverse("learning:town_new"), town_post(world, max_age="7")
    )
    assert "나이 범위가 비어 있습니다" in response.content.decode()


def test_only_an_administrator_adds_a_town(world, towns, client_for):
    for user in (world.pyeongchang_officer, world.student):
        client = client_for(user)
        assert client.get(reverse("learning:town_new")).status_code == 403
        assert (
            client.post(reverse("learning:town_new"), town_post(world)).status_code
            == 403
        )
    assert not Tenant.objects.filter(slug="danyang").exists()


def rules_post(policy: TenantPolicy, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "min_age": str(policy.min_age),
        "max_age": str(policy.max_age),
        "school_levels": list(policy.school_levels),
        "categories": list(policy.categories),
        "income_line_pct": str(policy.income_line_pct),
        "residence_required": "on",
        "services": list(policy.services),
        "quota_total": "",
        "quota_elementary": "",
        "quota_middle": "",
        "quota_high": "",
        "quota_other": "",
        "min_monthly_minutes": "0",
        "is_open": "on",
    }
    data.update(over)
    return data


def test_officer_edits_rules_page_seats_and_notices(world, towns, client_for):
    policy = towns["pyeongchang"]
    client = client_for(world.pyeongchang_officer)
    url = reverse("learning:town_edit", args=["pyeongchang"])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("learning:town_rules", args=["pyeongchang"]),
        rules_post(policy, services=["lectures", "counselling"], max_age="20"),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.services == ["lectures", "counselling"] and policy.max_age == 20
    log = AuditLog.objects.get(action="learning.town.rules")
    assert log.actor == world.pyeongchang_officer
    assert log.before is not None and log.after is not None
    assert log.before["max_age"] == 24 and log.after["max_age"] == 20
    response = client.post(
        reverse("learning:town_page", args=["pyeongchang"]),
        {"tagline_ko": "새 문구", "primary_colour": "#123456", "page_text_ko": "안내"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.tagline_ko == "새 문구"
    assert Tenant.objects.get(slug="pyeongchang").primary_colour == "#123456"
    response = client.post(
        reverse("learning:town_seats", args=["pyeongchang"]),
        {f"seats_{world.provider_org.pk}": "12"},
    )
    assert response.status_code == 302
    assert SeatAllocation.objects.get(tenant=world.pyeongchang).seats == 12
    client.post(
        reverse("learning:town_notice_add", args=["pyeongchang"]),
        {"title": "여름방학 안내", "body": "..."},
    )
    notice = TenantNotice.objects.get(tenant=world.pyeongchang)
    client.post(reverse("learning:town_notice_delete", args=["pyeongchang", notice.pk]))
    assert not TenantNotice.objects.filter(pk=notice.pk).exists()
    assert AuditLog.objects.filter(action="learning.town.notice.delete").exists()


def test_seats_never_below_those_held(world, towns, provider_seats, client_for):
    alloc = provider_seats["pyeongchang"]
    alloc.used = 3
    alloc.save()
    response = english(client_for(world.pyeongchang_officer)).post(
        reverse("learning:town_seats", args=["pyeongchang"]),
        {f"seats_{world.provider_org.pk}": "2"},
    )
    assert response.status_code == 422
    assert "cannot go below the 3 already held" in response.content.decode()
    alloc.refresh_from_db()
    assert alloc.seats == 5


def test_bad_rules_change_nothing(world, towns, client_for):
    policy = towns["pyeongchang"]
    response = client_for(world.pyeongchang_officer).post(
        reverse("learning:town_rules", args=["pyeongchang"]),
        rules_post(policy, min_age="15", max_age="10", services=["lectures", "jump"]),
    )
    assert response.status_code == 422
    assert "max_age" in response.context["rules_form"].errors
    policy.refresh_from_db()
    assert policy.min_age == 6 and policy.services == ["lectures"]
    assert not AuditLog.objects.filter(action="learning.town.rules").exists()


@pytest.mark.parametrize(
    "name",
    ["town_edit", "town_rules", "town_page", "town_seats", "town_notice_add"],
)
def test_another_towns_officer_sees_nothing(world, towns, client_for, name):
    policy = towns["pyeongchang"]
    before = (policy.max_age, policy.tagline_ko)
    for user in (world.gimpo_officer, world.seoul_officer):
        client = client_for(user)
        url = reverse(f"learning:{name}", args=["pyeongchang"])
        response = (
            client.get(url)
            if name == "town_edit"
            else client.post(url, rules_post(policy, max_age="10", title="x"))
        )
        assert response.status_code == 404
    for user in (world.student, world.mentor):
        url = reverse(f"learning:{name}", args=["pyeongchang"])
        assert client_for(user).get(url).status_code in (403, 405)
    policy.refresh_from_db()
    assert (policy.max_age, policy.tagline_ko) == before
    assert not TenantNotice.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="learning.town").exists()


def test_notice_of_another_town_is_not_found(world, towns, client_for):
    notice = TenantNotice.objects.create(
        tenant=world.gimpo, title="김포", published_at=timezone.now()
    )
    response = client_for(world.pyeongchang_officer).post(
        reverse("learning:town_notice_delete", args=["pyeongchang", notice.pk])
    )
    assert response.status_code == 404
    assert TenantNotice.objects.filter(pk=notice.pk).exists()


def test_town_list_is_scoped(world, towns, client_for):
    response = client_for(world.pyeongchang_officer).get(reverse("learning:town_list"))
    slugs = [p.tenant.slug for p in response.context["towns"]]
    assert slugs == ["pyeongchang"]
    assert response.context["can_add"] is False
    response = client_for(world.admin).get(reverse("learning:town_list"))
    assert len(response.context["towns"]) == 3 and response.context["can_add"]
