"""Catalogue imports stop at limits quickly (web and CLI), refuse header-only files,
and large files are imported by the worker with a progress page."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from nanum.core.tests import bombs
from nanum.lending import tasks
from nanum.lending.models import EquipmentModel, ImportJob

pytestmark = pytest.mark.django_db

HEADER = ["code", "name_ko", "category"]


def _warm(client):
    """The first request imports every URLconf (seconds on a busy host): not timed."""
    assert client.get("/lending/staff/import/").status_code == 200
    assert _post(client, "empty.csv", b"code\r\n").status_code == 422
    return client


def _post(client, name: str, body: bytes, kind: str = "models"):
    return client.post(
        "/lending/staff/import/",
        {"kind": kind, "file": SimpleUploadedFile(name, body)},
    )


def test_a_zip_bomb_is_refused_on_the_web_at_once(world, lending, client_for):
    data = bombs.xlsx_zip_bomb(300)
    start = time.monotonic()
    r = _post(_warm(client_for(world.district_bank_officer)), "bomb.xlsx", data)
    assert time.monotonic() - start < 5
    assert r.status_code == 422 and "MB" in r.content.decode()
    assert (
        not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()
        and not ImportJob.objects.exists()
    )


def test_a_400000_row_csv_is_refused_quickly_on_the_web(
    world, lending, client_for, django_capture_on_commit_callbacks
):
    data = bombs.csv_rows(HEADER, ["x", "y", "z"], 400_000)
    c = _warm(client_for(world.district_bank_officer))
    start = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(c, "big.csv", data)
    assert time.monotonic() - start < 5
    job = ImportJob.objects.get()  # a large file goes to the worker ...
    assert r.status_code == 302 and r["Location"].endswith(f"/import/{job.pk}/")
    assert job.status == ImportJob.Status.FAILED  # ... which refuses it
    page = c.get(r["Location"]).content.decode()
    assert "50,000" in page and 'http-equiv="refresh"' not in page
    assert not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()


def test_a_400000_row_xlsx_is_refused_quickly_on_the_web(
    world, lending, client_for, django_capture_on_commit_callbacks
):
    data = bombs.xlsx_rows(HEADER, ["x", "엑스", "science"], 400_000)
    start = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(_warm(client_for(world.district_bank_officer)), "big.xlsx", data)
    assert time.monotonic() - start < 5
    assert r.status_code in (302, 422)
    if r.status_code == 302:
        assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bomb.xlsx", lambda: bombs.xlsx_zip_bomb(300)),
        ("big.csv", lambda: bombs.csv_rows(HEADER, ["x", "y", "z"], 400_000)),
        (
            "big.xlsx",
            lambda: bombs.xlsx_rows(HEADER, ["x", "엑스", "science"], 400_000),
        ),
    ],
    ids=["zip-bomb", "csv-400k", "xlsx-400k"],
)
def test_the_cli_refuses_bombs_quickly(world, lending, tmp_path, name, build):
    path = tmp_path / name
    path.write_bytes(build())
    start = time.monotonic()
    with pytest.raises(CommandError):
        call_command(
            "lending_import", str(path), kind="models", user=world.bank_officer.username
        )
    assert time.monotonic() - start < 5
    assert not EquipmentModel.objects.filter(code__in=["x", "kit-0"]).exists()


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
