"""A provider's lecture catalogue: read a CSV/Excel file, check every row, upsert.

Columns (header row, any order): ``title, subject, level, grade, standards, url`` and,
optionally, ``active`` (yes/no; "no" takes a lecture out of recommendations).
``level`` is elementary/middle/high (or 초등/중학/고등); ``standards`` lists
achievement-standard codes in brackets, e.g. ``[9수01-01] [9수01-02]``. A lecture is
known by its URL: importing the same URL again updates it. One bad row and nothing
changes; every bad row is named with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from nanum.core import clock, spreadsheets
from nanum.core.errors import InvalidInput
from nanum.core.models import Organisation, User
from nanum.core.spreadsheets import ReadLimits

from ..models import ProviderLecture, SchoolLevel
from ..selectors import provider_get

COLUMNS = ("title", "subject", "level", "grade", "standards", "url")
LIMITS = ReadLimits(max_rows=5_000, max_seconds=4.0)
MAX_BYTES = 5 * 1024 * 1024
CODE = re.compile(r"\[[^\[\]\s]{2,30}\]")
LEVELS = {
    "elementary": SchoolLevel.ELEMENTARY,
    "초등": SchoolLevel.ELEMENTARY,
    "초등학교": SchoolLevel.ELEMENTARY,
    "middle": SchoolLevel.MIDDLE,
    "중학": SchoolLevel.MIDDLE,
    "중학교": SchoolLevel.MIDDLE,
    "high": SchoolLevel.HIGH,
    "고등": SchoolLevel.HIGH,
    "고등학교": SchoolLevel.HIGH,
}
YES = {"", "yes", "y", "true", "1", "예", "네", "o"}
NO = {"no", "n", "false", "0", "아니오", "아니요", "x"}
TOP_GRADE = {SchoolLevel.ELEMENTARY: 6, SchoolLevel.MIDDLE: 3, SchoolLevel.HIGH: 3}


@dataclass(frozen=True)
class LectureImport:
    created: int
    updated: int


def lecture_rows_read(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of an uploaded catalogue (CSV or XLSX), bounded; refusals name the file."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(field_errors={"file": [_("The file is larger than 5 MB.")]})
    return spreadsheets.read_table(data, filename, limits=LIMITS, required=COLUMNS)


def _check(row: dict[str, Any], seen: set[str]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    title = str(row.get("title") or "").strip()
    subject = str(row.get("subject") or "").strip()
    if not title or len(title) > 200:
        problems.append(_("title is required (at most 200 characters)"))
    if not subject or len(subject) > 60:
        problems.append(_("subject is required (at most 60 characters)"))
    level = LEVELS.get(str(row.get("level") or "").strip().lower())
    if level is None:
        problems.append(_("level must be elementary, middle or high"))
    grade: int | None = None
    raw_grade = str(row.get("grade") or "").strip()
    if raw_grade:
        try:
            grade = int(float(raw_grade))
        except ValueError:
            problems.append(_("grade must be a whole number"))
        else:
            if level is not None and not 1 <= grade <= TOP_GRADE[level]:
                problems.append(
                    _("grade must be 1 to %(n)s for this level")
                    % {"n": TOP_GRADE[level]}
                )
    codes = list(dict.fromkeys(CODE.findall(str(row.get("standards") or ""))))
    if not codes:
        problems.append(
            _("give at least one achievement standard code, such as [9수01-01]")
        )
    url = str(row.get("url") or "").strip()
    try:
        if len(url) > 500:
            raise ValidationError("long")
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        problems.append(_("url must be a web address starting with https://"))
    else:
        if url in seen:
            problems.append(_("the same url appears twice in the file"))
        seen.add(url)
    active = str(row.get("active") or "").strip().lower()
    if active not in YES | NO:
        problems.append(_("active must be yes or no"))
    clean = {
        "active": active not in NO,
        "title": title,
        "subject": subject,
        "school_level": level,
        "grade": grade,
        "standards": codes,
        "url": url,
    }
    return clean, problems


@transaction.atomic
def lecture_catalogue_import(
    *, actor: User, rows: list[dict[str, Any]], provider_id: int | None = None
) -> LectureImport:
    """Add or update the actor's provider's lectures (by URL). All rows or none."""
    provider: Organisation = provider_get(actor=actor, provider_id=provider_id)
    if not rows:
        raise InvalidInput(field_errors={"file": [_("There are no rows.")]})
    good: list[dict[str, Any]] = []
    errors: dict[str, list[Any]] = {}
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        clean, problems = _check(row, seen)
        if problems:
            errors[_("line %(n)s") % {"n": n}] = problems
        else:
            good.append(clean)
    if errors:
        raise InvalidInput(
            _("Nothing was imported. Fix these rows and send the whole file again."),
            code="bad_lecture_rows",
            field_errors=errors,
        )
    existing = {
        lec.url: lec
        for lec in ProviderLecture.objects.select_for_update().filter(
            provider=provider, url__in=[g["url"] for g in good]
        )
    }
    now = clock.now()
    new: list[ProviderLecture] = []
    changed: list[ProviderLecture] = []
    for g in good:
        lec = existing.get(g["url"])
        if lec is None:
            new.append(ProviderLecture(provider=provider, updated_at=now, **g))
            continue
        for k, v in g.items():
            setattr(lec, k, v)
        lec.updated_at = now
        changed.append(lec)
    ProviderLecture.objects.bulk_create(new, batch_size=1000)
    ProviderLecture.objects.bulk_update(
        changed,
        [
            "title",
            "subject",
            "school_level",
            "grade",
            "standards",
            "active",
            "updated_at",
        ],
        batch_size=1000,
    )
    return LectureImport(created=len(new), updated=len(changed))
