"""Seats at providers, the hand-off link, usage reports and the use rules."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import Organisation
from nanum.learning.models import (
    Application,
    ChangeWindow,
    Seat,
    SeatAllocation,
    Status,
    StudyDay,
    UsageRecord,
)
from nanum.learning.services import seats as seat_svc
from nanum.learning.services import usage as usage_svc
from nanum.learning.services.applications import (
    application_approve,
    application_withdraw,
)

from .conftest import new_student

pytestmark = pytest.mark.django_db


def member(world, apply_for, tenant, officer, student=None):
    student = student or new_student(world.middle_school)
    app = apply_for(student, tenant)
    application_approve(
        actor=officer, application_id=app.pk, verified_on=timezone.localdate()
    )
    return student


def test_member_chooses_a_provider_on_the_web_and_goes_there(
    world, provider_seats, apply_for, client_for
):
    member(world, apply_for, world.seoul, world.seoul_officer, world.student)
    client = client_for(world.student)
    home = client.get(reverse("learning:student_home"))
    assert world.provider_org.name_ko in home.content.decode()
    r = client.post(
        reverse("learning:choose_provider"), {"provider": world.provider_org.pk}
    )
    assert r.status_code == 302
    seat = Seat.objects.get(student=world.student, state="active")
    assert SeatAllocation.objects.get(pk=seat.allocation_id).used == 1
    go = client.post(reverse("learning:handoff", args=[seat.pk]))
    assert go.status_code == 200  # a page that moves on: a form may not redirect away
    assert go.context["url"].startswith("https://lecture.example/nanum?nanum_token=v1.")
    assert 'http-equiv="refresh"' in go.content.decode()


def test_no_overselling_the_sixth_member_waits_and_gets_a_freed_seat(
    world, provider_seats, apply_for
):
    students = [
        member(world, apply_for, world.seoul, world.seoul_officer) for _ in range(6)
    ]
    results = [
        seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
        for s in students
    ]
    assert all(results[:5]) and results[5] is None
    alloc = provider_seats["seoul"]
    alloc.refresh_from_db()
    assert alloc.used == 5 == Seat.objects.filter(state="active").count()
    app0 = Application.objects.get(student=students[0])

    application_withdraw(actor=students[0], application_id=app0.pk)
    assert Seat.objects.filter(student=students[5], state="active").exists()
    alloc.refresh_from_db()
    assert alloc.used == 5


def test_provider_change_only_in_a_window(world, provider_seats, apply_for):
    other = Organisation.objects.create(
        code="provider-etoos", kind="provider", name_ko="이투스", tenant=world.seoul
    )
    SeatAllocation.objects.create(
        tenant=world.seoul, provider=other, year=timezone.localdate().year, seats=3
    )
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    with pytest.raises(DomainError) as exc:
        seat_svc.seat_choose(actor=s, provider_id=other.pk)
    assert exc.value.code == "window_closed"
    today = timezone.localdate()
    ChangeWindow.objects.create(tenant=world.seoul, starts_on=today, ends_on=today)
    seat = seat_svc.seat_choose(actor=s, provider_id=other.pk)
    assert seat is not None  # the provider had a free seat
    assert seat.provider == other
    assert Seat.objects.filter(student=s, state="active").count() == 1
    provider_seats["seoul"].refresh_from_db()
    assert provider_seats["seoul"].used == 0


def test_a_provider_not_offered_by_the_town_is_refused(
    world, provider_seats, apply_for
):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    SeatAllocation.objects.filter(tenant=world.seoul).delete()
    with pytest.raises(DomainError):
        seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)


def _verify_like_a_provider(token: str, secret: str) -> dict:
    """What docs/learning.md tells providers to do, with only the standard library."""
    version, body, sig = token.split(".")
    expected = hmac.new(
        secret.encode(), f"{version}.{body}".encode(), hashlib.sha256
    ).digest()
    given = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    assert hmac.compare_digest(expected, given)
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert payload["exp"] >= time.time()
    return payload


def test_handoff_token_verifies_with_the_provider_secret_and_expires(
    world, provider_seats, apply_for, client, api_token
):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    url = seat_svc.handoff_link(actor=s, seat_id=seat.pk)
    token = url.split("nanum_token=")[1]
    payload = _verify_like_a_provider(token, "provider-secret-for-tests")
    assert payload["ref"] == seat.ref and payload["town"] == "seoul"
    assert "홍길동" not in json.dumps(payload, ensure_ascii=False)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.provider)}"}
    r = client.post(
        "/api/v1/learning/handoff/verify",
        {"token": token},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["ref"] == seat.ref and r.json()["active"]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    r = client.post(
        "/api/v1/learning/handoff/verify",
        {"token": tampered},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_handoff"
    with pytest.raises(DomainError) as exc:
        seat_svc.handoff_check(
            token, "provider-secret-for-tests", now=time.time() + 3600
        )
    assert exc.value.code == "handoff_expired"
    with pytest.raises(DomainError):
        seat_svc.handoff_check(token, "another-providers-secret")


def test_someone_elses_seat_gives_no_link(world, provider_seats, apply_for):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    with pytest.raises(DomainError):
        seat_svc.handoff_link(actor=world.student, seat_id=seat.pk)


def test_provider_uploads_usage_csv_and_it_counts_as_study_time(
    world, provider_seats, apply_for, client_for
):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    d = timezone.localdate()
    csv = f"ref,date,minutes\n{seat.ref},{d.isoformat()},45\n{seat.ref},{(d - timedelta(days=1)).isoformat()},30\n"
    client = client_for(world.provider)
    page = client.get(reverse("learning:provider_home"))
    assert seat.ref in page.content.decode()
    r = client.post(
        reverse("learning:provider_home"),
        {"file": SimpleUploadedFile("u.csv", csv.encode(), "text/csv")},
    )
    assert r.status_code == 302
    assert UsageRecord.objects.count() == 2
    assert StudyDay.objects.get(student=s, day=d).provider_minutes == 45
    seat.refresh_from_db()
    assert seat.last_used_on == d


def test_a_bad_usage_file_imports_nothing_and_names_the_rows(
    world, provider_seats, apply_for, client_for
):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    d = timezone.localdate().isoformat()
    csv = (
        f"ref,date,minutes\n{seat.ref},{d},45\nnope,{d},10\n{seat.ref},2026-13-01,5\n"
        f"{seat.ref},{d},-3\n"
    )
    r = client_for(world.provider).post(
        reverse("learning:provider_home"),
        {"file": SimpleUploadedFile("u.csv", csv.encode(), "text/csv")},
    )
    body = r.content.decode()
    assert r.status_code == 200
    for line in ("3", "4", "5"):
        assert f"{line}" in body
    assert UsageRecord.objects.count() == 0


def test_usage_api_is_all_or_nothing_and_only_for_the_providers_own_seats(
    world, provider_seats, apply_for, client, api_token
):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    auth = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(world.provider)}",
        "HTTP_IDEMPOTENCY_KEY": "k1",
    }
    d = timezone.localdate().isoformat()
    rows = [{"ref": seat.ref, "date": d, "minutes": 20}]
    r = client.post(
        "/api/v1/learning/provider/usage",
        {"rows": rows},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201 and r.json() == {"imported": 1}
    again = client.post(
        "/api/v1/learning/provider/usage",
        {"rows": rows},
        content_type="application/json",
        **auth,
    )
    assert again.json() == {"imported": 1}
    seats = client.get("/api/v1/learning/provider/seats", **auth).json()
    assert [x["ref"] for x in seats["items"]] == [seat.ref] and seats["count"] == 1
    # a student cannot report usage
    stu = {"HTTP_AUTHORIZATION": f"Bearer {api_token(s)}"}
    r = client.post(
        "/api/v1/learning/provider/usage",
        {"rows": rows},
        content_type="application/json",
        **stu,
    )
    assert r.status_code == 403


def test_unused_seat_is_warned_then_reclaimed_for_the_waiting_list(
    world, provider_seats, apply_for, towns
):
    towns["gimpo"].quota_total = 1
    towns["gimpo"].school_levels = ["middle", "high"]
    towns["gimpo"].save()
    idle = member(world, apply_for, world.gimpo, world.gimpo_officer)
    waiting = member(world, apply_for, world.gimpo, world.gimpo_officer)
    assert Application.objects.get(student=waiting).status == Status.WAITING
    seat = seat_svc.seat_choose(actor=idle, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    Seat.objects.filter(pk=seat.pk).update(
        assigned_at=timezone.now() - timedelta(days=20)
    )
    assert usage_svc.inactivity_sweep()["warned"] == 1
    Seat.objects.filter(pk=seat.pk).update(
        assigned_at=timezone.now() - timedelta(days=40),
        warned_at=timezone.now() - timedelta(days=5),
    )
    assert usage_svc.inactivity_sweep()["reclaimed"] == 1
    seat.refresh_from_db()
    assert seat.state == "released"
    assert Application.objects.get(student=idle).status == Status.EXPIRED
    assert Application.objects.get(student=waiting).status == Status.APPROVED


def test_pyeongchang_under_3_hours_a_month_warned_then_restricted(
    world, provider_seats, apply_for
):
    s = member(world, apply_for, world.pyeongchang, world.pyeongchang_officer)
    seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    Application.objects.filter(student=s).update(
        place_since=timezone.now() - timedelta(days=70)
    )
    assert usage_svc.monthly_minimum_check()["warned"] == 1
    # Run again this month (a re-queued task): the warning is not turned into a pause.
    assert usage_svc.monthly_minimum_check() == {"warned": 0, "restricted": 0}
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(
        day=1
    )
    assert usage_svc.monthly_minimum_check(on=next_month)["restricted"] == 1
    app = Application.objects.get(student=s)
    assert app.restricted_at is not None
    assert not Seat.objects.filter(student=s, state="active").exists()
    with pytest.raises(DomainError) as exc:
        seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert exc.value.code == "restricted"


def test_usage_csv_by_api(world, provider_seats, apply_for, client, api_token):
    s = member(world, apply_for, world.seoul, world.seoul_officer)
    seat = seat_svc.seat_choose(actor=s, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.provider)}"}
    d = timezone.localdate().isoformat()
    good = SimpleUploadedFile(
        "u.csv", f"ref,date,minutes\n{seat.ref},{d},15\n".encode()
    )
    r = client.post("/api/v1/learning/provider/usage.csv", {"file": good}, **auth)
    assert r.status_code == 201, r.content
    bad = SimpleUploadedFile(
        "u.csv", f"ref,date,minutes\n{seat.ref},{d},lots\n".encode()
    )
    r = client.post("/api/v1/learning/provider/usage.csv", {"file": bad}, **auth)
    assert r.status_code == 422 and r.json()["code"] == "bad_usage_rows"
    assert UsageRecord.objects.get().minutes == 15
