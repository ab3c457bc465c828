"""The mentor-hours export is formula-safe in CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from nanum.mentoring import services
from nanum.mentoring.models import Match

from .conftest import survey_input

pytestmark = pytest.mark.django_db
NAME = "=cmd|' /C calc'!A0"


@pytest.fixture
def month(world, term, eligible, active_mentor):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    session = Match.objects.get().sessions.order_by("starts_at").first()
    assert session is not None
    session.starts_at = timezone.now() - timedelta(hours=2)
    session.save()
    services.session_confirm(actor=world.mentor, session_id=session.pk)
    services.session_confirm(actor=world.student, session_id=session.pk)
    world.mentor.display_name = NAME
    world.mentor.save()
    return timezone.localdate(session.starts_at).replace(day=1)


def test_mentor_hours_escape_a_formula_name(world, month):
    body, ctype, _name = services.mentor_hours_export(
        actor=world.seoul_officer, tenant_id=world.seoul.pk, month=month, fmt="csv"
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert ctype.startswith("text/csv") and rows[1][0] == "'" + NAME
    assert rows[1][3] == "1"  # sessions: a number, not escaped
    body, _c, _n = services.mentor_hours_export(
        actor=world.seoul_officer, tenant_id=world.seoul.pk, month=month, fmt="xlsx"
    )
    row = next(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2))
    assert row[0].data_type == "s" and row[0].value == NAME
    assert row[3].data_type == "n"
