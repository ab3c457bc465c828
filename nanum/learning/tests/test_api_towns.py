"""API twins of the town self-service pages: the page and the API give the same
answer, the same refusal (404 for another town, 403 where the page refuses), refuse
bad input in the caller's language with nothing written, and write the same audit
rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from nanum.core.models import AuditLog, Organisation, Tenant, User
from nanum.learning.models import SeatAllocation, TenantNotice, TenantPolicy

from .test_town_self_service import rules_post, town_post

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/officer/towns"
NOT_SELECTED = ("school_levels", "categories", "services")


def call(
    method: str, path: str, token: str, body: Any = None, lang: str | None = None
) -> Any:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if lang:
        extra["HTTP_ACCEPT_LANGUAGE"] = lang
    client = Client()
    send = getattr(client, method)
    if body is None:
        return send(path, **extra)
    return send(path, body, content_type="application/json", **extra)


def as_json(form: dict[str, Any], world: Any) -> dict[str, Any]:
    """The API body for what ``town_post``/``rules_post`` send to the page."""
    out: dict[str, Any] = {}
    for key, value in form.items():
        if key.startswith("seats_"):
            continue
        if key in ("residence_required", "is_open"):
            out[key] = value == "on"
        elif key in NOT_SELECTED:
            out[key] = list(value)
        elif key.startswith(("min_", "max_", "quota_", "income_")):
            out[key] = int(value) if value != "" else None
        else:
            out[key] = value
    for key in ("residence_required", "is_open"):
        out.setdefault(key, False)
    seats = form.get(f"seats_{world.provider_org.pk}")
    if seats:
        out["seats"] = [{"provider_id": world.provider_org.pk, "seats": int(seats)}]
    return out


def audit(action: str) -> list[tuple[Any, ...]]:
    return [
        (a.actor_id, a.action, a.object_type, a.tenant_id, a.before, a.after)
        for a in AuditLog.objects.filter(action=action).order_by("pk")
    ]


def nothing_written() -> tuple[int, int, int, int]:
    return (
        Tenant.objects.count(),
        Organisation.objects.count(),
        AuditLog.objects.count(),
        TenantNotice.objects.count(),
    )


# --- Adding a town -------------------------------------------------------------------


def test_admin_adds_a_town_page_and_api_alike(world, towns, client_for, api_token):
    page = client_for(world.admin).post(reverse("learning:town_new"), town_post(world))
    assert page.status_code == 302
    body = as_json(town_post(world, slug="danyang2"), world)
    r = call("post", API, api_token(world.admin), body)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["slug"] == "danyang2" and made["has_logo"] is False
    assert [(x["provider_id"], x["seats"], x["used"]) for x in made["seats"]] == [
        (world.provider_org.pk, 30, 0)
    ]
    first = TenantPolicy.objects.get(tenant__slug="danyang")
    second = TenantPolicy.objects.get(tenant__slug="danyang2")
    keys = made["rules"].keys()
    assert {k: getattr(first, k) for k in keys} == made["rules"]
    assert {k: getattr(second, k) for k in keys} == made["rules"]
    rows = AuditLog.objects.filter(action="learning.town.create").order_by("pk")
    assert [(a.actor_id, a.object_type) for a in rows] == [
        (world.admin.pk, "learning.TenantPolicy")
    ] * 2
    page_after, api_after = (a.after or {} for a in rows)
    assert page_after.pop("slug") == "danyang" and api_after.pop("slug") == "danyang2"
    assert page_after == api_after
    seats = [a.after for a in AuditLog.objects.filter(action="learning.town.seats")]
    assert len(seats) == 2 and seats[0] == seats[1]


@pytest.mark.parametrize("who", ["pyeongchang_officer", "student"])
def test_only_an_administrator_adds_a_town_on_both(
    world, towns, client_for, api_token, who
):
    user: User = getattr(world, who)
    token = api_token(user)
    before = nothing_written()
    page = client_for(user).post(reverse("learning:town_new"), town_post(world))
    r = call("post", API, token, as_json(town_post(world), world))
    assert page.status_code == r.status_code == 403
    assert r.json()["code"] == "forbidden"
    assert r["Content-Type"].startswith("application/problem+json")
    assert nothing_written() == before


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"max_age": "7"}, "max_age"),
        ({"quota_middle": "-5"}, "quota_middle"),
        ({"income_line_pct": "250"}, "income_line_pct"),
        ({"quota_total": "50"}, "quota_total"),
        ({"school_levels": []}, "school_levels"),
        ({"slug": "seoul"}, "slug"),
        ({"slug": "Dan yang!"}, "slug"),
        ({"kind": "galaxy"}, "kind"),
        ({"officer_username": "nobody"}, "officer_username"),
        ({"primary_colour": "red"}, "primary_colour"),
        ({}, "seats"),  # the page lists only real providers: the API alone
    ],
)
def test_bad_town_is_refused_alike_in_both_languages(
    world, towns, client_for, api_token, over, field
):
    token = api_token(world.admin)
    before = nothing_written()
    form = town_post(world, **over)
    body = as_json(form, world)
    if field == "seats":
        body["seats"] = [{"provider_id": 10**9, "seats": 3}]
    client = client_for(world.admin)
    for lang in ("ko", "en"):
        client.cookies["nanum_language"] = lang
        r = call("post", API, token, body, lang=lang)
        assert r.status_code == 422, r.content
        problem = r.json()
        assert problem["code"] == "invalid_input"
        messages = [e["message"] for e in problem["errors"] if e["field"] == field]
        assert messages, problem
        # the page's choice field refuses a kind itself, in its own words
        if field not in ("kind", "seats"):
            page = client.post(reverse("learning:town_new"), form)
            errors = page.context["form"].errors[field]
            assert [str(e) for e in errors] == messages
        with override(lang):
            assert problem["title"] == gettext("Some fields are not valid.")
    assert nothing_written() == before


@pytest.mark.parametrize(
    "body",
    [
        {"min_age": "six"},
        {"min_age": 10**12},
        {"school_levels": "elementary"},
        {"slug": "x" * 41},
        {"name_ko": "가" * 201},
        {"seats": [{"provider_id": 0, "seats": 1}]},
        {"seats": [{"provider_id": 1, "seats": 2**40}]},
    ],
)
def test_malformed_town_is_a_422_problem_and_writes_nothing(
    world, towns, api_token, body
):
    token = api_token(world.admin)
    before = nothing_written()
    r = call("post", API, token, as_json(town_post(world), world) | body)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input" and r.json()["errors"]
    assert nothing_written() == before


# --- A town's officers keep it -------------------------------------------------------


def test_town_list_is_the_same_and_scoped(world, towns, client_for, api_token):
    for user, slugs in (
        (world.pyeongchang_officer, ["pyeongchang"]),
        (world.admin, None),
    ):
        page = client_for(user).get(reverse("learning:town_list"))
        r = call("get", API, api_token(user))
        assert r.status_code == 200
        page_slugs = [p.tenant.slug for p in page.context["towns"]]
        assert [t["slug"] for t in r.json()["items"]] == page_slugs
        assert r.json()["count"] == len(page_slugs)
        if slugs is not None:
            assert page_slugs == slugs
    assert len(call("get", API, api_token(world.admin)).json()["items"]) == 3
    page = client_for(world.student).get(reverse("learning:town_list"))
    r = call("get", API, api_token(world.student))
    assert page.status_code == r.status_code == 403


def test_editor_gives_the_same_answer(
    world, towns, provider_seats, client_for, api_token
):
    TenantNotice.objects.create(tenant=world.pyeongchang, title="여름", body="안내")
    TenantNotice.objects.create(tenant=world.gimpo, title="김포만")
    page = client_for(world.pyeongchang_officer).get(
        reverse("learning:town_edit", args=["pyeongchang"])
    )
    r = call("get", f"{API}/pyeongchang", api_token(world.pyeongchang_officer))
    assert page.status_code == r.status_code == 200
    data = r.json()
    ctx = page.context
    assert data["year"] == ctx["year"]
    assert [n["id"] for n in data["notices"]] == [n.pk for n in ctx["notices"]]
    assert [n["title"] for n in data["notices"]] == ["여름"]
    assert {s["provider_id"]: s["seats"] for s in data["seats"]} == {
        pid: a.seats for pid, a in ctx["allocations"].items()
    }
    assert data["rules"]["max_age"] == ctx["rules_form"].initial["max_age"]
    assert data["tagline_ko"] == ctx["page_form"].initial["tagline_ko"]
    notices = call(
        "get", f"{API}/pyeongchang/notices", api_token(world.pyeongchang_officer)
    ).json()
    assert notices["count"] == 1 and set(notices) == {
        "count",
        "items",
        "limit",
        "offset",
    }


def _endpoints(world: Any, notice: TenantNotice) -> list[tuple[str, str, str, Any]]:
    """(page URL name, API method, API path, API body) of every officer endpoint."""
    policy = TenantPolicy.objects.get(tenant=world.pyeongchang)
    rules = as_json(rules_post(policy, max_age="10"), world)
    return [
        ("town_edit", "get", f"{API}/pyeongchang", None),
        ("town_rules", "put", f"{API}/pyeongchang/rules", rules),
        (
            "town_page",
            "put",
            f"{API}/pyeongchang/page",
            {"tagline_ko": "바뀜", "primary_colour": "#123456"},
        ),
        (
            "town_seats",
            "put",
            f"{API}/pyeongchang/seats",
            {"seats": [{"provider_id": world.provider_org.pk, "seats": 9}]},
        ),
        ("town_notice_add", "post", f"{API}/pyeongchang/notices", {"title": "x"}),
        ("town_notice_add", "get", f"{API}/pyeongchang/notices", None),
        (
            "town_notice_delete",
            "delete",
            f"{API}/pyeongchang/notices/{notice.pk}",
            None,
        ),
    ]


def _page(client: Client, name: str, notice: TenantNotice) -> Any:
    args = (
        ["pyeongchang", notice.pk] if name == "town_notice_delete" else ["pyeongchang"]
    )
    url = reverse(f"learning:{name}", args=args)
    if name == "town_edit":
        return client.get(url)
    return client.post(url, {"title": "x", "max_age": "10", "primary_colour": "#1"})


@pytest.mark.parametrize("who", ["gimpo_officer", "seoul_officer", "student", "mentor"])
def test_other_towns_and_roles_are_refused_alike(
    world, towns, client_for, api_token, who
):
    user = getattr(world, who)
    notice = TenantNotice.objects.create(tenant=world.pyeongchang, title="공지")
    policy = TenantPolicy.objects.get(tenant=world.pyeongchang)
    token = api_token(user)
    before = (policy.max_age, policy.tagline_ko, nothing_written())
    expected = 404 if who.endswith("officer") else 403
    client = client_for(user)
    for name, method, path, body in _endpoints(world, notice):
        page = _page(client, name, notice)
        r = call(method, path, token, body)
        assert page.status_code == r.status_code == expected, (name, method)
        assert r.json()["code"] == ("not_found" if expected == 404 else "forbidden")
    policy.refresh_from_db()
    assert (policy.max_age, policy.tagline_ko, nothing_written()) == before
    assert not SeatAllocation.objects.exists()


def test_notice_of_another_town_is_not_found_on_both(
    world, towns, client_for, api_token
):
    notice = TenantNotice.objects.create(tenant=world.gimpo, title="김포")
    page = client_for(world.pyeongchang_officer).post(
        reverse("learning:town_notice_delete", args=["pyeongchang", notice.pk])
    )
    r = call(
        "delete",
        f"{API}/pyeongchang/notices/{notice.pk}",
        api_token(world.pyeongchang_officer),
    )
    assert page.status_code == r.status_code == 404
    assert TenantNotice.objects.filter(pk=notice.pk).exists()


def _restore(policy: TenantPolicy, tenant_colour: str) -> None:
    policy.save()
    Tenant.objects.filter(pk=policy.tenant_id).update(primary_colour=tenant_colour)


@pytest.mark.parametrize("who", ["pyeongchang_officer", "admin"])
def test_changes_write_the_same_audit_rows(
    world, towns, provider_seats, client_for, api_token, who
):
    user = getattr(world, who)
    policy = TenantPolicy.objects.get(tenant=world.pyeongchang)
    colour = policy.tenant.primary_colour
    client = client_for(user)
    token = api_token(user)
    pid = world.provider_org.pk
    changes = [
        (
            "learning.town.rules",
            "town_rules",
            rules_post(policy, max_age="20", services=["lectures", "jump"]),
            "put",
            "rules",
            as_json(
                rules_post(policy, max_age="20", services=["lectures", "jump"]), world
            ),
        ),
        (
            "learning.town.page",
            "town_page",
            {
                "tagline_ko": "새 문구",
                "page_text_ko": "안내",
                "primary_colour": "#123456",
            },
            "put",
            "page",
            {
                "tagline_ko": "새 문구",
                "page_text_ko": "안내",
                "primary_colour": "#123456",
            },
        ),
        (
            "learning.town.seats",
            "town_seats",
            {f"seats_{pid}": "12"},
            "put",
            "seats",
            {"seats": [{"provider_id": pid, "seats": 12}]},
        ),
        (
            "learning.town.notice.add",
            "town_notice_add",
            {"title": "여름방학 안내", "body": "본문"},
            "post",
            "notices",
            {"title": "여름방학 안내", "body": "본문"},
        ),
    ]
    for action, name, form, method, tail, body in changes:
        saved = TenantPolicy.objects.get(pk=policy.pk)
        page = client.post(reverse(f"learning:{name}", args=["pyeongchang"]), form)
        assert page.status_code == 302, (name, page.content.decode()[:500])
        by_page = audit(action)
        state = TenantPolicy.objects.get(pk=policy.pk)
        AuditLog.objects.filter(action=action).delete()
        TenantNotice.objects.all().delete()
        _restore(saved, colour)
        SeatAllocation.objects.filter(tenant=world.pyeongchang).update(seats=5)
        r = call(method, f"{API}/pyeongchang/{tail}", token, body)
        assert r.status_code in (200, 201), r.content
        assert audit(action) == by_page and len(by_page) == 1
        after = TenantPolicy.objects.get(pk=policy.pk)
        fields = [
            f.attname
            for f in TenantPolicy._meta.concrete_fields
            if not getattr(f, "auto_now", False)
        ]
        assert [getattr(after, f) for f in fields] == [
            getattr(state, f) for f in fields
        ]
        if tail == "notices":
            assert r.json()["title"] == "여름방학 안내"
        else:
            assert r.json()["slug"] == "pyeongchang"
    notice = TenantNotice.objects.get()
    r = call("delete", f"{API}/pyeongchang/notices/{notice.pk}", token)
    assert r.status_code == 204
    assert audit("learning.town.notice.delete") == [
        (
            user.pk,
            "learning.town.notice.delete",
            "learning.TenantNotice",
            world.pyeongchang.pk,
            {"title": "여름방학 안내"},
            None,
        )
    ]
    assert (
        call("delete", f"{API}/pyeongchang/notices/{notice.pk}", token).status_code
        == 404
    )


def test_bad_changes_are_refused_alike_and_change_nothing(
    world, towns, provider_seats, client_for, api_token
):
    officer = world.pyeongchang_officer
    policy = TenantPolicy.objects.get(tenant=world.pyeongchang)
    alloc = provider_seats["pyeongchang"]
    SeatAllocation.objects.filter(pk=alloc.pk).update(used=3)
    client = client_for(officer)
    token = api_token(officer)
    pid = world.provider_org.pk
    before = (nothing_written(), policy.max_age, policy.services)
    cases = [
        (
            "town_rules",
            rules_post(policy, min_age="15", max_age="10"),
            "put",
            "rules",
            as_json(rules_post(policy, min_age="15", max_age="10"), world),
            "rules_form",
            "max_age",
        ),
        (
            "town_page",
            {"primary_colour": "red"},
            "put",
            "page",
            {"primary_colour": "red"},
            "page_form",
            "primary_colour",
        ),
        (
            "town_seats",
            {f"seats_{pid}": "2"},
            "put",
            "seats",
            {"seats": [{"provider_id": pid, "seats": 2}]},
            "seats_form",
            "__all__",
        ),
        (
            "town_notice_add",
            {"title": "  "},
            "post",
            "notices",
            {"title": "  "},
            "notice_form",
            "title",
        ),
    ]
    for name, form, method, tail, body, ctx_form, field in cases:
        for lang in ("en", "ko"):
            client.cookies["nanum_language"] = lang
            page = client.post(reverse(f"learning:{name}", args=["pyeongchang"]), form)
            assert page.status_code == 422
            page_errors = [str(e) for e in page.context[ctx_form].errors[field]]
            r = call(method, f"{API}/pyeongchang/{tail}", token, body, lang=lang)
            assert r.status_code == 422, r.content
            assert [e["message"] for e in r.json()["errors"]] == page_errors, name
    policy.refresh_from_db()
    alloc.refresh_from_db()
    assert (nothing_written(), policy.max_age, policy.services) == before
    assert alloc.seats == 5
    assert not AuditLog.objects.filter(action__startswith="learning.town").exists()
