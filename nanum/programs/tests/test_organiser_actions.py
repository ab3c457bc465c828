"""The organiser page offers the draw, offers and certificates only when they work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from nanum.programs import selectors, services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def test_draw_button_only_after_the_period_closes(client_for, world):
    p = make_programme(world.centre_staff, world.centre, selection="lottery")
    c = client_for(world.centre_staff)
    html = c.get(f"/programs/organiser/{p.pk}/").content.decode()
    assert 'value="draw"' not in html and 'value="certificates"' not in html
    acts = selectors.programme_organiser_actions(programme=p)
    assert not acts.draw and acts.draw_reason and acts.certificates_reason
    p.apply_closes_at = timezone.now() - timedelta(minutes=1)
    p.save()
    assert 'value="draw"' in c.get(f"/programs/organiser/{p.pk}/").content.decode()
    services.programme_draw(actor=world.centre_staff, programme=p)
    p.refresh_from_db()
    assert 'value="draw"' not in c.get(f"/programs/organiser/{p.pk}/").content.decode()


def test_certificates_button_after_the_last_session(client_for, world):
    p = make_programme(world.centre_staff, world.centre, past_sessions=True)
    acts = selectors.programme_organiser_actions(programme=p)
    assert acts.certificates and not acts.certificates_reason
    html = client_for(world.centre_staff).get(f"/programs/organiser/{p.pk}/")
    assert 'value="certificates"' in html.content.decode()
