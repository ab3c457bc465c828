"""Provider usage uploads: header-only files and files over the row limit are refused
and nothing is stored. How fast: bench/core_import_limits.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nanum.core.errors import InvalidInput
from nanum.core.spreadsheets import TooManyRows
from nanum.core.tests import bombs
from nanum.learning.models import UsageRecord
from nanum.learning.services import usage, usage_parse_csv

pytestmark = pytest.mark.django_db

BIG = bombs.csv_rows(["ref", "date", "minutes"], ["r", "2025-03-02", "1"], 400_000)


@pytest.fixture
def no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usage limits with the time limit out of reach, so that the row limit is
    the one that answers however busy the machine (the time limit is tested in
    nanum/core/tests/test_spreadsheets.py)."""
    monkeypatch.setattr(
        usage, "USAGE_LIMITS", replace(usage.USAGE_LIMITS, max_seconds=3600.0)
    )


def test_a_header_only_usage_file_is_an_error(world, provider_seats, client_for):
    r = client_for(world.provider).post(
        reverse("learning:provider_home"),
        {"file": SimpleUploadedFile("u.csv", b"ref,date,minutes\r\n", "text/csv")},
    )
    body = r.content.decode()
    assert r.status_code == 200 and ("no data rows" in body or "데이터 행" in body)
    assert UsageRecord.objects.count() == 0


@pytest.mark.usefixtures("no_clock")
def test_a_400000_row_usage_file_is_refused_at_the_row_limit() -> None:
    with pytest.raises(TooManyRows) as info:
        usage_parse_csv(BIG)
    err = info.value
    assert err.limit == "rows" and err.max_rows == usage.MAX_ROWS == 50_000
    assert list(err.field_errors) == ["file"]
    assert "50,000" in str(err.field_errors["file"][0])


@pytest.mark.usefixtures("no_clock")
def test_a_400000_row_usage_upload_stores_nothing(world, provider_seats, client_for):
    r = client_for(world.provider).post(
        reverse("learning:provider_home"),
        {"file": SimpleUploadedFile("u.csv", BIG, "text/csv")},
    )
    assert r.status_code == 200
    [(field, [message])] = r.context["bad_rows"]
    assert field == "file" and "50,000" in message and message in r.content.decode()
    assert UsageRecord.objects.count() == 0


def test_the_first_line_must_name_the_columns() -> None:
    with pytest.raises(InvalidInput):
        usage_parse_csv(b"a,b\r\n1,2\r\n")
