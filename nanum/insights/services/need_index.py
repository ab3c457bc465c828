"""The yearly need index import: all rows or none, each bad row reported.

Columns (first row): school_code, year, benefit_pct, multicultural_pct, students and,
optionally, district_need (0..1; default: the school's district's need) and source.
The organisation keeps the CURRENT year's index (the latest year not after this year),
so that every priority rule (lending rounds, programme draws) reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, PermissionDenied
from nanum.core.models import Organisation, User
from nanum.core.services import audit_record
from nanum.core.spreadsheets import ReadLimits, is_formula_like, read_table
from nanum.core.tenancy import is_platform_admin

from ..models import NeedIndexRecord, need_index_formula

REQUIRED = ("school_code", "year", "benefit_pct", "multicultural_pct", "students")
LIMITS = ReadLimits(max_rows=5_000, max_columns=16, max_seconds=20.0)
TEXT_COLUMNS = ("school_code", "source")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    current_changed: int


def _decimal(text: str, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise ValueError(_("%(field)s must be a number.") % {"field": field}) from None
    if not value.is_finite() or not low <= value <= high:
        raise ValueError(
            _("%(field)s must be between %(low)s and %(high)s.")
            % {"field": field, "low": low, "high": high}
        )
    return value


def _row_errors(errors: list[dict[str, object]]) -> InvalidInput:
    return InvalidInput(
        _("%(n)s rows are not valid; nothing was imported.") % {"n": len(errors)},
        field_errors={"file": [str(e["message"]) for e in errors[:20]]},
        extra={"row_errors": errors},
    )


def need_index_import(
    *, actor: User | None, rows: Sequence[dict[str, str]], source: str
) -> ImportResult:
    """Compute and store each school's index for each year in ``rows``."""
    if actor is not None and not is_platform_admin(actor):
        raise PermissionDenied()
    schools = {
        o.code: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL,
            code__in=[r.get("school_code", "").strip() for r in rows],
        ).select_related("district")
    }
    this_year = clock.today().year
    parsed: list[NeedIndexRecord] = []
    errors: list[dict[str, object]] = []
    seen: set[tuple[int, int]] = set()
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        field = "school_code"
        try:
            for field in TEXT_COLUMNS:
                if is_formula_like((row.get(field) or "").strip()):
                    raise ValueError(
                        _(
                            "This cell looks like a spreadsheet formula; "
                            "type the value itself."
                        )
                    )
            field = "school_code"
            school = schools.get(row.get("school_code", "").strip())
            if school is None:
                raise ValueError(_("No school with this code."))
            field = "year"
            year = int(
                _decimal(row.get("year", ""), "year", Decimal(2000), Decimal(2100))
            )
            if year > this_year + 1:
                raise ValueError(_("The year is in the future."))
            field = "benefit_pct"
            benefit = _decimal(row["benefit_pct"], field, Decimal(0), Decimal(100))
            field = "multicultural_pct"
            multi = _decimal(row["multicultural_pct"], field, Decimal(0), Decimal(100))
            field = "students"
            students = int(_decimal(row["students"], field, Decimal(1), Decimal(10000)))
            field = "district_need"
            text = (row.get("district_need") or "").strip()
            if text:
                district = _decimal(text, field, Decimal(0), Decimal(1))
            elif school.district is not None and school.district.need_index is not None:
                district = school.district.need_index
            else:
                raise ValueError(
                    _("The school's district has no need index: give one.")
                )
            if (school.pk, year) in seen:
                field = "year"
                raise ValueError(_("This school and year appear twice in the file."))
            seen.add((school.pk, year))
        except ValueError as exc:
            errors.append({"row": n, "field": field, "message": str(exc)})
            continue
        terms = need_index_formula(
            benefit_pct=benefit,
            multicultural_pct=multi,
            students=students,
            district_need=district,
        )
        parsed.append(
            NeedIndexRecord(
                school=school,
                year=year,
                benefit_pct=benefit,
                multicultural_pct=multi,
                students=students,
                district_need=district,
                index=terms.index,
                source=(row.get("source") or source).strip()[:200] or source[:200],
                imported_by=actor,
            )
        )
    if errors:
        raise _row_errors(errors)
    created = updated = changed = 0
    existing = {
        (school_id, year): pk
        for school_id, year, pk in NeedIndexRecord.objects.filter(
            school_id__in={r.school_id for r in parsed}
        ).values_list("school_id", "year", "pk")
    }
    now = clock.now()
    with transaction.atomic():
        for rec in parsed:
            # Ranges were checked above; the constraints hold in the database too.
            rec.full_clean(validate_unique=False, validate_constraints=False)
            rec.pk = existing.get((rec.school_id, rec.year))
            rec.imported_at = now
            if rec.pk is None:
                created += 1
            else:
                updated += 1
        NeedIndexRecord.objects.bulk_create([r for r in parsed if r.pk is None])
        NeedIndexRecord.objects.bulk_update(
            [r for r in parsed if r.pk is not None],
            [
                "benefit_pct",
                "multicultural_pct",
                "students",
                "district_need",
                "index",
                "source",
                "imported_by",
                "imported_at",
            ],
        )
        changed = _set_current(actor=actor, school_ids={r.school_id for r in parsed})
        audit_record(
            actor=actor,
            action="insights.need_index_import",
            object_type="insights.needindexrecord",
            after={"created": created, "updated": updated, "source": source[:200]},
        )
    return ImportResult(created=created, updated=updated, current_changed=changed)


def need_index_import_file(
    *, actor: User, filename: str, data: bytes, source: str = ""
) -> ImportResult:
    """The upload page's and the API's import: the same rules as the command.

    Only office administrators; the file is read with the limited reader (CSV or
    XLSX, bounded rows, columns and size); any bad row rejects the whole file."""
    if not is_platform_admin(actor):
        raise PermissionDenied()
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise InvalidInput(
            _("Upload an .xlsx or .csv file."),
            field_errors={"file": [_("Upload an .xlsx or .csv file.")]},
        )
    rows = read_table(data, filename, limits=LIMITS, required=REQUIRED)
    source = source.strip()
    if is_formula_like(source):
        raise InvalidInput(
            field_errors={
                "source": [_("This looks like a spreadsheet formula; type the text.")]
            }
        )
    return need_index_import(actor=actor, rows=rows, source=source or filename[:200])


def _set_current(
    *, actor: User | None, school_ids: set[int], year: int | None = None
) -> int:
    """Copy each school's latest index not after ``year`` (default: this year) onto
    the school, which is what the priority rules read. Returns how many changed."""
    year = year or clock.today().year
    latest: dict[int, NeedIndexRecord] = {}
    for rec in NeedIndexRecord.objects.filter(
        school_id__in=school_ids, year__lte=year
    ).order_by("school_id", "year"):
        latest[rec.school_id] = rec
    changed = 0
    for school in Organisation.objects.filter(pk__in=list(latest)).select_related(
        "tenant"
    ):
        current = latest[school.pk]
        if school.need_index == current.index:
            continue
        before = school.need_index
        Organisation.objects.filter(pk=school.pk).update(need_index=current.index)
        audit_record(
            actor=actor,
            action="core.organisation.need_index",
            obj=school,
            tenant=school.tenant,
            before={"need_index": str(before) if before is not None else None},
            after={"need_index": str(current.index), "year": current.year},
        )
        changed += 1
    return changed


def need_index_roll_year(*, year: int | None = None) -> int:
    """At the turn of the school year, make each school's index the new current one."""
    with transaction.atomic():
        ids = set(NeedIndexRecord.objects.values_list("school_id", flat=True))
        return _set_current(actor=None, school_ids=ids, year=year)
