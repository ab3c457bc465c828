"""A town's services are one switchboard (issue 11 audit): mentoring is the "mentoring"
service switch, read alike by the menus, the pages, the API and mentoring's rules; the
Django admin edits it as tick boxes and refuses anything else; a town whose two old
switches disagreed keeps mentoring when the boolean goes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core import navigation
from nanum.learning.models import TenantPolicy
from nanum.learning.selectors import tenant_offers, tenant_offers_mentoring
from nanum.learning.services.applications import application_approve
from nanum.mentoring import selectors as mentoring_selectors

from .conftest import new_student

pytestmark = pytest.mark.django_db


def _member(world: Any, apply_for: Any) -> Any:
    student = new_student(world.middle_school, birth_year=2009)
    app = apply_for(student, world.pyeongchang, school_level="high")
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    return student


def _everyone_says(world: Any, student: Any) -> set[bool]:
    """What the menu, the town rule and mentoring's mentee rule say about mentoring
    for a Pyeongchang member."""
    return {
        navigation.nav_allows(student, "mentoring:home"),
        tenant_offers(tenant=world.pyeongchang, service="mentoring"),
        tenant_offers_mentoring(tenant=world.pyeongchang),
        mentoring_selectors.mentee_eligible(student, world.pyeongchang),
    }


def test_the_menu_the_town_rule_and_mentoring_agree(world, towns, apply_for):
    policy = towns["pyeongchang"]
    student = _member(world, apply_for)
    policy.services = ["lectures", "mentoring"]
    policy.save()
    assert _everyone_says(world, student) == {True}
    assert TenantPolicy.objects.get(pk=policy.pk).offers_mentoring is True
    policy.services = ["lectures", "counselling"]
    policy.save()
    assert _everyone_says(world, student) == {False}
    assert "offers_mentoring" not in {f.name for f in TenantPolicy._meta.fields}


def test_a_service_outside_the_list_is_refused_on_the_field(world, towns):
    policy = towns["pyeongchang"]
    for bad in (["lectures", "mentorship"], "mentoring", [1]):
        policy.services = bad
        with pytest.raises(ValidationError) as caught:
            policy.full_clean()
        assert set(caught.value.message_dict) == {"services"}
    policy.services = ["jump", "mentoring", "jump"]
    policy.full_clean()
    assert policy.services == ["mentoring", "jump"]  # once each, in the list's order


def _admin_data(client: Any, url: str) -> dict[str, Any]:
    """The admin change form as a browser would send it back unchanged."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "logo":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if name == "services":
            data[name] = list(value or [])
            continue
        prepared = field.prepare_value(value)
        data[name] = "" if prepared is None else prepared
    return data


def test_the_admin_edits_services_as_tick_boxes_and_refuses_others(
    world, towns, client_for
):
    policy = towns["pyeongchang"]
    client = client_for(world.admin)
    url = reverse("admin:learning_tenantpolicy_change", args=[policy.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="offers_mentoring"' not in body  # no second switch to disagree
    assert 'type="checkbox" name="services" value="mentoring"' in body

    data = _admin_data(client, url)
    data["services"] = ["lectures", "mentoring", "counselling"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert policy.services == ["lectures", "mentoring", "counselling"]
    assert tenant_offers_mentoring(tenant=world.pyeongchang)

    data["services"] = ["lectures", "mentorship"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "services" in response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert policy.services == ["lectures", "mentoring", "counselling"]


@pytest.mark.django_db(transaction=True)
def test_a_town_whose_two_switches_disagreed_keeps_mentoring(world):
    """Before the boolean went, a town with it on but no "mentoring" service (set in
    the admin) gets the service; one with neither stays without."""
    before = [("learning", "0006_home_summary")]
    after = [("learning", "0008_remove_tenantpolicy_offers_mentoring")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Policy = old.get_model("learning", "TenantPolicy")
        Policy.objects.create(
            tenant_id=world.pyeongchang.pk,
            offers_mentoring=True,
            services=["lectures", "jump"],
        )
        Policy.objects.create(
            tenant_id=world.gimpo.pk, offers_mentoring=False, services=["lectures"]
        )
        Policy.objects.create(
            tenant_id=world.seoul.pk,
            offers_mentoring=True,
            services=["lectures", "mentoring"],
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    services = dict(TenantPolicy.objects.values_list("tenant__slug", "services"))
    assert services == {
        "pyeongchang": ["lectures", "mentoring", "jump"],
        "gimpo": ["lectures"],
        "seoul": ["lectures", "mentoring"],
    }


def test_the_camp_switch_leads_to_camps_from_the_town_and_guardian_pages(
    world, towns, apply_child, client_for
):
    """Pyeongchang without camps: its page names no camp and the guardian of a member
    child gets no camp link; with the camp switch on, both lead to the camp listing
    (which opens)."""
    policy = towns["pyeongchang"]
    policy.services = ["lectures", "counselling"]
    policy.save()
    app = apply_child(world.pyeongchang, school_level="elementary")
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    camps = reverse("programs:list") + "?kind=camp&town=pyeongchang"
    camps_href = 'href="' + camps.replace("&", "&amp;") + '"'
    town = reverse("learning:town", args=["pyeongchang"])
    child = reverse("learning:guardian_child", args=[app.student_id])
    guardian = client_for(world.guardian)

    assert "?kind=camp" not in Client().get(town).content.decode()
    assert "?kind=camp" not in guardian.get(child).content.decode()
    # the services the town offers link to where they are found
    page = Client().get(town).content.decode()
    assert f'href="{reverse("mentoring:counselling")}"' in page

    policy.services = ["lectures", "counselling", "camp"]
    policy.save()
    # the camps of that town only
    assert camps_href in Client().get(town).content.decode()
    assert camps_href in guardian.get(child).content.decode()
    assert guardian.get(camps).status_code == 200
