"""& Jump: each town's rules produce a shortlist that officers confirm."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Role, Tenant, User
from nanum.core.services import audit_record, notification_send

from ..models import Application, Recommendation, RewardCandidate, Status, StudyDay
from ..selectors import mileage_of, officer_tenant_ids, tenant_policy_get
from ._common import require_officer


@transaction.atomic
def recommendation_add(
    *, actor: User, tenant: Tenant, student: User | int, year: int, note: str = ""
) -> Recommendation:
    """A mentor, teacher or officer recommends a member (a user or their id)."""
    if isinstance(student, int):
        found = User.objects.filter(pk=student).first()
        if found is None:
            raise NotFound()
        student = found
    if not actor.has_role(Role.MENTOR, Role.TEACHER, Role.TENANT_OFFICER):
        raise PermissionDenied()
    if not Application.objects.filter(
        tenant=tenant, student=student, status=Status.APPROVED
    ).exists():
        raise InvalidInput(
            field_errors={"student": [_("This student is not a member.")]}
        )
    rec, _c = Recommendation.objects.update_or_create(
        tenant=tenant,
        student=student,
        recommender=actor,
        year=year,
        defaults={"note": note[:300]},
    )
    audit_record(
        actor=actor, action="learning.reward.recommend", obj=rec, tenant=tenant
    )
    return rec


@transaction.atomic
def reward_shortlist_build(*, actor: User, tenant_id: int, year: int) -> int:
    """Replace the proposed shortlist of a town for a year by its rules."""
    require_officer(actor, tenant_id)
    policy = tenant_policy_get(tenant=tenant_id)
    members = Application.objects.filter(tenant_id=tenant_id, status=Status.APPROVED)
    totals = (
        StudyDay.objects.filter(
            student_id__in=members.values("student_id"),
            day__gte=date(year, 1, 1),
            day__lte=date(year, 12, 31),
        )
        .values("student_id")
        .annotate(m=Sum("nanum_minutes") + Sum("provider_minutes"))
        .order_by("-m", "student_id")
    )
    recommended = set(
        Recommendation.objects.filter(tenant_id=tenant_id, year=year).values_list(
            "student_id", flat=True
        )
    )
    decided = set(
        RewardCandidate.objects.filter(tenant_id=tenant_id, year=year)
        .exclude(state=RewardCandidate.State.PROPOSED)
        .values_list("student_id", flat=True)
    )
    RewardCandidate.objects.filter(
        tenant_id=tenant_id, year=year, state=RewardCandidate.State.PROPOSED
    ).delete()
    rows = []
    for row in totals.iterator():
        mileage = mileage_of(row["m"])
        if mileage < policy.reward_min_mileage:
            break
        sid = row["student_id"]
        if sid in decided:
            continue
        if policy.reward_requires_recommendation and sid not in recommended:
            continue
        rows.append(
            RewardCandidate(
                tenant_id=tenant_id,
                student_id=sid,
                year=year,
                mileage=mileage,
                recommended=sid in recommended,
            )
        )
        if len(rows) >= policy.reward_top_n:
            break
    RewardCandidate.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="learning.reward.shortlist",
        object_type="learning.RewardCandidate",
        tenant=policy.tenant,
        after={"year": year, "candidates": len(rows)},
    )
    return len(rows)


@transaction.atomic
def reward_decide(*, actor: User, candidate_id: int, confirm: bool) -> RewardCandidate:
    qs = RewardCandidate.objects.select_for_update().select_related("student")
    ids = officer_tenant_ids(actor)
    if ids is not None:
        qs = qs.filter(tenant_id__in=ids)
    cand = qs.filter(pk=candidate_id).first()
    if cand is None:
        raise NotFound()
    if cand.state != RewardCandidate.State.PROPOSED:
        raise DomainError(_("This candidate was already decided."), code="wrong_state")
    cand.state = (
        RewardCandidate.State.CONFIRMED if confirm else RewardCandidate.State.DECLINED
    )
    cand.decided_by = actor
    cand.decided_at = clock.now()
    cand.save()
    audit_record(
        actor=actor,
        action="learning.reward.decide",
        obj=cand,
        after={"state": cand.state},
    )
    if confirm:
        notification_send(
            user=cand.student,
            kind="learning.reward",
            subject=_("Congratulations: you were chosen for & Jump"),
            url="/learning/me/",
        )
    return cand
