"""Research data for approved projects: exports, aggregates, consent, agreements.

Every refusal says why (agreement not approved, outside its period, dataset not
covered, nobody left after consent and k-anonymity) and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, RoleAssignment, Tenant, User
from nanum.core.services import access_record, audit_record
from nanum.learner_model import selectors as learner_selectors
from nanum.learning.selectors import insights as learning_insights
from nanum.lending.selectors import insights as lending_insights
from nanum.programs.selectors import insights as programs_insights

from .. import selectors
from ..models import Dataset, ResearchConsent, ResearchExport, ResearchProject
from .deidentify import FORMATS, birth_band, k_anonymise, person_export, project_key

EXPORT_DAYS = 7
ADULT_CONSENT_AGE = 14
QI = ["birth_band", "region", "school_level"]
HEADERS = {
    Dataset.INTERACTIONS: ["person", *QI, "item", "correct", "answered_on", "seconds"],
    Dataset.MASTERY: ["person", *QI, "skill", "mastery", "answered", "correct"],
    Dataset.PARTICIPATION: ["person", *QI, "programme_kind", "status", "attended"],
    Dataset.EQUIPMENT: ["school", "region", "school_level", "reservations", "units"],
}
GROUPS = {"birth_band": 0, "region": 1, "school_level": 2}


def _refuse(message: Any, code: str) -> DomainError:
    return DomainError(message, code=code, status=403)


def check_agreement(project: ResearchProject, dataset: str) -> None:
    """Refuse (with the reason) what the agreement does not allow today."""
    if project.status == ResearchProject.Status.REVOKED:
        when = timezone.localdate(project.revoked_at) if project.revoked_at else None
        raise _refuse(
            _(
                "This data-use agreement was revoked on %(date)s (%(reason)s): "
                "no export can be made or downloaded."
            )
            % {"date": when or "–", "reason": project.revoke_reason or "–"},
            "revoked",
        )
    if project.status != ResearchProject.Status.APPROVED:
        raise _refuse(_("This data-use agreement is not approved."), "not_approved")
    today = clock.today()
    if not project.starts_on <= today <= project.ends_on:
        raise _refuse(
            _("Today is outside the agreement's period (%(start)s to %(end)s).")
            % {"start": project.starts_on, "end": project.ends_on},
            "outside_period",
        )
    if dataset not in Dataset.values:
        raise InvalidInput(field_errors={"dataset": [_("Choose a dataset.")]})
    if dataset not in project.datasets:
        raise _refuse(
            _("The agreement does not cover the dataset “%(dataset)s”.")
            % {"dataset": Dataset(dataset).label},
            "dataset_not_covered",
        )


def _end_of(project: ResearchProject) -> datetime:
    """The first moment after the agreement's last day (Seoul time)."""
    day = project.ends_on + timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def key_for(project: ResearchProject) -> bytes:
    return project_key(settings.SECRET_KEY, project.pk, project.key_salt)


def _regions() -> tuple[dict[int, str], dict[int, str]]:
    schools = dict(
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).values_list(
            "pk", "district__code"
        )
    )
    towns = dict(Tenant.objects.values_list("pk", "slug"))
    return {k: v or "" for k, v in schools.items()}, towns


def old_enough(born: int | None, on: date, age: int = ADULT_CONSENT_AGE) -> bool:
    """Whether someone born in year ``born`` is certainly ``age`` or older on the day
    ``on``. Only the birth year is kept, so the birthday is taken as the year's last
    day: born in 2012, one is 14 for sure on 31 December 2026, not before. Unknown
    birth year: no."""
    if born is None or born + age > on.year:
        return False
    return on >= date(born + age, 12, 31)


def consenting_people(on: date | None = None) -> dict[int, tuple[str, str, str]]:
    """Consenting members and their generalised quasi-identifiers: birth-year band,
    district (or town), school level. Someone not certainly 14 on the day ``on``
    (the export's date; today by default) is left out unless a guardian consented."""
    consents = selectors.consenting_member_ids()
    facts = learning_insights.member_facts(consents)
    births = dict(
        User.objects.filter(pk__in=list(consents)).values_list("pk", "birth_year")
    )
    school_region, town_region = _regions()
    # The school a student is enrolled at on the platform (their role), if any.
    enrolled = {
        user_id: (org_id, level)
        for user_id, org_id, level in RoleAssignment.objects.filter(
            user_id__in=list(consents),
            role=Role.STUDENT,
            is_active=True,
            organisation__kind=Organisation.Kind.SCHOOL,
        ).values_list("user_id", "organisation_id", "organisation__school_level")
    }
    on = on or clock.today()
    people: dict[int, tuple[str, str, str]] = {}
    for pid, by_guardian in consents.items():
        fact = facts.get(pid, {})
        born = births.get(pid) or fact.get("birth_year")
        if not (by_guardian or old_enough(born, on)):
            continue
        school_id, level = enrolled.get(pid, (fact.get("school_id"), ""))
        level = level or fact.get("school_level") or ""
        region = school_region.get(school_id, "") if school_id else ""
        if not region and fact.get("tenant_id"):
            region = town_region.get(fact["tenant_id"], "")
        people[pid] = (birth_band(born), region or "unknown", level or "unknown")
    return people


def _interaction_rows(ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
    for pid, item_id, correct, at, ms in learning_insights.research_interactions(ids):
        yield pid, item_id, int(correct), at.date().isoformat(), round(ms / 1000, 1)


def _mastery_rows(ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
    for student in User.objects.filter(pk__in=list(ids)).order_by("pk"):
        # (estimator name, rows, ...): only the rows are exported.
        rows = learner_selectors.mastery_map(student)[1]
        for r in rows:
            yield student.pk, r.code, r.mastery, r.answered, r.correct


def _participation_rows(ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
    for r in programs_insights.participation_rows(ids):
        yield r["participant_id"], r["programme__kind"], r["status"], r["attended"]


@dataclass(frozen=True)
class Built:
    content: bytes
    rows: int
    people: int
    suppressed: int
    min_k: int


def _build(project: ResearchProject, dataset: str, fmt: str) -> Built:
    key = key_for(project)
    header = HEADERS[Dataset(dataset)]
    if dataset == Dataset.EQUIPMENT:
        school_region, _towns = _regions()
        levels = dict(
            Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).values_list(
                "pk", "school_level"
            )
        )
        use = lending_insights.equipment_use_by_school()
        schools = {
            r["school_id"]: (
                school_region.get(r["school_id"]) or "unknown",
                levels.get(r["school_id"], ""),
            )
            for r in use
        }
        out = person_export(
            header=header,
            people=schools,
            rows=((r["school_id"], r["reservations"], r["units"]) for r in use),
            key=key,
            k=project.k,
            kind="school",
            fmt=fmt,
        )
    else:
        people = consenting_people()
        rows = {
            Dataset.INTERACTIONS: _interaction_rows,
            Dataset.MASTERY: _mastery_rows,
            Dataset.PARTICIPATION: _participation_rows,
        }[Dataset(dataset)]
        released = k_anonymise(people, k=project.k).released
        out = person_export(
            header=header,
            people=people,
            rows=rows(sorted(released)),
            key=key,
            k=project.k,
            fmt=fmt,
        )
    return Built(
        content=out.content,
        rows=out.rows,
        people=len(out.k.released),
        suppressed=out.k.suppressed,
        min_k=out.k.min_k,
    )


def research_export_create(
    *,
    actor: User,
    project_id: int,
    dataset: str,
    fmt: str = "csv",
    request: HttpRequest | None = None,
) -> ResearchExport:
    """Make a de-identified file (CSV or Parquet) for the project; it expires after
    EXPORT_DAYS."""
    project = selectors.project_get(actor=actor, project_id=project_id)
    if not project.researchers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the project's researchers may export its data."))
    check_agreement(project, dataset)
    if fmt not in FORMATS:
        raise InvalidInput(field_errors={"fmt": [_("Choose CSV or Parquet.")]})
    built = _build(project, dataset, fmt)
    if built.rows == 0 or built.min_k < project.k:
        raise _refuse(
            _(
                "Too few people remain after consent and k-anonymity (k = %(k)s): "
                "nothing was exported."
            )
            % {"k": project.k},
            "under_k",
        )
    now = clock.now()
    with transaction.atomic():
        export = ResearchExport(
            project=project,
            dataset=dataset,
            fmt=fmt,
            requested_by=actor,
            created_at=now,
            expires_at=min(now + timedelta(days=EXPORT_DAYS), _end_of(project)),
            row_count=built.rows,
            people=built.people,
            min_k=built.min_k,
            suppressed=built.suppressed,
            content=built.content,
            sha256=hashlib.sha256(built.content).hexdigest(),
        )
        export.full_clean(exclude=["content"])
        export.save()
        access_record(
            actor=actor,
            action="export",
            subject=None,
            object_type="insights.researchexport",
            object_id=str(export.pk),
            record_count=built.rows,
            request=request,
            purpose=project.title[:200],
        )
        audit_record(
            actor=actor,
            action="insights.research_export",
            obj=export,
            after={
                "dataset": dataset,
                "format": fmt,
                "rows": built.rows,
                "min_k": built.min_k,
            },
        )
    return export


def research_export_download(
    *, actor: User, export_id: int, request: HttpRequest | None = None
) -> ResearchExport:
    """The file, if still within the agreement and not expired; logged with its rows."""
    export = selectors.export_get(actor=actor, export_id=export_id)
    check_agreement(export.project, export.dataset)
    if export.expired:
        raise DomainError(
            _("This file has expired. Make a new export."), code="expired", status=410
        )
    with transaction.atomic():
        ResearchExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1)
        access_record(
            actor=actor,
            action="download",
            subject=None,
            object_type="insights.researchexport",
            object_id=str(export.pk),
            record_count=export.row_count,
            request=request,
            purpose=export.project.title[:200],
        )
    return export


@dataclass(frozen=True)
class Group:
    group: str
    people: int | None
    rows: int | None
    suppressed: bool


def research_aggregate(
    *,
    actor: User,
    project_id: int,
    dataset: str,
    by: str,
    request: HttpRequest | None = None,
) -> list[Group]:
    """People and rows per group of one quasi-identifier; groups under k hidden."""
    project = selectors.project_get(actor=actor, project_id=project_id)
    if not project.researchers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the project's researchers may query its data."))
    check_agreement(project, dataset)
    if by not in GROUPS:
        raise InvalidInput(field_errors={"by": [_("Choose a grouping.")]})
    if dataset == Dataset.EQUIPMENT:
        raise InvalidInput(
            field_errors={"dataset": [_("Equipment use has no people to group.")]}
        )
    people = consenting_people()
    counts: dict[int, int] = {}
    source = {
        Dataset.INTERACTIONS: _interaction_rows,
        Dataset.MASTERY: _mastery_rows,
        Dataset.PARTICIPATION: _participation_rows,
    }[Dataset(dataset)]
    for row in source(sorted(people)):
        counts[row[0]] = counts.get(row[0], 0) + 1
    index = GROUPS[by]
    per: dict[str, list[int]] = {}
    for pid, n in counts.items():
        per.setdefault(people[pid][index], []).append(n)
    ordered = sorted(per.items())
    # The export's people and rows are the total of these groups: the small-cell
    # rule hides the next smallest group too where one alone would be recoverable.
    hidden = selectors.cells_to_hide([len(v) for _g, v in ordered], k=project.k)
    groups = [
        Group(group=g, people=None, rows=None, suppressed=True)
        if i in hidden.cells
        else Group(group=g, people=len(v), rows=sum(v), suppressed=False)
        for i, (g, v) in enumerate(ordered)
    ]
    access_record(
        actor=actor,
        action="view",
        subject=None,
        object_type="insights.research_aggregate",
        object_id=f"{project.pk}:{dataset}:{by}",
        record_count=sum(g.rows or 0 for g in groups),
        request=request,
        purpose=project.title[:200],
    )
    return groups


def research_consent_set(
    *, actor: User, member_id: int, consented: bool
) -> ResearchConsent:
    """A member (14 or older) or their guardian gives or withdraws research consent."""
    member = User.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise NotFound()
    by_guardian = actor.pk != member.pk
    if by_guardian and not learning_insights.is_guardian_of(
        guardian_id=actor.pk, child_id=member.pk
    ):
        raise NotFound()
    if not by_guardian:
        born = member.birth_year or learning_insights.member_facts([member.pk]).get(
            member.pk, {}
        ).get("birth_year")
        if not old_enough(born, clock.today()):
            raise PermissionDenied(
                _("Under 14, a guardian gives or withdraws this consent.")
            )
    with transaction.atomic():
        consent, _created = ResearchConsent.objects.select_for_update().get_or_create(
            member=member
        )
        before = consent.consented
        consent.consented = consented
        consent.given_by = actor
        consent.by_guardian = by_guardian
        consent.updated_at = clock.now()
        consent.save()
        audit_record(
            actor=actor,
            action="insights.research_consent",
            obj=consent,
            before={"consented": before},
            after={"consented": consented, "by_guardian": by_guardian},
        )
    return consent


def research_exports_expire() -> int:
    """Delete the content of expired files (a system write); return how many."""
    with transaction.atomic():
        n = ResearchExport.objects.filter(
            expires_at__lte=clock.now(), content__isnull=False
        ).update(content=None)
        if n:
            audit_record(
                actor=None,
                action="insights.research_exports_expire",
                object_type="insights.researchexport",
                after={"expired": n},
            )
    return n
