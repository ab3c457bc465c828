"""A town's logo (issue 11, town self-service): its officer replaces or removes it on
the town's edit page or through the API twin, with the same answer, the same refusal
and the same audit row. A file is judged by its bytes, not its name or declared type:
a page disguised as a PNG, or an SVG with a script, an event handler or a link, is
refused on the field and changes nothing. The logo is served with the type of what it
is and a policy that lets it run and load nothing, even when opened on its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from nanum.core.models import AuditLog
from nanum.learning.models import TenantPolicy

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/officer/towns"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PLAIN_SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#2a7"/>'
    "</linearGradient></defs>"
    '<rect width="64" height="64" fill="url(#g)"/><text x="8" y="40">평창</text></svg>'
).encode()
BAD_FILES = {
    "page disguised as a png": (
        "logo.png",
        b"<html><script>alert(1)</script></html>",
        "image/png",
    ),
    "script in an svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
    ),
    "event handler in an svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "image/svg+xml",
    ),
    "link out of an svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="https://evil.example">'
        b"<rect/></a></svg>",
        "image/svg+xml",
    ),
    "too large": ("logo.png", PNG + b"\x00" * (512 * 1024), "image/png"),
}


@pytest.fixture(autouse=True)
def _storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def page_form(policy: TenantPolicy, **extra: Any) -> dict[str, Any]:
    return {
        "tagline_ko": policy.tagline_ko,
        "tagline_en": policy.tagline_en,
        "page_text_ko": policy.page_text_ko,
        "page_text_en": policy.page_text_en,
        "primary_colour": policy.tenant.primary_colour,
        **extra,
    }


def api(method: str, token: str, file: SimpleUploadedFile | None = None, **kw: Any):
    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}", **kw}
    if file is None:
        return getattr(client, method)(f"{API}/pyeongchang/logo", **extra)
    return client.post(f"{API}/pyeongchang/logo", {"logo": file}, **extra)


def logo_rows() -> list[tuple[Any, ...]]:
    return [
        (a.actor_id, a.object_type, a.tenant_id, a.before, a.after)
        for a in AuditLog.objects.filter(action="learning.town.logo").order_by("pk")
    ]


def test_an_officer_puts_a_logo_on_the_page_and_the_town_shows_it(
    world, towns, client_for
):
    policy = towns["pyeongchang"]
    client = client_for(world.pyeongchang_officer)
    r = client.post(
        reverse("learning:town_page", args=["pyeongchang"]),
        page_form(policy, logo=upload("우리 로고.html", PNG, "text/html")),
    )
    assert r.status_code == 302
    policy.refresh_from_db()
    assert policy.logo.name.endswith(".png")  # named after what it is
    served = Client().get(reverse("learning:town_logo", args=["pyeongchang"]))
    assert served["Content-Type"] == "image/png"
    assert served.getvalue() == PNG
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert logo_rows() == [
        (
            world.pyeongchang_officer.pk,
            "learning.TenantPolicy",
            world.pyeongchang.pk,
            {"logo": False},
            {"logo": True},
        )
    ]


def test_the_api_replaces_and_removes_the_logo_as_the_page_does(
    world, towns, client_for, api_token
):
    officer = world.pyeongchang_officer
    policy = towns["pyeongchang"]
    client = client_for(officer)
    token = api_token(officer)
    url = reverse("learning:town_page", args=["pyeongchang"])

    # replace: page, then the same through the API
    page = client.post(url, page_form(policy, logo=upload("a.svg", PLAIN_SVG, "")))
    assert page.status_code == 302
    by_page = logo_rows()
    AuditLog.objects.filter(action="learning.town.logo").delete()
    TenantPolicy.objects.filter(pk=policy.pk).update(logo="")
    r = api("post", token, upload("a.svg", PLAIN_SVG, "image/svg+xml"))
    assert r.status_code == 200, r.content
    assert r.json()["has_logo"] is True and r.json()["slug"] == "pyeongchang"
    assert logo_rows() == by_page and len(by_page) == 1
    served = Client().get(reverse("learning:town_logo", args=["pyeongchang"]))
    assert served["Content-Type"] == "image/svg+xml"
    assert served.getvalue() == PLAIN_SVG

    # remove: the page's box, then the API's DELETE
    AuditLog.objects.filter(action="learning.town.logo").delete()
    kept = TenantPolicy.objects.get(pk=policy.pk).logo.name
    page = client.post(url, page_form(policy, logo_remove="on"))
    assert page.status_code == 302
    by_page = logo_rows()
    assert by_page[0][3:] == ({"logo": True}, {"logo": False})
    AuditLog.objects.filter(action="learning.town.logo").delete()
    TenantPolicy.objects.filter(pk=policy.pk).update(logo=kept)
    r = api("delete", token)
    assert r.status_code == 200 and r.json()["has_logo"] is False
    assert logo_rows() == by_page
    # the page falls back to the town's initial on its colour
    served = Client().get(reverse("learning:town_logo", args=["pyeongchang"]))
    assert served["Content-Type"] == "image/svg+xml"
    assert b"<rect" in served.content and "sandbox" in served["Content-Security-Policy"]


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_alike_on_the_field_and_changes_nothing(
    world, towns, client_for, api_token, case
):
    officer = world.pyeongchang_officer
    policy = towns["pyeongchang"]
    client = client_for(officer)
    token = api_token(officer)
    name, data, content_type = BAD_FILES[case]
    for lang in ("ko", "en"):
        client.cookies["nanum_language"] = lang
        page = client.post(
            reverse("learning:town_page", args=["pyeongchang"]),
            page_form(policy, tagline_ko="바뀌면 안 됨", logo=upload(name, data, "")),
        )
        assert page.status_code == 422
        page_errors = [str(e) for e in page.context["page_form"].errors["logo"]]
        r = api(
            "post",
            token,
            upload(name, data, content_type),
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        assert r.status_code == 422, r.content
        assert [e["message"] for e in r.json()["errors"]] == page_errors
        if lang == "ko":
            assert all(any("가" <= ch <= "힣" for ch in e) for e in page_errors)
    policy.refresh_from_db()
    assert not policy.logo and policy.tagline_ko != "바뀌면 안 됨"
    assert not AuditLog.objects.filter(action__startswith="learning.town").exists()


def test_the_svg_refusal_names_what_is_not_allowed_in_both_languages(
    world, towns, api_token
):
    token = api_token(world.pyeongchang_officer)
    name, data, content_type = BAD_FILES["script in an svg"]
    for lang in ("en", "ko"):
        r = api(
            "post", token, upload(name, data, content_type), HTTP_ACCEPT_LANGUAGE=lang
        )
        with override(lang):
            expected = gettext(
                "An SVG logo may hold only shapes and text: no scripts, "
                "event handlers, embedded files or links."
            )
        assert r.json()["errors"][0]["message"] == expected
    assert "스크립트" in expected


@pytest.mark.parametrize("who", ["gimpo_officer", "student", "mentor"])
def test_another_town_or_role_cannot_touch_the_logo(
    world, towns, client_for, api_token, who
):
    user = getattr(world, who)
    policy = towns["pyeongchang"]
    expected = 404 if who.endswith("officer") else 403
    token = api_token(user)
    page = client_for(user).post(
        reverse("learning:town_page", args=["pyeongchang"]),
        page_form(policy, logo=upload("a.png", PNG, "image/png")),
    )
    assert page.status_code == expected
    assert api("post", token, upload("a.png", PNG, "image/png")).status_code == expected
    assert api("delete", token).status_code == expected
    policy.refresh_from_db()
    assert not policy.logo
    assert not AuditLog.objects.filter(action="learning.town.logo").exists()
