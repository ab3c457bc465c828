"""Running a programme: QR check-in, staff attendance, completion, certificates, surveys."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import User
from nanum.core.services import Message, audit_record

from .. import selectors
from ..models import (
    Application,
    Attendance,
    Certificate,
    Programme,
    Session,
    SurveyResponse,
)
from ._common import _check_organiser, _notify

CHECKIN_SALT = "nanum.programs.checkin"
CHECKIN_EARLY = timedelta(minutes=30)  # the code works from 30 min before the start
CHECKIN_LATE = timedelta(minutes=30)  # until 30 min after the end
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def checkin_token(session: Session) -> str:
    """The same token for a session every time it is asked for (no timestamp in
    it), so a code printed before the session and the one on the screen agree."""
    expires = int((session.ends_at + CHECKIN_LATE).timestamp())
    return signing.Signer(salt=CHECKIN_SALT).sign_object(
        {"s": session.pk, "e": expires}, compress=True
    )


def checkin_url(session: Session) -> str:
    return reverse("programs:checkin", args=[checkin_token(session)])


def _read_token(token: str, now: datetime) -> int:
    try:
        if token.count(":") == 2:  # made before the token was fixed per session
            data = signing.loads(token, salt=CHECKIN_SALT)
        else:
            data = signing.Signer(salt=CHECKIN_SALT).unsign_object(token)
        session_id, expires = int(data["s"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise DomainError(
            _("This check-in code is not valid."), code="bad_code", status=400
        ) from exc
    if now.timestamp() > expires:
        raise DomainError(_("This check-in code has expired."), code="code_expired")
    return session_id


@transaction.atomic
def checkin(*, actor: User, token: str, now: datetime | None = None) -> Attendance:
    """The signed-in participant (or the guardian of a child) opens the session's QR link."""
    now = now or clock.now()
    session_id = _read_token(token, now)
    session = Session.objects.select_related("programme").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if now < session.starts_at - CHECKIN_EARLY:
        raise DomainError(
            _("Check-in opens 30 minutes before the session."), code="too_early"
        )
    app = Application.objects.filter(
        Q(participant=actor) | Q(child__guardian=actor, participant__isnull=True),
        programme=session.programme,
        status=Application.Status.SELECTED,
    ).first()
    if app is None:
        raise DomainError(
            _("You do not have a confirmed place in this programme."),
            code="no_place",
            status=403,
        )
    att, created = Attendance.objects.get_or_create(
        session=session,
        application=app,
        defaults={"method": Attendance.Method.QR, "recorded_by": actor, "at": now},
    )
    if not created and not att.present:
        att.present, att.method, att.at = True, Attendance.Method.QR, now
        att.save(update_fields=["present", "method", "at"])
    audit_record(actor=actor, action="programme.checkin", obj=att)
    return att


@transaction.atomic
def attendance_mark(
    *, actor: User, session: Session, application_ids: list[int], present_ids: list[int]
) -> int:
    """Staff record who was present (and absent) at a session."""
    _check_organiser(actor, session.programme.organiser)
    apps = set(
        Application.objects.filter(
            programme_id=session.programme_id,
            pk__in=application_ids,
            status=Application.Status.SELECTED,
        ).values_list("pk", flat=True)
    )
    if set(present_ids) - apps:
        raise InvalidInput(field_errors={"present": [_("Unknown participant.")]})
    for app_id in apps:
        Attendance.objects.update_or_create(
            session=session,
            application_id=app_id,
            defaults={
                "present": app_id in present_ids,
                "method": Attendance.Method.STAFF,
                "recorded_by": actor,
                "at": clock.now(),
            },
        )
    audit_record(
        actor=actor,
        action="programme.attendance",
        obj=session,
        after={"present": sorted(present_ids)},
    )
    return len(apps)


def _new_code() -> str:
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)
    )


@transaction.atomic
def certificates_issue(*, actor: User, programme: Programme) -> list[Certificate]:
    """Issue certificates to every selected participant who met the completion rule."""
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    total = p.sessions.count()
    if not total or p.sessions.filter(ends_at__gt=clock.now()).exists():
        raise DomainError(
            _("Certificates are issued after the last session."), code="not_finished"
        )
    counts = selectors.attendance_counts(p)
    issued = []
    apps = p.applications.filter(
        status=Application.Status.SELECTED, certificate__isnull=True
    )
    for app in apps.select_related("participant", "child", "applied_by"):
        n = counts.get(app.pk, 0)
        if not selectors.completed(n, total, p.completion_percent):
            continue
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    cert = Certificate.objects.create(
                        application=app,
                        code=_new_code(),
                        holder_name=app.person_name[:100],
                        attended=n,
                        total_sessions=total,
                        hours=p.hours,
                    )
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - 32^12 codes
            raise DomainError(code="code_collision")
        issued.append(cert)
        audit_record(
            actor=actor,
            action="programme.certificate",
            obj=cert,
            after={"code": cert.code},
        )
        _notify(
            app.applied_by,
            "programs.certificate",
            Message(_("Your certificate for %(name)s is ready"), name=p.name),
            url=reverse("programs:mine"),
        )
    return issued


@transaction.atomic
def survey_submit(
    *,
    actor: User,
    application_id: int,
    overall: int,
    content: int,
    instructor: int,
    comment: str = "",
) -> SurveyResponse:
    app = (
        Application.objects.filter(
            Q(participant=actor) | Q(applied_by=actor), pk=application_id
        )
        .select_related("programme")
        .first()
    )
    if app is None:
        raise NotFound()
    if app.status != Application.Status.SELECTED:
        raise DomainError(
            _("Only participants can answer the survey."), code="not_participant"
        )
    first = app.programme.sessions.order_by("starts_at").first()
    if first is None or first.starts_at > clock.now():
        raise DomainError(
            _("The survey opens when the programme has started."),
            code="survey_not_open",
        )
    scores = {"overall": overall, "content": content, "instructor": instructor}
    errors = {
        k: [_("Choose a score from 1 to 5.")]
        for k, v in scores.items()
        if not isinstance(v, int) or not 1 <= v <= 5
    }
    if errors:
        raise InvalidInput(field_errors=errors)
    if SurveyResponse.objects.filter(application=app).exists():
        raise DomainError(_("You have already answered this survey."), code="duplicate")
    resp = SurveyResponse.objects.create(
        application=app,
        overall=overall,
        content=content,
        instructor=instructor,
        comment=(comment or "")[:2000],
    )
    audit_record(actor=actor, action="programme.survey", obj=resp)
    return resp
