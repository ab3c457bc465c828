"""A Korean-speaking staff action tells an English-speaking teacher in English."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import formats, translation

from nanum.core import services as core_services
from nanum.core.models import Notification
from nanum.lending import services

from .helpers import book

pytestmark = pytest.mark.django_db


def test_korean_staff_approve_notifies_an_english_teacher_in_english(
    world, lending, settings, django_capture_on_commit_callbacks
):
    settings.NANUM_SITE_URL = "https://nanum.example.kr"
    world.teacher.preferred_language = "en"
    world.teacher.save()
    r = book(world, lending, model=lending.printer)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        services.reservation_approve(
            actor=world.district_bank_officer, reservation_id=r.pk
        )
    note = Notification.objects.get(user=world.teacher)
    assert note.subject == "Your reservation is confirmed"
    day = lending.day(0)
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") in note.body
    core_services.notification_email_send(notification_id=note.pk)
    sent = mail.outbox[-1]
    assert sent.to == [world.teacher.email]
    assert "Your reservation is confirmed" in sent.subject
    assert f"https://nanum.example.kr/lending/reservations/{r.pk}/" in sent.body
