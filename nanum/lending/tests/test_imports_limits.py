"""Catalogue imports stop at the limits (web and CLI) naming the limit and importing
nothing, refuse header-only files, and large files are imported by the worker with a
progress page. How fast and with how little memory: bench/core_import_limits.py."""

from __future__ import annotations

import functools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from nanum.core.spreadsheets import MB, SpreadsheetRejected
from nanum.core.tests import bombs
from nanum.lending import tasks
from nanum.lending.models import EquipmentModel, ImportJob
from nanum.lending.services import CLI_LIMITS, read_table
from nanum.lending.services.catalogue import WEB_LIMITS

pytestmark = pytest.mark.django_db

HEADER = ["code", "name_ko", "category"]
# The limits' own figures, as the messages show them (Korean "64MB", English "64 MB").
SIZE_MESSAGE = re.compile(rf"(?<!\d){WEB_LIMITS.max_bytes // MB} ?MB")
ROWS_MESSAGE = f"{WEB_LIMITS.max_rows:,}"
assert (CLI_LIMITS.max_bytes, CLI_LIMITS.max_rows) == (
    WEB_LIMITS.max_bytes,
    WEB_LIMITS.max_rows,
)


# Just past the limits (the reader refuses on declared sizes and the row count, the
# same path as the 300 MB bomb and 400,000-row files, which the benchmark
# builds); each built once per run.
@functools.cache
def _bomb() -> bytes:
    return bombs.xlsx_zip_bomb(WEB_LIMITS.max_bytes // MB + 16)


@functools.cache
def _big_csv() -> bytes:
    return bombs.csv_rows(HEADER, ["x", "y", "z"], 400_000)


@functools.cache
def _big_xlsx() -> bytes:
    return bombs.xlsx_rows(HEADER, ["x", "엑스", "science"], 2 * WEB_LIMITS.max_rows)


def _post(client, name: str, body: bytes, kind: str = "models"):
    return client.post(
        "/lending/staff/import/",
        {"kind": kind, "file": SimpleUploadedFile(name, body)},
    )


def _failed_job_for_rows(client, response) -> ImportJob:
    """The upload went to the worker, which refused it at the row limit."""
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/import/{job.pk}/")
    assert job.status == ImportJob.Status.FAILED and job.imported == 0
    assert ROWS_MESSAGE in job.message
    assert [e["message"] for e in job.row_errors] == [job.message]
    page = client.get(response["Location"]).content.decode()
    assert ROWS_MESSAGE in page and 'http-equiv="refresh"' not in page
    return job


def test_a_zip_bomb_is_refused_on_the_web_at_once(world, lending, client_for):
    models_before = EquipmentModel.objects.count()
    r = _post(client_for(world.district_bank_officer), "bomb.xlsx", _bomb())
    assert r.status_code == 422
    [message] = r.context["form"].errors["file"]
    assert SIZE_MESSAGE.search(message) and message in r.content.decode()
    assert EquipmentModel.objects.count() == models_before
    assert not ImportJob.objects.exists()  # nothing kept for the worker either


def test_a_400000_row_csv_is_refused_on_the_web(
    world, lending, client_for, django_capture_on_commit_callbacks
):
    models_before = EquipmentModel.objects.count()
    c = client_for(world.district_bank_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(c, "big.csv", _big_csv())  # over 1 MB: straight to the worker
    _failed_job_for_rows(c, r)
    assert EquipmentModel.objects.count() == models_before


def test_a_large_xlsx_is_refused_on_the_web(
    world, lending, client_for, django_capture_on_commit_callbacks
):
    models_before = EquipmentModel.objects.count()
    c = client_for(world.district_bank_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(c, "big.xlsx", _big_xlsx())
    _failed_job_for_rows(c, r)
    assert EquipmentModel.objects.count() == models_before


@pytest.mark.parametrize(
    ("name", "build", "limit"),
    [
        ("bomb.xlsx", _bomb, "size"),
        ("big.csv", _big_csv, "rows"),
        ("big.xlsx", _big_xlsx, "rows"),
    ],
    ids=["zip-bomb", "csv-400k", "xlsx-large"],
)
def test_the_cli_refuses_bombs_naming_the_limit(
    world, lending, tmp_path, capsys, monkeypatch, name, build, limit
):
    monkeypatch.setenv("COLUMNS", "400")  # the CLI's table: one message, one line
    path = tmp_path / name
    path.write_bytes(build())
    with pytest.raises(SpreadsheetRejected) as info:
        read_table(path.read_bytes(), name, limits=CLI_LIMITS)
    assert info.value.limit == limit
    message = str(info.value.message)
    if limit == "size":
        assert SIZE_MESSAGE.search(message)
    else:
        assert ROWS_MESSAGE in message
    models_before = EquipmentModel.objects.count()
    capsys.readouterr()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "lending_import", str(path), kind="models", user=world.bank_officer.username
        )
    assert message in capsys.readouterr().err  # the CLI says which limit
    assert EquipmentModel.objects.count() == models_before


def test_a_header_only_file_is_an_error_not_zero_rows(world, lending, client_for):
    r = _post(client_for(world.district_bank_officer), "m.csv", b"code,name_ko\r\n")
    assert r.status_code == 422
    assert "no data rows" in r.content.decode() or "데이터 행" in r.content.decode()


def test_a_large_good_file_is_imported_by_the_worker_with_progress(
    world, lending, client_for, client, django_capture_on_commit_callbacks
):
    lines = [",".join(HEADER)] + [f"kit-{i},키트 {i},science" for i in range(2500)]
    c = client_for(world.district_bank_officer)
    r = _post(c, "kits.csv", ("\n".join(lines) + "\n").encode())
    job = ImportJob.objects.get()
    assert r.status_code == 302 and job.status == ImportJob.Status.QUEUED
    page = c.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page  # refreshes itself while waiting
    assert not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()
    assert tasks.import_catalogue.call(job.pk) == 2500
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.rows_total == 2500
    assert EquipmentModel.objects.filter(code__startswith="kit-").count() == 2500
    assert tasks.import_catalogue.call(job.pk) == 0  # running it twice does nothing
    assert EquipmentModel.objects.filter(code__startswith="kit-").count() == 2500
    page = c.get(r["Location"]).content.decode()
    assert "2500" in page and 'http-equiv="refresh"' not in page
    client.force_login(world.bank_officer)  # another staff member: not theirs
    assert client.get(r["Location"]).status_code == 404


def test_a_large_bad_file_imports_nothing_and_lists_the_rows(
    world, lending, client_for, django_capture_on_commit_callbacks
):
    lines = [",".join(HEADER)] + [f"kit-{i},키트 {i},science" for i in range(2500)]
    lines.append("bad code!,,space")
    c = client_for(world.district_bank_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(c, "kits.csv", ("\n".join(lines) + "\n").encode())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert {e["field"] for e in job.row_errors} >= {"code", "name_ko", "category"}
    assert not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()
    assert "2502" in c.get(r["Location"]).content.decode()
