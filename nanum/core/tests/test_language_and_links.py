"""Every user has a saved language: the switcher saves it, signing in uses it, and
notifications and e-mails are rendered in it; e-mail links are absolute; one date
format per language."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from nanum.core import services
from nanum.core.models import AuditLog, Notification
from nanum.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_switcher_saves_the_language_of_a_signed_in_user(client_for, world):
    client = client_for(world.teacher)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.preferred_language == "en"
    assert AuditLog.objects.filter(action="user.language").count() == 1


def test_an_unknown_language_changes_nothing(client_for, world):
    client = client_for(world.teacher)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.preferred_language == "ko"
    assert not AuditLog.objects.filter(action="user.language").exists()


def test_the_switcher_still_works_signed_out():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_signing_in_switches_to_the_saved_language(world):
    world.teacher.preferred_language = "en"
    world.teacher.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.post(
        reverse("core:login"),
        {"username": world.teacher.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body


def test_a_notification_is_in_the_recipients_language(world, settings):
    settings.NANUM_SITE_URL = "https://nanum.example.kr"
    world.teacher.preferred_language = "en"
    world.teacher.save()
    with translation.override("ko"):  # a Korean-speaking actor triggers it
        note = services.notification_send(
            user=world.teacher,
            kind="test",
            subject=_("Your reservation is confirmed"),
            body=services.Message(
                _("Due back on %(date)s."), date=datetime.date(2026, 12, 1)
            ),
            url="/lending/reservations/7/",
        )
    assert note.subject == "Your reservation is confirmed"
    assert note.body == "Due back on Tue 1 Dec 2026."
    services.notification_email_send(notification_id=note.pk)
    sent = mail.outbox[-1]
    assert "Your reservation is confirmed" in sent.subject
    assert "Due back on Tue 1 Dec 2026." in sent.body
    assert "https://nanum.example.kr/lending/reservations/7/" in sent.body
    assert "\n/lending/" not in sent.body


def test_korean_readers_get_korean(world):
    with translation.override("en"):
        note = services.notification_send(
            user=world.teacher,
            kind="test",
            subject=_("Your reservation is confirmed"),
            body=services.Message(
                _("Due back on %(date)s."), date=datetime.date(2026, 12, 1)
            ),
        )
    assert note.subject != "Your reservation is confirmed"
    assert "2026. 12. 1. (화)" in note.body


def test_one_date_format_per_language():
    moment = datetime.datetime(2026, 12, 1, 19, 0)
    with translation.override("ko"):
        page = Template(
            '{{ d|date:"DATETIME_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}'
        ).render(Context({"d": moment}))
    assert page == "2026. 12. 1. (화) 19:00|2026. 12. 1. (화)"
    with translation.override("en"):
        page = Template(
            '{{ d|date:"DATETIME_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}'
        ).render(Context({"d": moment}))
    assert page == "Tue 1 Dec 2026, 19:00|Tue 1 Dec 2026"


def test_a_page_shows_the_agreed_format_in_each_language(client_for, world):
    note = services.notification_send(user=world.teacher, kind="t", subject="예약")
    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 19, 0))
    Notification.objects.filter(pk=note.pk).update(created_at=moment)
    client = client_for(world.teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert "2026. 12. 1. 19:00" in client.get(reverse("core:notifications")).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "1 Dec 2026, 19:00" in client.get(reverse("core:notifications")).text


def test_the_password_reset_link_is_on_the_site_url(
    world, settings, django_capture_on_commit_callbacks
):
    settings.NANUM_SITE_URL = "https://nanum.example.kr"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("core:password_reset"), {"email": world.teacher.email})
    assert "https://nanum.example.kr/accounts/reset/" in mail.outbox[-1].body
    assert "testserver" not in mail.outbox[-1].body
