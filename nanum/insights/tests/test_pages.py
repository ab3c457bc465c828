"""The other insights pages: consent, recording an agreement, the research home."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from nanum.core import clock
from nanum.insights.models import ResearchConsent, ResearchProject

pytestmark = pytest.mark.django_db


def test_a_student_gives_and_withdraws_consent(world: Any, client_for: Any) -> None:
    client = client_for(world.student)  # born 2011: 14 or older
    url = reverse("insights:consent")
    assert client.get(url).status_code == 200
    resp = client.post(url, {"member": world.student.pk, "consented": "yes"})
    assert resp.status_code == 302
    assert ResearchConsent.objects.get(member=world.student).consented
    client.post(url, {"member": world.student.pk, "consented": "no"})
    assert not ResearchConsent.objects.get(member=world.student).consented
    # Someone else's id is not a choice on the form: nothing changes.
    resp = client.post(url, {"member": world.teacher.pk, "consented": "yes"})
    assert resp.status_code == 200
    assert not ResearchConsent.objects.filter(member=world.teacher).exists()


def test_an_administrator_records_an_agreement(world: Any, client_for: Any) -> None:
    url = reverse("insights:project_new")
    today = clock.today()
    data = {
        "title": "Study",
        "institution": world.university.pk,
        "principal_investigator": "Prof. Kim",
        "purpose": "why",
        "irb_ref": "IRB-9",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
        "datasets": ["interactions"],
        "researchers": [world.researcher.pk],
        "k": 5,
    }
    resp = client_for(world.admin).post(url, data)
    assert resp.status_code == 200 and not ResearchProject.objects.exists()
    data["ends_on"] = (today + timedelta(days=90)).isoformat()
    resp = client_for(world.admin).post(url, data)
    project = ResearchProject.objects.get()
    assert resp.status_code == 302
    assert project.status == ResearchProject.Status.APPROVED
    assert project.approved_by == world.admin
    assert list(project.researchers.all()) == [world.researcher]
    assert client_for(world.seoul_officer).get(url).status_code == 404
    home = client_for(world.researcher).get(reverse("insights:research"))
    assert "Study" in home.content.decode()
    assert (
        client_for(world.teacher).get(reverse("insights:research")).status_code == 404
    )
