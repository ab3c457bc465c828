"""Applying, reviewing, renewing and ending memberships of a town's programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import Organisation, Role, Tenant, User
from nanum.core.services import Message, Text, audit_record, notification_send
from nanum.core.services.documents import (
    CheckedFile,
    document_check,
    document_delete_file,
    document_store,
)

from ..models import (
    LIVE_STATUSES,
    OFFICIAL_RECORD_CATEGORIES,
    REVIEWABLE,
    Application,
    Category,
    Document,
    GuardianLink,
    Seat,
    Status,
)
from ..selectors import (
    child_get,
    guardian_checks_missing,
    offered_providers,
    tenant_policy_get,
)
from ._common import officer_application
from ._school import GuardianChecksMissing, missing_message, school_fit_errors
from .quota import places_allocate
from .seats import seat_release_rows

DOCUMENT_FOLDER = "learning/documents"

GUARDIAN_CONSENT_AGE = 14


class NotEligible(DomainError):
    status = 422
    code = "not_eligible"
    default_message = _("The applicant does not meet this town's rules.")


class DuplicateApplication(DomainError):
    status = 409
    code = "duplicate_application"
    default_message = _(
        "You already have an application in this town. Check its status on your page."
    )


@dataclass
class ApplicationInput:
    full_name: str
    birth_year: int
    school_level: str
    category: str
    consent_collection: bool
    phone: str = ""
    address: str = ""
    district: str = ""
    lives_in_town: bool = False
    school: Organisation | None = None
    school_name: str = ""
    grade: int | None = None
    income_pct: int | None = None
    family_status: str = ""
    guardian_consent: bool = False
    preferred_provider_id: int | None = None
    documents: list[tuple[str, UploadedFile]] = field(default_factory=list)


def age_in(year: int, birth_year: int) -> int:
    return year - birth_year


def _check_rules(tenant: Tenant, data: ApplicationInput) -> None:
    policy = tenant_policy_get(tenant=tenant)
    if not policy.is_open or tenant.status != Tenant.Status.ACTIVE:
        raise DomainError(
            _("This town is not taking applications now."), code="window_closed"
        )
    errors: dict[str, list[Any]] = {}
    age = age_in(clock.today().year, data.birth_year)
    if not policy.min_age <= age <= policy.max_age:
        errors["birth_year"] = [
            _("This town accepts ages %(min)s to %(max)s.")
            % {"min": policy.min_age, "max": policy.max_age}
        ]
    if data.school_level not in (policy.school_levels or []):
        errors["school_level"] = [_("This town does not accept this school level.")]
    if data.category not in (policy.categories or []):
        errors["category"] = [_("This town does not accept this category.")]
    if data.category == Category.INCOME:
        if data.income_pct is None:
            errors["income_pct"] = [
                _("Enter the household income as a percentage of the median.")
            ]
        elif data.income_pct > policy.income_line_pct:
            errors["income_pct"] = [
                _("The income line of this town is %(pct)s%% of the median.")
                % {"pct": policy.income_line_pct}
            ]
    if policy.residence_required and not data.lives_in_town:
        errors["lives_in_town"] = [_("Only residents of this town can apply.")]
    if data.preferred_provider_id is not None and data.preferred_provider_id not in {
        a.provider_id for a in offered_providers(tenant_id=tenant.pk)
    }:
        errors["preferred_provider"] = [_("This town does not offer that provider.")]
    if errors:
        raise NotEligible(field_errors=errors)


def _check_input(data: ApplicationInput) -> None:
    errors: dict[str, list[Any]] = {}
    if not data.full_name.strip():
        errors["full_name"] = [_("Enter the student's name.")]
    if data.category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if not data.consent_collection:
        errors["consent_collection"] = [
            _("We need consent to collect and use this information.")
        ]
    if errors:
        raise InvalidInput(field_errors=errors)


def _check_documents(data: ApplicationInput) -> None:
    if data.category not in OFFICIAL_RECORD_CATEGORIES and not any(
        kind == "eligibility" for kind, _f in data.documents
    ):
        raise InvalidInput(
            field_errors={
                "eligibility_documents": [
                    _("Upload a document that proves the category.")
                ]
            }
        )


def _check_who(actor: User, student: User, data: ApplicationInput) -> bool:
    """Return True when a guardian consents for a child under 14."""
    age = age_in(clock.today().year, data.birth_year)
    if actor.pk == student.pk:
        if age < GUARDIAN_CONSENT_AGE:
            raise DomainError(
                _("Students under 14 need a guardian to apply and consent for them."),
                code="guardian_consent_required",
                status=422,
            )
        return False
    if not (
        actor.has_role(Role.GUARDIAN)
        and GuardianLink.objects.filter(guardian=actor, child=student).exists()
    ):
        raise PermissionDenied(_("You can only apply for your own children."))
    if age < GUARDIAN_CONSENT_AGE and not data.guardian_consent:
        raise InvalidInput(
            field_errors={
                "guardian_consent": [_("A guardian must consent for a child under 14.")]
            }
        )
    return data.guardian_consent


def application_submit(
    *,
    actor: User,
    tenant: Tenant,
    data: ApplicationInput,
    student_id: int | None = None,
) -> Application:
    """A student (or a guardian for their child ``student_id``) applies to a town's
    programme. Someone else's child is not found (its existence is not confirmed)."""
    student = (
        child_get(actor=actor, child_id=student_id)
        if student_id is not None and student_id != actor.pk
        else actor
    )
    _check_input(data)
    guardian_consents = _check_who(actor, student, data)
    _check_rules(tenant, data)
    fit = school_fit_errors(data.school_level, data.grade, data.birth_year)
    if fit:
        raise InvalidInput(field_errors=fit)
    _check_documents(data)
    if Application.objects.filter(
        tenant=tenant, student=student, status__in=LIVE_STATUSES
    ).exists():
        raise DuplicateApplication()
    checked: list[tuple[str, CheckedFile]] = [
        (kind, document_check(f)) for kind, f in data.documents
    ]
    stored: list[str] = []
    try:
        with transaction.atomic():
            policy = tenant_policy_get(tenant=tenant)
            stored = [document_store(c, folder=DOCUMENT_FOLDER) for _k, c in checked]
            app = Application(
                tenant=tenant,
                student=student,
                applicant=actor,
                full_name=data.full_name.strip()[:100],
                phone=data.phone.strip()[:40],
                address=data.address.strip()[:300],
                birth_year=data.birth_year,
                district=data.district.strip()[:60],
                lives_in_town=data.lives_in_town,
                school=data.school,
                school_name=(data.school.name_ko if data.school else data.school_name)[
                    :200
                ],
                school_level=data.school_level,
                grade=data.grade,
                category=data.category,
                sensitive={
                    "income_pct": data.income_pct,
                    "family_status": data.family_status[:100],
                },
                priority_rank=policy.priority_rank(data.category),
                consent_collection=True,
                guardian=actor if guardian_consents else None,
                guardian_consent_at=clock.now() if guardian_consents else None,
                preferred_provider_id=data.preferred_provider_id,
            )
            try:
                with transaction.atomic():
                    app.save()
            except IntegrityError as exc:
                raise DuplicateApplication() from exc
            Document.objects.bulk_create(
                [
                    Document(
                        application=app,
                        kind=kind,
                        file=name,
                        original_name=c.name,
                        content_type=c.content_type,
                        size=len(c.content),
                        pages=c.pages,
                        sha256=c.sha256,
                    )
                    for (kind, c), name in zip(checked, stored, strict=True)
                ]
            )
            audit_record(
                actor=actor,
                action="learning.application.submit",
                obj=app,
                tenant=tenant,
                after={"status": app.status, "documents": len(stored)},
            )
            _notify(
                app,
                _("Your application was received"),
                Message(
                    _("An officer of %(town)s will review it."),
                    town=lambda: tenant.name,  # in the reader's language
                ),
            )
    except Exception:
        for name in stored:
            document_delete_file(name)
        raise
    return app


def _notify(app: Application, subject: Text, body: Text = "") -> None:
    url = reverse("learning:my_application", args=[app.pk])
    notification_send(
        user=app.student,
        kind="learning.application",
        subject=subject,
        body=body,
        url=url,
    )
    if app.applicant is not None and app.applicant_id != app.student_id:
        notification_send(
            user=app.applicant,
            kind="learning.application",
            subject=subject,
            body=body,
            url=url,
        )


@transaction.atomic
def application_add_documents(
    *, actor: User, application_id: int, documents: list[tuple[str, UploadedFile]]
) -> Application:
    """The student or guardian sends the documents an officer asked for."""
    app = Application.objects.select_for_update().filter(pk=application_id).first()
    if app is None or actor.pk not in (app.student_id, app.applicant_id):
        raise PermissionDenied()
    if app.status not in REVIEWABLE:
        raise DomainError(
            _("This application is not waiting for documents."), code="wrong_state"
        )
    if not documents:
        raise InvalidInput(field_errors={"documents": [_("Choose at least one file.")]})
    if any(kind not in Document.Kind.values for kind, _f in documents):
        raise InvalidInput(
            field_errors={"kind": [_("Choose what the documents show.")]}
        )
    checked = [(kind, document_check(f)) for kind, f in documents]
    for kind, c in checked:
        Document.objects.create(
            application=app,
            kind=kind,
            file=document_store(c, folder=DOCUMENT_FOLDER),
            original_name=c.name,
            content_type=c.content_type,
            size=len(c.content),
            pages=c.pages,
            sha256=c.sha256,
        )
    app.status = Status.SUBMITTED
    app.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.application.documents",
        obj=app,
        tenant=app.tenant,
        after={"added": len(checked)},
    )
    return app


def _decide(app: Application, actor: User, status: Status, reason: str = "") -> None:
    app.status = status
    app.decided_at = clock.now()
    app.decided_by = actor
    app.reason = reason


@transaction.atomic
def application_approve(
    *,
    actor: User,
    application_id: int,
    verified_on: date | None = None,
    verified_until: date | None = None,
) -> Application:
    """Approve: the applicant joins the waiting list and gets a place if one is free."""
    app = officer_application(actor, application_id, lock=True)
    if app.status not in REVIEWABLE:
        raise DomainError(
            _("This application was already decided."), code="wrong_state"
        )
    missing = guardian_checks_missing(app)
    if missing:
        raise GuardianChecksMissing(missing_message(missing))
    if app.category in OFFICIAL_RECORD_CATEGORIES and not verified_on:
        raise InvalidInput(
            field_errors={
                "verified_on": [_("Record when you checked the official records.")]
            }
        )
    if verified_on and verified_until and verified_until < verified_on:
        raise InvalidInput(
            field_errors={"verified_until": [_("The end is before the start.")]}
        )
    if verified_on and verified_on > clock.today():
        raise InvalidInput(
            field_errors={"verified_on": [_("This date is in the future.")]}
        )
    before = {"status": app.status}
    _decide(app, actor, Status.WAITING)
    app.approved_at = app.decided_at
    if verified_on:
        app.verified_by = actor
        app.verified_on = verified_on
        app.verified_until = verified_until
    app.save()
    if app.guardian_id:
        # The officer has seen the family-relationship document with the application.
        GuardianLink.objects.filter(
            guardian_id=app.guardian_id,
            child_id=app.student_id,
            confirmed_by__isnull=True,
        ).update(confirmed_by=actor)
    audit_record(
        actor=actor,
        action="learning.application.approve",
        obj=app,
        tenant=app.tenant,
        before=before,
        after={"status": app.status, "verified_on": str(verified_on or "")},
    )
    places_allocate(tenant_ids=[app.tenant_id])
    app.refresh_from_db()
    if app.status == Status.WAITING:
        _notify(
            app,
            _("Your application was approved: you are on the waiting list"),
            _("You will get a place automatically when one is free."),
        )
    return app


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reason: str) -> Application:
    app = officer_application(actor, application_id, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            field_errors={"reason": [_("Give the reason the student will see.")]}
        )
    if app.status not in REVIEWABLE:
        raise DomainError(
            _("This application was already decided."), code="wrong_state"
        )
    before = {"status": app.status}
    _decide(app, actor, Status.REJECTED, reason[:1000])
    app.save()
    audit_record(
        actor=actor,
        action="learning.application.reject",
        obj=app,
        tenant=app.tenant,
        before=before,
        after={"status": app.status},
    )
    _notify(app, _("Your application was not approved"), reason)
    return app


@transaction.atomic
def application_request_documents(
    *, actor: User, application_id: int, reason: str
) -> Application:
    app = officer_application(actor, application_id, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            field_errors={"reason": [_("Say which documents are needed.")]}
        )
    if app.status != Status.SUBMITTED:
        raise DomainError(
            _("This application was already decided."), code="wrong_state"
        )
    app.status = Status.MORE_INFO
    app.reason = reason[:1000]
    app.save(update_fields=["status", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.application.more_info",
        obj=app,
        tenant=app.tenant,
        after={"status": app.status},
    )
    _notify(app, _("More documents are needed for your application"), reason)
    return app


def _end(app: Application, status: Status, reason: str) -> None:
    app.status = status
    app.reason = reason
    app.save(update_fields=["status", "reason", "updated_at"])
    seats = list(Seat.objects.filter(application=app, state=Seat.State.ACTIVE))
    seat_release_rows(seats, reason=status)


@transaction.atomic
def application_withdraw(*, actor: User, application_id: int) -> Application:
    app = Application.objects.select_for_update().filter(pk=application_id).first()
    if app is None or actor.pk not in (
        app.student_id,
        app.applicant_id,
        app.guardian_id,
    ):
        raise PermissionDenied()
    if not app.is_live:
        raise DomainError(_("This application has already ended."), code="wrong_state")
    held_place = app.status == Status.APPROVED
    _end(app, Status.WITHDRAWN, "")
    audit_record(
        actor=actor,
        action="learning.application.withdraw",
        obj=app,
        tenant=app.tenant,
        after={"status": app.status},
    )
    if held_place:
        places_allocate(tenant_ids=[app.tenant_id])
    return app
