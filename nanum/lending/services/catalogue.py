"""Catalogue import: models and assets from Excel/CSV, now or by the worker.

Imports validate every row first and report errors row by row; if any row is bad,
nothing is imported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nanum.core import clock, spreadsheets
from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import Organisation, User
from nanum.core.services import audit_record, tasks_enqueue
from nanum.core.spreadsheets import ReadLimits
from nanum.lending import tasks

from ..models import Asset, Category, EquipmentModel, ImportJob
from ..selectors import BANK_KINDS, staff_bank_ids

TRUE = {"1", "y", "yes", "true", "예", "o", "있음"}
FALSE = {"", "0", "n", "no", "false", "아니오", "x", "없음"}


class ImportRejected(InvalidInput):
    code = "import_rejected"
    default_message = _("Nothing was imported: fix the rows listed and try again.")


# Imports read through the shared bounded reader (nanum.core.spreadsheets). A web
# request imports small files itself (up to ASYNC_ROWS rows and ASYNC_BYTES); larger
# ones are kept privately and imported by the worker (catalogue_import_job_run).
WEB_LIMITS = ReadLimits(max_rows=50_000, max_seconds=4.0)
TASK_LIMITS = ReadLimits(max_rows=50_000, max_seconds=120.0)
CLI_LIMITS = ReadLimits(max_rows=50_000, max_seconds=120.0)
ASYNC_ROWS = 2_000
ASYNC_BYTES = 1024 * 1024


def read_table(
    data: bytes, filename: str, *, limits: ReadLimits | None = None
) -> list[dict[str, str]]:
    """Data rows of an .xlsx or .csv file as dicts keyed by the header row (streamed,
    bounded; formulas, zip bombs, empty and header-only files refused)."""
    return spreadsheets.read_table(data, filename, limits=limits or WEB_LIMITS)


def _int(value: str, lo: int, hi: int) -> int:
    n = int(float(value)) if value else lo
    if not lo <= n <= hi:
        raise ValueError
    return n


def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    raise ValueError


def _validate_models(
    rows: list[dict[str, str]], tenant_id: int
) -> tuple[list[EquipmentModel], list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    out: list[EquipmentModel] = []
    existing = set(
        EquipmentModel.objects.filter(tenant_id=tenant_id).values_list(
            "code", flat=True
        )
    )
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):

        def bad(field: str, msg: Any, n: int = n) -> None:
            errors.append({"row": n, "field": field, "message": str(msg)})

        code = row.get("code", "").strip()
        if (
            not code
            or len(code) > 60
            or not code.replace("-", "").replace("_", "").isalnum()
        ):
            bad("code", _("Use letters, digits, - and _ (at most 60)."))
        elif code in existing or code in seen:
            bad("code", _("This code already exists."))
        seen.add(code)
        if not row.get("name_ko", "").strip():
            bad("name_ko", _("The Korean name is required."))
        if row.get("category", "") not in Category.values:
            bad("category", _("Use one of: %(v)s") % {"v": ", ".join(Category.values)})
        values: dict[str, Any] = {}
        for field, lo, hi in (
            ("min_grade", 1, 12),
            ("max_grade", 1, 12),
            ("prep_days", 0, 30),
            ("inspection_days", 0, 30),
            ("transit_days", 0, 30),
            ("max_loan_days", 1, 180),
            ("replacement_value", 0, 10**9),
        ):
            try:
                values[field] = _int(row.get(field, ""), lo, hi)
            except ValueError:
                bad(
                    field,
                    _("Enter a whole number from %(lo)s to %(hi)s.")
                    % {"lo": lo, "hi": hi},
                )
        if not row.get("max_grade"):
            values["max_grade"] = 12
        if not row.get("max_loan_days"):
            values["max_loan_days"] = 14
        for field in ("requires_training", "requires_approval"):
            try:
                values[field] = _bool(row.get(field, ""))
            except ValueError:
                bad(field, _("Write yes or no."))
        if values.get("min_grade", 1) > values.get("max_grade", 12):
            bad("max_grade", _("The highest grade must not be below the lowest."))
        out.append(
            EquipmentModel(
                tenant_id=tenant_id,
                code=code,
                name_ko=row.get("name_ko", "").strip()[:200],
                name_en=row.get("name_en", "").strip()[:200],
                category=row.get("category", ""),
                maker=row.get("maker", "")[:100],
                description=row.get("description", ""),
                safety_notes=row.get("safety_notes", ""),
                kit_parts=[
                    p.strip() for p in row.get("kit_parts", "").split(";") if p.strip()
                ],
                **values,
            )
        )
    return out, errors


def _validate_assets(
    rows: list[dict[str, str]], tenant_id: int, banks: set[int] | None
) -> tuple[list[Asset], list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    out: list[Asset] = []
    models = dict(
        EquipmentModel.objects.filter(tenant_id=tenant_id).values_list("code", "pk")
    )
    bank_codes = dict(
        Organisation.objects.filter(
            tenant_id=tenant_id, kind__in=BANK_KINDS
        ).values_list("code", "pk")
    )
    tags = [r.get("tag_code", "").strip().upper() for r in rows]
    existing = set(
        Asset.objects.filter(tag_code__in=tags).values_list("tag_code", flat=True)
    )
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):

        def bad(field: str, msg: Any, n: int = n) -> None:
            errors.append({"row": n, "field": field, "message": str(msg)})

        tag = row.get("tag_code", "").strip().upper()
        if not tag or len(tag) > 40:
            bad("tag_code", _("A tag code of at most 40 characters is required."))
        elif tag in existing or tag in seen:
            bad("tag_code", _("This tag code is already used."))
        seen.add(tag)
        model_id = models.get(row.get("model_code", "").strip())
        if model_id is None:
            bad("model_code", _("No model with this code."))
        bank_id = bank_codes.get(row.get("bank_code", "").strip())
        if bank_id is None:
            bad("bank_code", _("No bank with this code."))
        elif banks is not None and bank_id not in banks:
            bad("bank_code", _("You are not staff of this bank."))
        condition = row.get("condition", "").strip() or Asset.Condition.GOOD
        if condition not in Asset.Condition.values:
            bad(
                "condition",
                _("Use one of: %(v)s") % {"v": ", ".join(Asset.Condition.values)},
            )
        acquired = None
        if row.get("acquired_on", "").strip():
            try:
                acquired = date.fromisoformat(row["acquired_on"].strip()[:10])
            except ValueError:
                bad("acquired_on", _("Write the date as YYYY-MM-DD."))
        if model_id is None or bank_id is None:
            continue  # reported above: nothing will be imported
        out.append(
            Asset(
                tenant_id=tenant_id,
                equipment_id=model_id,
                tag_code=tag,
                serial=row.get("serial", "")[:80],
                condition=condition,
                home_bank_id=bank_id,
                location_id=bank_id,
                acquired_on=acquired,
            )
        )
    return out, errors


def catalogue_import(
    *,
    actor: User,
    tenant_id: int,
    kind: str,
    rows: list[dict[str, str]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import models or assets; all rows or none. Returns the number created."""
    banks = _check_staff(actor, tenant_id)
    objs: list[EquipmentModel] | list[Asset]
    if kind == "models":
        objs, errors = _validate_models(rows, tenant_id)
    elif kind == "assets":
        objs, errors = _validate_assets(rows, tenant_id, banks)
    else:
        raise InvalidInput(field_errors={"kind": [_("Choose models or assets.")]})
    if errors:
        raise ImportRejected(
            extra={"row_errors": errors},
            field_errors={
                "file": [
                    _("Row %(row)s, %(field)s: %(message)s") % e for e in errors[:200]
                ]
            },
        )
    with transaction.atomic():
        _bulk_create(objs, progress)
        audit_record(
            actor=actor,
            action=f"lending.import.{kind}",
            object_type="lending.import",
            after={"count": len(objs)},
        )
    return len(objs)


@dataclass(frozen=True)
class ImportStarted:
    """What an upload did: rows imported now, or the job importing them later."""

    imported: int | None = None
    job_id: int | None = None


def catalogue_import_upload(
    *, actor: User, tenant_id: int, kind: str, filename: str, data: bytes
) -> ImportStarted:
    """Import an uploaded file now if it is small, else queue it for the worker.

    Either way every row is checked first and nothing is imported if any is wrong.
    Unreadable files and files over the limits are refused at once.
    """
    _check_staff(actor, tenant_id)
    if kind not in ImportJob.Kind.values:
        raise InvalidInput(field_errors={"kind": [_("Choose models or assets.")]})
    if len(data) <= ASYNC_BYTES:
        try:
            rows = read_table(
                data, filename, limits=replace(WEB_LIMITS, max_rows=ASYNC_ROWS)
            )
        except spreadsheets.TooManyRows:
            pass  # a large file: the worker reads it
        else:
            n = catalogue_import(actor=actor, tenant_id=tenant_id, kind=kind, rows=rows)
            return ImportStarted(imported=n)
    spreadsheets.precheck(data, filename, limits=TASK_LIMITS)
    ext = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    stored = default_storage.save(
        f"lending/imports/{uuid.uuid4().hex}{ext}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            job = ImportJob(
                tenant_id=tenant_id,
                actor=actor,
                kind=kind,
                filename=filename[-200:],
                stored_name=stored,
                size=len(data),
            )
            job.full_clean()
            job.save()
            audit_record(
                actor=actor,
                action="lending.import.queue",
                obj=job,
                after={"kind": kind, "bytes": len(data)},
            )
            tasks_enqueue(tasks.import_catalogue, job.pk)
    except BaseException:
        default_storage.delete(stored)
        raise
    return ImportStarted(job_id=job.pk)


def catalogue_import_job_run(*, job_id: int) -> int:
    """Run one queued import (the worker's task); safe to run twice.

    Progress (rows read) is written as it goes; the import itself and the job's
    ``done`` state commit together, so a second run of a finished job does nothing.
    """
    job = ImportJob.objects.select_related("actor").filter(pk=job_id).first()
    if job is None or job.finished:
        return 0
    jobs = ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.DONE)
    jobs.update(status=ImportJob.Status.RUNNING, started_at=clock.now())
    n = 0
    with translation.override(job.actor.preferred_language or None):
        try:
            with default_storage.open(job.stored_name, "rb") as fh:
                rows = spreadsheets.read_table_from(
                    fh,
                    job.filename,
                    limits=TASK_LIMITS,
                    progress=lambda k: _set_rows_read(jobs, k),
                )
            jobs.update(rows_read=len(rows), rows_total=len(rows))
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.finished:
                    return 0
                n = catalogue_import(
                    actor=job.actor, tenant_id=job.tenant_id, kind=job.kind, rows=rows
                )
                locked.status = ImportJob.Status.DONE
                locked.imported = n
                locked.finished_at = clock.now()
                locked.save(update_fields=["status", "imported", "finished_at"])
        except DomainError as exc:
            problems = [str(m) for msgs in exc.field_errors.values() for m in msgs]
            jobs.update(
                status=ImportJob.Status.FAILED,
                message=str(exc.message),
                row_errors=exc.extra.get("row_errors", [])[:200]
                or [{"row": "", "field": "", "message": p} for p in problems[:200]],
                finished_at=clock.now(),
            )
        except OSError:
            jobs.update(
                status=ImportJob.Status.FAILED,
                message=str(
                    _("The uploaded file is no longer there; upload it again.")
                ),
                finished_at=clock.now(),
            )
        finally:
            if (
                ImportJob.objects.filter(pk=job.pk)
                .exclude(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
                .exists()
            ):
                default_storage.delete(job.stored_name)
    return n


def _set_rows_read(jobs: QuerySet[ImportJob], n: int) -> None:
    jobs.update(rows_read=n)


def _check_staff(actor: User, tenant_id: int) -> set[int] | None:
    banks = staff_bank_ids(actor)
    if banks is not None and not banks:
        raise PermissionDenied()
    if (
        banks is not None
        and not Organisation.objects.filter(pk__in=banks, tenant_id=tenant_id).exists()
    ):
        raise PermissionDenied()
    return banks


def _bulk_create(objs: Sequence[Model], progress: Callable[[int], None] | None) -> None:
    batch = 500
    for i in range(0, len(objs), batch):
        type(objs[0])._default_manager.bulk_create(objs[i : i + batch])
        if progress:
            progress(min(batch, len(objs) - i))
