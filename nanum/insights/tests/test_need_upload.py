"""The need index upload page and its API twin: office administrators only, the
command's rules (all rows or none, each bad row reported), history per year."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import AuditLog, Organisation
from nanum.core.spreadsheets import xlsx_bytes
from nanum.insights.models import NeedIndexRecord

pytestmark = pytest.mark.django_db

HEADER = "school_code,year,benefit_pct,multicultural_pct,students"


def _csv(*rows: str) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("need.csv", text.encode(), content_type="text/csv")


def _year() -> int:
    return clock.today().year


def test_admin_uploads_a_csv_and_the_year_becomes_current(
    world: Any, client_for: Any
) -> None:
    y = _year()
    client = client_for(world.admin)
    assert (
        client.get(reverse("insights:schools"))
        .content.decode()
        .count(reverse("insights:need_import"))
    )
    resp = client.post(
        reverse("insights:need_import"),
        {
            "file": _csv(f"school-small,{y - 1},10,2,100", f"school-small,{y},20,4,96"),
            "source": "학교알리미",
        },
    )
    assert resp.status_code == 302
    recs = NeedIndexRecord.objects.filter(school__code="school-small").order_by("year")
    assert [r.year for r in recs] == [y - 1, y]
    assert recs[1].source == "학교알리미"
    school = Organisation.objects.get(code="school-small")
    assert school.need_index == recs[1].index
    assert AuditLog.objects.filter(
        action="insights.need_index_import", actor=world.admin
    ).exists()
    page = client.get(reverse("insights:school_need", args=[school.pk]))
    assert str(y) in page.content.decode()


def test_an_xlsx_file_is_read_too(world: Any, client_for: Any) -> None:
    data = xlsx_bytes(
        HEADER.split(","), [["school-big", str(_year()), "30", "8", "900"]]
    )
    upload = SimpleUploadedFile("need.xlsx", data)
    resp = client_for(world.admin).post(
        reverse("insights:need_import"), {"file": upload}
    )
    assert resp.status_code == 302
    rec = NeedIndexRecord.objects.get(school__code="school-big")
    assert rec.source == "need.xlsx"


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        (("school-small,{y},20,4,96", "no-such-school,{y},20,4,96"), "school_code"),
        (("school-small,{y},120,4,96",), "benefit_pct"),
        (("school-small,{y},20,4,0",), "students"),
        (('=HYPERLINK("http://x"),{y},20,4,96',), "school_code"),
    ],
)
def test_a_bad_row_changes_nothing_and_is_listed_in_korean(
    world: Any, client_for: Any, rows: tuple[str, ...], field: str
) -> None:
    y = _year()
    resp = client_for(world.admin).post(
        reverse("insights:need_import"),
        {"file": _csv(*[r.format(y=y) for r in rows])},
    )
    assert resp.status_code == 200
    errors = resp.context["row_errors"]
    assert [e["field"] for e in errors] == [field]
    assert "가져오지" in resp.content.decode()  # "nothing was imported", in Korean
    assert not NeedIndexRecord.objects.exists()
    assert Organisation.objects.get(code="school-small").need_index != 0
    assert not AuditLog.objects.filter(action="insights.need_index_import").exists()


def test_wrong_columns_are_refused(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile("need.csv", b"school,year\nschool-small,2026\n")
    resp = client_for(world.admin).post(
        reverse("insights:need_import"), {"file": upload}
    )
    assert resp.status_code == 200
    assert resp.context["form"].errors
    assert not NeedIndexRecord.objects.exists()


@pytest.mark.parametrize("who", ["seoul_officer", "gimpo_officer", "researcher"])
def test_only_office_administrators_see_or_use_the_page(
    world: Any, client_for: Any, who: str
) -> None:
    client = client_for(getattr(world, who))
    assert client.get(reverse("insights:need_import")).status_code == 404
    resp = client.post(
        reverse("insights:need_import"),
        {"file": _csv(f"school-small,{_year()},20,4,96")},
    )
    assert resp.status_code == 404
    assert not NeedIndexRecord.objects.exists()


def test_api_twin_imports_and_refuses_like_the_page(
    world: Any, client: Any, api_token: Any
) -> None:
    url = "/api/v1/insights/need-index/imports"
    officer = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.seoul_officer)}"}
    resp = client.post(
        url, {"file": _csv(f"school-small,{_year()},20,4,96")}, **officer
    )
    assert resp.status_code == 403
    assert resp["Content-Type"].startswith("application/problem+json")
    assert not NeedIndexRecord.objects.exists()

    admin = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(world.admin)}",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    bad = client.post(url, {"file": _csv(f"school-small,{_year()},20,4,-1")}, **admin)
    assert bad.status_code == 422, bad.content
    body = bad.json()
    assert "nothing was imported" in body["title"]
    assert body["row_errors"][0]["field"] == "students"
    assert not NeedIndexRecord.objects.exists()

    ok = client.post(
        url,
        {"file": _csv(f"school-small,{_year()},20,4,96"), "source": "KESS"},
        **admin,
    )
    assert ok.status_code == 201, ok.content
    assert ok.json() == {"created": 1, "updated": 0, "current_changed": 1}
    assert NeedIndexRecord.objects.get().source == "KESS"
