"""The owner of an iCal feed can give it a new address or switch it off, from the page
that shows the address; the old address is dead at once, and each change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nanum.core.errors import NotFound
from nanum.core.models import AuditLog
from nanum.lending import services
from nanum.lending.models import CalendarFeed

from .helpers import book

pytestmark = pytest.mark.django_db


def _feed_url(token: str) -> str:
    return reverse("lending:ical", args=[token])


def _action(name: str) -> str:
    return reverse("lending:feed_action", args=[name])


def test_the_owner_makes_a_new_address_and_the_old_one_dies(
    world, lending, client_for, client
):
    book(world, lending)
    teacher = client_for(world.teacher)
    teacher.post(_action("create"))
    old = CalendarFeed.objects.get(user=world.teacher).token

    page = teacher.get(reverse("lending:my_reservations")).content.decode()
    assert old in page
    assert _action("rotate") in page and _action("revoke") in page

    response = teacher.post(_action("rotate"), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "이전 주소는 더 이상 작동하지 않습니다" in body  # the confirmation
    new = CalendarFeed.objects.get(user=world.teacher).token
    assert new != old and new in body and old not in body

    anonymous = client
    anonymous.logout()
    assert anonymous.get(_feed_url(old)).status_code == 404
    ics = anonymous.get(_feed_url(new))
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content

    row = AuditLog.objects.get(action="lending.feed.rotate")
    assert row.actor == world.teacher
    assert old not in str(row.before) + str(row.after)
    assert new not in str(row.before) + str(row.after)


def test_the_owner_switches_the_feed_off(world, lending, client_for, client):
    teacher = client_for(world.teacher)
    teacher.post(_action("create"))
    token = CalendarFeed.objects.get(user=world.teacher).token

    response = teacher.post(_action("revoke"), follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "캘린더 피드를 껐습니다" in body
    assert token not in body
    assert _action("create") in body  # a new feed can be made again
    assert not CalendarFeed.objects.filter(user=world.teacher).exists()
    client.logout()
    assert client.get(_feed_url(token)).status_code == 404
    assert AuditLog.objects.filter(
        action="lending.feed.revoke", actor=world.teacher
    ).exists()


def test_rotating_or_revoking_needs_post_and_touches_only_your_own_feed(
    world, lending, client_for
):
    services.calendar_feed_create(actor=world.teacher)
    token = CalendarFeed.objects.get(user=world.teacher).token
    other = client_for(world.bank_officer)
    # A GET changes nothing.
    assert other.get(_action("rotate")).status_code == 405
    # Someone without a feed: 404, and the teacher's feed is untouched.
    assert other.post(_action("rotate")).status_code == 404
    assert other.post(_action("revoke")).status_code == 404
    assert CalendarFeed.objects.get(user=world.teacher).token == token
    assert not AuditLog.objects.filter(action__startswith="lending.feed.r").exists()


def test_services_refuse_without_a_feed(world):
    with pytest.raises(NotFound):
        services.calendar_feed_rotate(actor=world.teacher)
    with pytest.raises(NotFound):
        services.calendar_feed_revoke(actor=world.teacher)


def test_the_english_page_confirms_in_english(world, lending, client_for, settings):
    teacher = client_for(world.teacher)
    teacher.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    teacher.post(_action("create"))
    body = teacher.post(_action("rotate"), follow=True).content.decode()
    assert "the old one no longer works" in body
