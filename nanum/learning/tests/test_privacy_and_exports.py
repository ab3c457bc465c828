"""Access log on every staff view and export, own-data download, retention purge."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nanum.core.models import AccessLog
from nanum.learning.models import Application, Document, Status
from nanum.learning.services.applications import application_reject
from nanum.learning.services.privacy import retention_purge

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(world, towns, apply_for):
    return apply_for(
        world.student,
        world.seoul,
        category="multicultural",
        documents=[("eligibility", pdf_upload())],
    )


def test_viewing_a_record_and_a_document_writes_the_access_log(world, app, client_for):
    client = client_for(world.seoul_officer)
    client.get(reverse("learning:review", args=[app.pk]))
    doc = Document.objects.get(application=app)
    r = client.get(reverse("learning:document", args=[doc.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    logs = list(AccessLog.objects.filter(actor=world.seoul_officer).order_by("at"))
    assert [(log.action, log.subject_id) for log in logs] == [
        ("view", world.student.pk),
        ("download", world.student.pk),
    ]


def test_documents_are_not_reachable_without_the_view(world, app, client):
    doc = Document.objects.get(application=app)
    assert doc.file.name and not doc.file.name.startswith("/")
    assert client.get(f"/media/{doc.file.name}").status_code == 404
    assert client.get(reverse("learning:document", args=[doc.pk])).status_code == 302


def test_exports_are_logged_with_the_number_of_records(world, app, client_for):
    client = client_for(world.seoul_officer)
    r = client.get(reverse("learning:export", args=["xlsx"]))
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "id" and rows[1][0] == app.pk
    log = AccessLog.objects.get(action="export")
    assert log.record_count == 1 and log.actor == world.seoul_officer
    assert client.get(reverse("learning:export", args=["exe"])).status_code == 404


def test_student_downloads_their_own_data(world, app, client_for):
    r = client_for(world.student).get(reverse("learning:my_data"))
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    data = json.loads(zf.read("seoul-learn.json"))
    assert data["applications"][0]["category"] == "multicultural"
    assert any(n.startswith("documents/") for n in zf.namelist())


def test_purge_anonymises_a_rejected_application_after_retention(world, app):
    application_reject(actor=world.seoul_officer, application_id=app.pk, reason="x")
    doc = Document.objects.get(application=app)
    name = doc.file.name
    assert name is not None  # a stored document always has a name
    assert default_storage.exists(name)
    assert retention_purge() == {"documents": 0, "anonymised": 0}
    later = timezone.now() + timedelta(days=400)
    result = retention_purge(now=later)
    assert result == {"documents": 1, "anonymised": 1}
    assert not default_storage.exists(name)
    kept = Application.objects.get(pk=app.pk)
    assert kept.anonymised_at is not None
    assert (kept.full_name, kept.phone, kept.address, kept.category) == ("", "", "", "")
    assert kept.sensitive is None and kept.reason == ""
    # de-identified facts stay for the statistics
    assert kept.status == Status.REJECTED and kept.district == "강서구"
    # a second run finds nothing to do
    assert retention_purge(now=later) == {"documents": 0, "anonymised": 0}


def test_live_applications_are_kept(world, app):
    retention_purge(now=timezone.now() + timedelta(days=1000))
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
    assert Document.objects.filter(application=app).exists()
