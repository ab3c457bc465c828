"""Mentors: application, documents, screening, activation, capacity, leaving."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import District, Organisation, Role, Tenant, User
from nanum.core.services import audit_record, notification_send, role_grant, snapshot
from nanum.core.services.documents import (
    document_check,
    document_delete_file,
    document_store,
)

from ..models import Match, MentorDocument, MentorProfile, Mode
from ..selectors import mentor_profile_get
from ._common import (
    clean_hours,
    clean_levels,
    clean_mode,
    clean_subjects,
    require_staff,
)
from .pairs import end_match

REQUIRED_CHECKS = ("identity", "enrolment", "record_check")
DOCUMENT_FOLDER = "mentoring/documents"
# An applicant's documents serve the screening: kept this long after the decision
# (approve or reject), then deleted, file and row (PIPA art. 21).
DOCUMENT_RETENTION_DAYS = 180


@dataclass
class MentorInput:
    university_id: int
    major: str
    year: int
    subjects: list[str]
    levels: list[str]
    availability: list[int]
    mode: str
    district_ids: list[int] = field(default_factory=list)
    gender: str = ""
    capacity: int = 4


def _clean(
    tenant: Tenant, data: MentorInput
) -> tuple[Organisation, list[District], dict]:
    errors: dict[str, list] = {}
    university = Organisation.objects.filter(
        pk=data.university_id, kind=Organisation.Kind.UNIVERSITY, is_active=True
    ).first()
    if university is None:
        errors["university"] = [_("Choose your university from the list.")]
    major = (data.major or "").strip()
    if not major:
        errors["major"] = [_("Enter your major.")]
    if not isinstance(data.year, int) or not 1 <= data.year <= 8:
        errors["year"] = [_("Enter your year of study (1 to 8).")]
    if not isinstance(data.capacity, int) or not 1 <= data.capacity <= 10:
        errors["capacity"] = [_("A mentor takes 1 to 10 mentees.")]
    if data.gender not in ("", "female", "male"):
        errors["gender"] = [_("Choose from the list.")]
    if errors or university is None:
        raise InvalidInput(field_errors=errors)
    clean = {
        "subjects": clean_subjects(data.subjects),
        "levels": clean_levels(data.levels),
        "availability": clean_hours(data.availability),
        "mode": clean_mode(data.mode),
        "major": major[:100],
    }
    districts = list(
        District.objects.filter(pk__in=data.district_ids or [], tenant=tenant)
    )
    if len(districts) != len(set(data.district_ids or [])):
        raise InvalidInput(
            field_errors={"districts": [_("Choose districts of this town.")]}
        )
    if clean["mode"] != Mode.ONLINE and not districts:
        raise InvalidInput(
            field_errors={
                "districts": [_("Choose the districts you can reach in person.")]
            }
        )
    return university, districts, clean


@transaction.atomic
def mentor_apply(*, actor: User, tenant: Tenant, data: MentorInput) -> MentorProfile:
    """A university student applies to mentor in ``tenant``."""
    if not actor.is_authenticated:
        raise PermissionDenied()
    if tenant.status != Tenant.Status.ACTIVE:
        raise DomainError(_("This town is not taking mentors."), code="town_closed")
    university, districts, clean = _clean(tenant, data)
    if MentorProfile.objects.filter(user=actor, tenant=tenant).exists():
        raise DomainError(
            _("You have already applied to mentor in this town."),
            code="duplicate_mentor",
        )
    profile = MentorProfile(
        user=actor,
        tenant=tenant,
        university=university,
        year=data.year,
        gender=data.gender,
        capacity=data.capacity,
        **clean,
    )
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise DomainError(
            _("You have already applied to mentor in this town."),
            code="duplicate_mentor",
        ) from exc
    profile.districts.set(districts)
    audit_record(
        actor=actor,
        action="mentoring.mentor.apply",
        obj=profile,
        tenant=tenant,
        after=snapshot(profile, ["status", "subjects", "capacity", "mode"]),
    )
    return profile


def mentor_document_add(
    *, actor: User, profile_id: int, kind: str, upload: UploadedFile
) -> MentorDocument:
    """A mentor adds a document to their application. The file is judged by its
    bytes (a PDF, JPG or PNG of at most 5 MB, a PDF of at most 20 pages), not by its
    name, and stored privately under a random name."""
    profile = MentorProfile.objects.filter(pk=profile_id, user=actor).first()
    if profile is None:
        raise NotFound()
    if kind not in MentorDocument.Kind.values:
        raise InvalidInput(field_errors={"kind": [_("Choose from the list.")]})
    checked = document_check(upload, field="file")
    stored = document_store(checked, folder=DOCUMENT_FOLDER)
    try:
        with transaction.atomic():
            doc = MentorDocument.objects.create(mentor=profile, kind=kind, file=stored)
            audit_record(
                actor=actor,
                action="mentoring.mentor.document",
                obj=doc,
                tenant=profile.tenant,
                after={"kind": kind},
            )
    except BaseException:
        document_delete_file(stored)  # nothing kept of a write that did not happen
        raise
    return doc


def _locked(actor: User, profile_id: int) -> MentorProfile:
    profile = mentor_profile_get(actor=actor, profile_id=profile_id)
    return MentorProfile.objects.select_for_update().get(pk=profile.pk)


@transaction.atomic
def mentor_screen(
    *,
    actor: User,
    profile_id: int,
    checks: dict[str, bool],
    training_completed_on: date | None,
    approve: bool,
    note: str = "",
) -> MentorProfile:
    """Staff record the screening checks and approve or reject the application."""
    profile = _locked(actor, profile_id)
    require_staff(actor, profile.tenant_id)
    if profile.status not in (
        MentorProfile.Status.APPLIED,
        MentorProfile.Status.APPROVED,
    ):
        raise DomainError(
            _("This application was already decided."), code="wrong_state"
        )
    before = snapshot(profile, ["status", "checks"])
    clean_checks = {k: bool(checks.get(k)) for k in REQUIRED_CHECKS}
    if approve:
        missing = [k for k, ok in clean_checks.items() if not ok]
        errors: dict[str, list] = {}
        if missing:
            errors["checks"] = [_("Record every required check before approving.")]
        if training_completed_on is None:
            errors["training_completed_on"] = [
                _("Mentors must complete the training first.")
            ]
        elif training_completed_on > clock.today():
            errors["training_completed_on"] = [_("This date is in the future.")]
        if errors:
            raise InvalidInput(field_errors=errors)
    profile.checks = {**clean_checks, "note": note[:500]}
    profile.training_completed_on = training_completed_on
    profile.status = (
        MentorProfile.Status.APPROVED if approve else MentorProfile.Status.REJECTED
    )
    profile.screened_by, profile.screened_at = actor, clock.now()
    profile.save()
    audit_record(
        actor=actor,
        action="mentoring.mentor.screen",
        obj=profile,
        tenant=profile.tenant,
        before=before,
        after=snapshot(profile, ["status", "checks"]),
    )
    notification_send(
        user=profile.user,
        kind="mentoring.screened",
        subject=(
            _("Your mentor application was approved")
            if approve
            else _("Your mentor application was not approved")
        ),
    )
    return profile


@transaction.atomic
def mentor_activate(*, actor: User, profile_id: int) -> MentorProfile:
    profile = _locked(actor, profile_id)
    if profile.status != MentorProfile.Status.APPROVED:
        raise DomainError(
            _("Only a screened mentor can be activated."), code="wrong_state"
        )
    role_grant(
        actor=actor,
        user=profile.user,
        role=Role.MENTOR,
        organisation=profile.university,
    )
    profile.status, profile.activated_at = MentorProfile.Status.ACTIVE, clock.now()
    profile.save(update_fields=["status", "activated_at"])
    audit_record(
        actor=actor,
        action="mentoring.mentor.activate",
        obj=profile,
        tenant=profile.tenant,
        after={"status": profile.status},
    )
    notification_send(
        user=profile.user,
        kind="mentoring.activated",
        subject=_("You are now an active mentor"),
    )
    return profile


def _own_or_staff(actor: User, profile_id: int) -> MentorProfile:
    own = (
        MentorProfile.objects.select_for_update()
        .filter(pk=profile_id, user=actor)
        .first()
    )
    return own if own is not None else _locked(actor, profile_id)


def open_load(profile: MentorProfile) -> int:
    return Match.objects.filter(
        mentor=profile, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE]
    ).count()


@transaction.atomic
def mentor_set_capacity(
    *, actor: User, profile_id: int, capacity: int
) -> MentorProfile:
    profile = _own_or_staff(actor, profile_id)
    if not isinstance(capacity, int) or not 1 <= capacity <= 10:
        raise InvalidInput(
            field_errors={"capacity": [_("A mentor takes 1 to 10 mentees.")]}
        )
    if capacity < open_load(profile):
        raise InvalidInput(
            field_errors={"capacity": [_("You already have more mentees than that.")]}
        )
    before = {"capacity": profile.capacity}
    profile.capacity = capacity
    profile.save(update_fields=["capacity"])
    audit_record(
        actor=actor,
        action="mentoring.mentor.capacity",
        obj=profile,
        tenant=profile.tenant,
        before=before,
        after={"capacity": capacity},
    )
    return profile


@transaction.atomic
def mentor_leave(*, actor: User, profile_id: int, reason: str = "") -> list[Match]:
    """The mentor leaves: their pairs end and their mentees wait for a rematch."""
    profile = _own_or_staff(actor, profile_id)
    if profile.status == MentorProfile.Status.LEFT:
        raise DomainError(_("This mentor has already left."), code="wrong_state")
    ended = []
    for match in Match.objects.select_for_update().filter(
        mentor=profile, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE]
    ):
        end_match(match=match, actor=actor, reason=reason or "mentor_left")
        ended.append(match)
    profile.status = MentorProfile.Status.LEFT
    profile.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="mentoring.mentor.leave",
        obj=profile,
        tenant=profile.tenant,
        after={"ended_matches": len(ended), "reason": reason},
    )
    return ended


def mentor_documents_purge(*, now: datetime | None = None) -> int:
    """Delete the documents of applications decided more than
    ``DOCUMENT_RETENTION_DAYS`` ago (the file first, then the row: a failure leaves
    a row whose file is gone, which the pages treat as not found, never a file
    without a row). Applications still waiting keep theirs. Safe to run twice."""
    cut = (now or clock.now()) - timedelta(days=DOCUMENT_RETENTION_DAYS)
    due = MentorDocument.objects.filter(mentor__screened_at__lt=cut).exclude(
        mentor__status=MentorProfile.Status.APPLIED
    )
    deleted = 0
    for doc in due.iterator():
        document_delete_file(doc.file.name)
        doc.delete()
        deleted += 1
    if deleted:
        audit_record(
            actor=None,
            action="mentoring.documents.purge",
            object_type="mentoring",
            after={"documents": deleted},
        )
    return deleted
