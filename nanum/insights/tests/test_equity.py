"""The equity dashboard: who sees what (per page and endpoint), small cells hidden
below the office, priority share and utilisation, exports, the refresh."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from nanum.core.models import AuditLog
from nanum.insights import selectors, services, tasks
from nanum.insights.models import EquityFact
from nanum.learning.models import Application, Status

pytestmark = pytest.mark.django_db

PAGE = reverse("insights:dashboard")
API = "/api/v1/insights/equity"


def api_get(client: Any, token: str, **params: Any) -> Any:
    return client.get(API, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def people(resp_json: dict[str, Any], resource: str) -> int | None:
    for r in resp_json["resources"]:
        if r["resource"] == resource:
            return int(r["people"])
    return None


def test_office_sees_everything_unsuppressed(
    equity_world: Any, client: Any, api_token: Any
) -> None:
    body = api_get(client, api_token(equity_world.admin)).json()
    assert body["scope"] == "office" and body["suppressed_below"] is None
    assert people(body, "equipment") == 24
    assert people(body, "learn_place") == 8
    q3 = [
        c
        for r in body["resources"]
        if r["resource"] == "equipment"
        for c in r["cells"]
        if c["group"] == "3"
    ]
    assert q3[0]["people"] == 3 and not q3[0]["suppressed"]


def test_town_officer_sees_only_their_town(
    equity_world: Any, client: Any, api_token: Any, client_for: Any
) -> None:
    body = api_get(client, api_token(equity_world.gimpo_officer)).json()
    assert body["scope"] == "town"
    assert [r["resource"] for r in body["resources"]] == ["learn_place"]
    assert people(body, "learn_place") == 8
    page = client_for(equity_world.gimpo_officer).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "res-equipment" not in text  # no Seoul equipment figures
    assert "res-learn_place" in text
    # Pyeongchang's officer: nothing of Gimpo or Seoul.
    body = api_get(client, api_token(equity_world.pyeongchang_officer)).json()
    assert body["resources"] == []
    # Another town's filter cannot widen the view.
    body = api_get(
        client,
        api_token(equity_world.gimpo_officer),
        district_office=equity_world.district_office.pk,
    ).json()
    assert body["resources"] == []


def test_district_staff_see_only_their_district_office(
    equity_world: Any, district_staff: Any, client: Any, api_token: Any
) -> None:
    body = api_get(client, api_token(district_staff)).json()
    assert body["scope"] == "district"
    assert people(body, "equipment") == 21  # not the other office's 3
    assert people(body, "learn_place") is None
    body = api_get(
        client,
        api_token(district_staff),
        district_office=equity_world.other_district_office.pk,
    ).json()
    assert body["resources"] == []


def test_small_cells_are_hidden_below_the_office(
    equity_world: Any, client: Any, api_token: Any
) -> None:
    body = api_get(client, api_token(equity_world.seoul_officer)).json()
    cells = {c["group"]: c for c in body["resources"][0]["cells"]}
    assert cells["3"]["suppressed"] and cells["3"]["people"] is None
    assert cells["3"]["requested"] is None
    assert not cells["5"]["suppressed"] and cells["5"]["people"] == 12
    # With one cell hidden, the next smallest is hidden too (no recovery by
    # subtraction from the total).
    assert cells["1"]["suppressed"]


def test_people_without_a_role_get_404(
    equity_world: Any, client_for: Any, client: Any, api_token: Any
) -> None:
    for user in (equity_world.teacher, equity_world.researcher, equity_world.student):
        assert client_for(user).get(PAGE).status_code == 404
        assert api_get(client, api_token(user)).status_code == 404


def test_priority_share_and_utilisation(equity_world: Any) -> None:
    board = selectors.equity_dashboard(
        actor=equity_world.admin, filters=selectors.EquityFilters(resource="equipment")
    )
    view = board.resources[0]
    # Known quintiles: Q5 asked 24 units and got 24; Q1 asked 18 and got 6; Q3 asked
    # 6 and got 4. Allocations to Q5: 24/34; demand of Q5: 24/48.
    assert view.priority_share == round((24 / 34) / (24 / 48), 2)
    assert view.allocated == 34
    assert view.utilisation == round(100 * (view.used or 0) / 34, 1)


def test_export_csv_and_excel(equity_world: Any, client_for: Any) -> None:
    client = client_for(equity_world.seoul_officer)
    resp = client.get(PAGE, {"format": "csv", "by": "quintile"})
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["resource", "group", "people"]
    assert any(r[2] == "<5" for r in rows[1:])
    resp = client.get(PAGE, {"format": "xlsx"})
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_refresh_reads_the_other_apps(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Application.objects.create(
        tenant=world.seoul,
        student=world.student,
        applicant=world.student,
        status=Status.APPROVED,
        full_name="정학생",
        birth_year=2011,
        school=world.middle_school,
        school_level="middle",
        category="basic_livelihood",
    )
    assert services.equity_refresh() == 2  # a place, and then a seat asked for
    fact = EquityFact.objects.get(resource="learn_place")
    assert fact.district_office == world.district_office
    assert fact.allocated == 1 and fact.category == "basic_livelihood"
    assert 1 <= fact.quintile <= 5
    # Only an office administrator may rebuild.
    assert (
        client_for(world.seoul_officer).post(reverse("insights:refresh")).status_code
        == 404
    )
    EquityFact.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client_for(world.admin).post(reverse("insights:refresh"), follow=True)
    assert "백그라운드에서 다시 계산" in resp.content.decode()
    # the tests' task backend runs the queued rebuild at once
    assert EquityFact.objects.filter(resource="learn_place").count() == 1
    assert AuditLog.objects.filter(
        action="insights.equity_refresh_requested", actor=world.admin
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_button_queues_the_task_for_the_worker(
    world: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "ml"],
        }
    }
    resp = client_for(world.admin).post(reverse("insights:refresh"))
    assert resp.status_code == 302
    queued = DBTaskResult.objects.get()
    assert queued.task_path == tasks.equity_refresh.module_path
    assert queued.status == TaskResultStatus.READY
    assert not EquityFact.objects.exists()  # built by the worker, not the request


def test_dashboard_page_renders_chart_and_filters(
    equity_world: Any, client_for: Any
) -> None:
    resp = client_for(equity_world.admin).get(PAGE, {"by": "district_office"})
    text = resp.content.decode()
    assert resp.status_code == 200
    assert "<svg" in text and "<table" in text
    assert equity_world.district_office.name_ko in text
    for by in ("quintile", "school_level", "category"):
        resp = client_for(equity_world.admin).get(PAGE, {"by": by})
        assert resp.status_code == 200
    resp = client_for(equity_world.admin).get(PAGE, {"by": "category"})
    assert "Science" in resp.content.decode() or "과학" in resp.content.decode()


def test_term_of() -> None:
    assert services.term_of(date(2026, 3, 2)) == "2026-1"
    assert services.term_of(date(2026, 9, 1)) == "2026-2"
    assert services.term_of(date(2027, 2, 10)) == "2026-2"


def test_rebuilt_figures_replace_cached_ones(equity_world: Any) -> None:
    filters = selectors.EquityFilters()
    before = selectors.equity_dashboard(actor=equity_world.admin, filters=filters)
    assert "equipment" in [v.resource for v in before.resources]
    EquityFact.objects.filter(resource="learn_place").update(archived=True)
    services.equity_refresh()  # no live requests in this world: live facts go
    after = selectors.equity_dashboard(actor=equity_world.admin, filters=filters)
    assert [v.resource for v in after.resources] == ["learn_place"]
