"""The public front door at ``/``: what Nanum is, programmes open now, the Seoul Learn
towns and how to apply, what the K-STEM Bank lends, and signing in — for visitors, in
Korean and English. Signed-in users keep their role home; ``/favicon.ico`` is served."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import Tenant
from nanum.core.testing import PASSWORD, World
from nanum.learning.models import TenantPolicy
from nanum.lending.models import Category, EquipmentModel
from nanum.programs.models import Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _equipment(tenant: Tenant, code: str, ko: str, en: str, **kw: object) -> None:
    EquipmentModel.objects.create(
        tenant=tenant, code=code, name_ko=ko, name_en=en, **kw
    )


@pytest.fixture
def public_world(world: World) -> World:
    now = timezone.now()
    make_programme(
        world.centre_staff, world.centre, name_ko="열린 캠프", name_en="Open camp"
    )
    make_programme(
        world.centre_staff,
        world.centre,
        name_ko="마감된 교실",
        name_en="Closed class",
        apply_opens_at=now - timedelta(days=10),
        apply_closes_at=now - timedelta(days=1),
    )
    make_programme(
        world.centre_staff,
        world.centre,
        name_ko="준비 중 교실",
        name_en="Draft class",
        publish=False,
    )
    TenantPolicy.objects.create(
        tenant=world.seoul,
        tagline_ko="누구나 배울 수 있게",
        tagline_en="Learning for everyone",
    )
    TenantPolicy.objects.create(tenant=world.pyeongchang, is_open=False)
    world.gimpo.status = Tenant.Status.ENDED
    world.gimpo.save()
    TenantPolicy.objects.create(tenant=world.gimpo)
    _equipment(
        world.seoul,
        "scope",
        "디지털 현미경",
        "Digital microscope",
        category=Category.SCIENCE,
    )
    _equipment(
        world.seoul,
        "sensor",
        "과학 센서 세트",
        "Science sensor set",
        category=Category.SCIENCE,
    )
    _equipment(
        world.seoul,
        "bit",
        "마이크로비트 학급 세트",
        "micro:bit class set",
        category=Category.AI_SW,
    )
    _equipment(
        world.seoul,
        "old",
        "퇴역 망원경",
        "Retired telescope",
        category=Category.SCIENCE,
        is_active=False,
    )
    _equipment(
        world.gimpo,
        "gimpo-kit",
        "김포 수학 교구",
        "Gimpo maths kit",
        category=Category.MATHS,
    )
    return world


def _main(body: str) -> str:
    return body.split("<main", 1)[1].split("</main>", 1)[0]


def test_visitor_sees_what_is_open_in_korean(client: Client, public_world: World):
    response = client.get("/")
    assert response.status_code == 200
    main = _main(response.content.decode())
    # programmes open now, linked to their public page; not closed or unpublished ones
    open_camp = Programme.objects.get(name_ko="열린 캠프")
    assert "열린 캠프" in main
    assert reverse("programs:detail", args=[open_camp.pk]) in main
    assert "마감된 교실" not in main and "준비 중 교실" not in main
    assert reverse("programs:list") in main
    # the towns taking applications, linked to their pages; how to apply
    assert reverse("learning:town", args=["seoul"]) in main
    assert "누구나 배울 수 있게" in main
    assert reverse("learning:town", args=["pyeongchang"]) not in main  # closed
    assert reverse("learning:town", args=["gimpo"]) not in main  # ended
    assert "신청 방법" in main and reverse("learning:towns") in main
    # what the bank lends: live catalogue only, counted by category
    assert "디지털 현미경" in main and "마이크로비트 학급 세트" in main
    assert "교구 2종" in main  # two active science models
    assert "퇴역 망원경" not in main  # inactive
    assert "김포 수학 교구" not in main  # an ended town's catalogue
    # signing in and signing up
    assert f'action="{reverse("core:login")}"' in main
    assert reverse("core:signup") in main


def test_visitor_sees_it_in_english(public_world: World):
    client = Client(headers={"Accept-Language": "en"})
    main = _main(client.get("/").content.decode())
    assert "Programmes open now" in main
    assert "Open camp" in main
    assert "Digital microscope" in main and "2 kinds of equipment" in main
    assert "How to apply" in main
    assert "Seoul Learn" in main and "Learning for everyone" in main
    assert "Create an account" in main


def test_an_empty_site_says_so_rather_than_showing_empty_lists(client: Client, world):
    main = _main(client.get("/").content.decode())
    assert "지금 신청을 받는 프로그램이 없습니다." in main
    assert "지금 신청을 받는 지역이 없습니다." in main
    assert "교구 목록을 준비하고 있습니다." in main


def test_signing_in_from_the_front_door_lands_on_the_role_home(
    client: Client, public_world: World
):
    response = client.post(
        reverse("core:login"),
        {"username": "teacher", "password": PASSWORD, "next": "/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    body = response.content.decode()
    assert "김선생" in body  # the role home, not the front door
    assert "지금 신청할 수 있는 프로그램" not in body


def test_front_door_has_no_inline_styles_and_no_htmx(client: Client, public_world):
    body = client.get("/").content.decode()
    assert "style=" not in body and "<style" not in body
    assert "htmx" not in body
    assert 'rel="icon"' in body


def test_favicon_is_served_and_cached(client: Client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]
