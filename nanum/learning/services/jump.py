"""& Jump reward programmes: an officer opens one, members apply with a short essay,
the officer shortlists by mileage and selects; a guardian consents to travel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import User
from nanum.core.services import Message, audit_record, notification_send

from ..models import GuardianLink, RewardApplication, RewardProgramme
from ..selectors import (
    officer_tenant_ids,
    reward_programme_member_get,
    student_mileage,
    tenant_offers,
)
from ._common import require_officer

ESSAY_MIN, ESSAY_MAX = 30, 2000
ADULT_AGE = 19
SHORTLIST_FACTOR = 2  # the shortlist holds twice as many as there are places


@dataclass(frozen=True)
class ProgrammeInput:
    title_ko: str
    title_en: str
    description: str
    criteria: str
    essay_prompt: str
    places: int
    min_mileage: int
    opens_on: date
    closes_on: date
    involves_travel: bool


@transaction.atomic
def reward_programme_create(
    *, actor: User, tenant_id: int, data: ProgrammeInput
) -> RewardProgramme:
    require_officer(actor, tenant_id)
    errors: dict[str, list[Any]] = {}
    if not tenant_offers(tenant=tenant_id, service="jump"):
        errors["town"] = [
            _("This town does not offer & Jump: switch the service on first.")
        ]
    if not data.title_ko.strip():
        errors["title_ko"] = [_("Enter a title in Korean.")]
    if not data.essay_prompt.strip():
        errors["essay_prompt"] = [_("Enter the essay question.")]
    if data.places < 1:
        errors["places"] = [_("A programme has at least one place.")]
    if data.min_mileage < 0:
        errors["min_mileage"] = [_("Enter zero or more.")]
    if data.closes_on < data.opens_on:
        errors["closes_on"] = [_("Applications must close after they open.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    programme = RewardProgramme(
        tenant_id=tenant_id,
        title_ko=data.title_ko.strip(),
        title_en=data.title_en.strip(),
        description=data.description.strip(),
        criteria=data.criteria.strip(),
        essay_prompt=data.essay_prompt.strip(),
        places=data.places,
        min_mileage=data.min_mileage,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        involves_travel=data.involves_travel,
    )
    programme.full_clean()
    programme.save()
    audit_record(
        actor=actor,
        action="learning.jump.create",
        obj=programme,
        tenant=programme.tenant,
        after={"title": programme.title_ko, "places": programme.places},
    )
    return programme


@transaction.atomic
def reward_apply(*, actor: User, programme_id: int, essay: str) -> RewardApplication:
    """A member applies; the window, the mileage floor and the essay are checked."""
    programme = reward_programme_member_get(actor=actor, programme_id=programme_id)
    today = clock.today()
    if not programme.opens_on <= today <= programme.closes_on:
        raise DomainError(
            _("Applications for this programme are closed."), code="window_closed"
        )
    essay = (essay or "").strip()
    if len(essay) < ESSAY_MIN:
        raise InvalidInput(field_errors={"essay": [_("Write at least 30 characters.")]})
    if len(essay) > ESSAY_MAX:
        raise InvalidInput(
            field_errors={"essay": [_("Write at most 2000 characters.")]}
        )
    mileage = student_mileage(student_id=actor.pk, year=today.year)
    if mileage < programme.min_mileage:
        raise DomainError(
            _("This programme needs %(need)s mileage; you have %(have)s.")
            % {"need": programme.min_mileage, "have": mileage},
            code="not_enough_mileage",
        )
    try:
        with transaction.atomic():
            application = RewardApplication.objects.create(
                programme=programme,
                tenant_id=programme.tenant_id,
                student=actor,
                essay=essay,
                mileage=mileage,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("You have already applied to this programme."), code="duplicate"
        ) from exc
    audit_record(
        actor=actor,
        action="learning.jump.apply",
        obj=application,
        tenant=programme.tenant,
        after={"programme": programme.pk, "mileage": mileage},
    )
    return application


def _officer_programme(actor: User, programme_id: int) -> RewardProgramme:
    qs = RewardProgramme.objects.select_for_update().select_related("tenant")
    ids = officer_tenant_ids(actor)
    if ids is not None:
        qs = qs.filter(tenant_id__in=ids)
    programme = qs.filter(pk=programme_id).first()
    if programme is None:
        raise NotFound()
    return programme


@transaction.atomic
def reward_shortlist_make(*, actor: User, programme_id: int) -> int:
    """Put the best applicants by mileage (twice the places) on the shortlist."""
    programme = _officer_programme(actor, programme_id)
    if programme.applications.filter(state=RewardApplication.State.SELECTED).exists():
        raise DomainError(
            _("Selection has started: the shortlist can no longer change."),
            code="wrong_state",
        )
    live = programme.applications.filter(
        state__in=[
            RewardApplication.State.SUBMITTED,
            RewardApplication.State.SHORTLISTED,
        ]
    ).order_by("-mileage", "submitted_at", "pk")
    ids = list(live.values_list("pk", flat=True)[: programme.places * SHORTLIST_FACTOR])
    live.update(state=RewardApplication.State.SUBMITTED)
    RewardApplication.objects.filter(pk__in=ids).update(
        state=RewardApplication.State.SHORTLISTED
    )
    audit_record(
        actor=actor,
        action="learning.jump.shortlist",
        obj=programme,
        tenant=programme.tenant,
        after={"shortlisted": ids},
    )
    return len(ids)


def _is_minor(student: User) -> bool:
    year = student.birth_year
    return year is not None and clock.today().year - year < ADULT_AGE


@transaction.atomic
def reward_select(
    *, actor: User, application_id: int, select: bool
) -> RewardApplication:
    """Select (or turn down) one shortlisted applicant, within the places."""
    qs = RewardApplication.objects.select_for_update().select_related(
        "programme", "student", "tenant"
    )
    ids = officer_tenant_ids(actor)
    if ids is not None:
        qs = qs.filter(tenant_id__in=ids)
    application = qs.filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    programme = _officer_programme(actor, application.programme_id)
    if application.state != RewardApplication.State.SHORTLISTED:
        raise DomainError(
            _("Only a shortlisted applicant can be selected or turned down."),
            code="wrong_state",
        )
    if select:
        taken = programme.applications.filter(
            state=RewardApplication.State.SELECTED
        ).count()
        if taken >= programme.places:
            raise DomainError(
                _("All %(n)s places are already filled.") % {"n": programme.places},
                code="full",
            )
    application.state = (
        RewardApplication.State.SELECTED
        if select
        else RewardApplication.State.NOT_SELECTED
    )
    application.decided_by = actor
    application.decided_at = clock.now()
    application.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="learning.jump.select",
        obj=application,
        tenant=application.tenant,
        after={"state": application.state},
    )
    if select:
        notification_send(
            user=application.student,
            kind="learning.jump.selected",
            subject=Message(
                _("You were selected for %(title)s"), title=programme.title_ko
            ),
            url="/learning/jump/",
        )
        if programme.involves_travel and _is_minor(application.student):
            for link in GuardianLink.objects.filter(
                child=application.student
            ).select_related("guardian"):
                notification_send(
                    user=link.guardian,
                    kind="learning.jump.consent",
                    subject=_("Your consent is needed for a reward trip"),
                    body=Message(
                        _("%(child)s was selected for %(title)s."),
                        child=application.student.display_name,
                        title=programme.title_ko,
                    ),
                    url="/learning/jump/",
                )
    return application


@transaction.atomic
def reward_travel_consent(*, actor: User, application_id: int) -> RewardApplication:
    """A guardian of the selected child consents to the programme's travel."""
    application = (
        RewardApplication.objects.select_for_update()
        .select_related("programme", "tenant")
        .filter(pk=application_id)
        .first()
    )
    if (
        application is None
        or not GuardianLink.objects.filter(
            guardian=actor, child_id=application.student_id
        ).exists()
    ):
        raise NotFound()
    if (
        application.state != RewardApplication.State.SELECTED
        or not application.programme.involves_travel
    ):
        raise PermissionDenied(_("No travel consent is needed for this place."))
    if application.travel_consent_at is not None:
        raise DomainError(_("Consent was already given."), code="wrong_state")
    application.travel_consent_by = actor
    application.travel_consent_at = clock.now()
    application.save(update_fields=["travel_consent_by", "travel_consent_at"])
    audit_record(
        actor=actor,
        action="learning.jump.consent",
        obj=application,
        tenant=application.tenant,
    )
    return application
