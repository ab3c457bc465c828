"""Provider usage uploads: header-only files and oversized files are refused quickly."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nanum.core.errors import InvalidInput
from nanum.core.tests import bombs
from nanum.learning.models import UsageRecord
from nanum.learning.services import usage_parse_csv

pytestmark = pytest.mark.django_db


def test_a_header_only_usage_file_is_an_error(world, provider_seats, client_for):
    r = client_for(world.provider).post(
        reverse("learning:provider_home"),
        {"file": SimpleUploadedFile("u.csv", b"ref,date,minutes\r\n", "text/csv")},
    )
    body = r.content.decode()
    assert r.status_code == 200 and ("no data rows" in body or "데이터 행" in body)
    assert UsageRecord.objects.count() == 0


def test_a_400000_row_usage_file_is_refused_quickly() -> None:
    data = bombs.csv_rows(["ref", "date", "minutes"], ["r", "2025-03-02", "1"], 400_000)
    start = time.monotonic()
    with pytest.raises(InvalidInput) as info:
        usage_parse_csv(data)
    assert time.monotonic() - start < 5
    assert "50,000" in str(info.value.field_errors["file"][0])


def test_the_first_line_must_name_the_columns() -> None:
    with pytest.raises(InvalidInput):
        usage_parse_csv(b"a,b\r\n1,2\r\n")
