"""Terms and the survey a student fills to ask for a mentor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import District, Organisation, Tenant, User
from nanum.core.services import audit_record

from ..models import Level, Match, MenteeSurvey, Mode, Term
from ..selectors import mentee_eligible
from ._common import clean_hours, clean_mode, clean_subjects, require_staff

GENDER_BITS = {"": 0, "female": 1, "male": 2}


@transaction.atomic
def term_create(
    *, actor: User, tenant: Tenant, name: str, starts_on: date, ends_on: date
) -> Term:
    require_staff(actor, tenant.pk)
    if not (name or "").strip():
        raise InvalidInput(field_errors={"name": [_("Enter a name.")]})
    if ends_on < starts_on + timedelta(days=120):
        raise InvalidInput(
            field_errors={"ends_on": [_("A term lasts at least 4 months.")]}
        )
    term = Term.objects.create(
        tenant=tenant, name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on
    )
    audit_record(actor=actor, action="mentoring.term.create", obj=term, tenant=tenant)
    return term


@dataclass
class SurveyInput:
    subjects: list[str]
    level: str
    availability: list[int]
    mode: str
    district_id: int | None = None
    place: str = ""
    mentor_gender: str = ""
    university_id: int | None = None
    wants_taster: bool = False
    notes: str = ""


@transaction.atomic
def survey_submit(*, actor: User, term_id: int, data: SurveyInput) -> MenteeSurvey:
    """An eligible student says what they need (a second submission updates it)."""
    term = Term.objects.select_related("tenant").filter(pk=term_id).first()
    if term is None or not mentee_eligible(actor, term.tenant_id):
        # a term of another town looks the same as no term at all
        raise NotFound(_("There is no mentoring term for you to join."))
    if term.ends_on < clock.today():
        raise DomainError(_("This term has ended."), code="term_ended")
    if data.level not in Level.values:
        raise InvalidInput(field_errors={"level": [_("Choose your school level.")]})
    if data.mentor_gender not in GENDER_BITS:
        raise InvalidInput(field_errors={"mentor_gender": [_("Choose from the list.")]})
    fields: dict[str, Any] = {
        "subjects": clean_subjects(data.subjects),
        "availability": clean_hours(data.availability),
        "mode": clean_mode(data.mode),
        "level": data.level,
        "place": (data.place or "").strip()[:200],
        "mentor_gender": data.mentor_gender,
        "wants_taster": bool(data.wants_taster),
        "notes": (data.notes or "").strip()[:1000],
        "district": None,
        "university": None,
    }
    if data.district_id:
        fields["district"] = District.objects.filter(
            pk=data.district_id, tenant_id=term.tenant_id
        ).first()
        if fields["district"] is None:
            raise InvalidInput(
                field_errors={"district": [_("Choose a district of your town.")]}
            )
    if fields["mode"] != Mode.ONLINE and fields["district"] is None:
        raise InvalidInput(
            field_errors={"district": [_("Choose your district to meet in person.")]}
        )
    if data.university_id:
        fields["university"] = Organisation.objects.filter(
            pk=data.university_id, kind=Organisation.Kind.UNIVERSITY
        ).first()
        if fields["university"] is None:
            raise InvalidInput(
                field_errors={"university": [_("Choose from the list.")]}
            )
    if Match.objects.filter(
        student=actor, term=term, status=Match.Status.ACTIVE
    ).exists():
        raise DomainError(
            _("You already have a mentor this term."), code="already_matched"
        )
    survey, created = MenteeSurvey.objects.update_or_create(
        student=actor,
        term=term,
        defaults={
            **fields,
            "tenant_id": term.tenant_id,
            "submitted_at": clock.now(),
        },
    )
    audit_record(
        actor=actor,
        action="mentoring.survey." + ("submit" if created else "update"),
        obj=survey,
        tenant=term.tenant,
        after={"subjects": survey.subjects, "mode": survey.mode},
    )
    return survey
