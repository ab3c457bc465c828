"""De-identification of research exports: keyed pseudonyms, generalised
quasi-identifiers and k-anonymity with suppression. No database: the
caller gives the rows.

The benchmark (bench/insights_equity.py) runs exactly these functions on a million
interactions; the export service runs them on what the agreement allows.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from nanum.core.spreadsheets import csv_bytes

SUPPRESSED = "*"
FORMATS = ("csv", "parquet")
BAND_WIDTH = 3


def project_key(secret: str, project_id: int, salt: str) -> bytes:
    """A per-project key derived from the site secret: two projects never share one,
    so their pseudonyms cannot be joined."""
    return hmac.new(
        secret.encode(), f"nanum-research:{project_id}:{salt}".encode(), hashlib.sha256
    ).digest()


def pseudonym(key: bytes, kind: str, ident: int) -> str:
    """A stable pseudonym of one person or school within one project."""
    return hmac.new(key, f"{kind}:{ident}".encode(), hashlib.sha256).hexdigest()[:16]


def birth_band(year: int | None) -> str:
    """A birth year generalised to a three-year band ("2009-2011")."""
    if not year:
        return "unknown"
    start = year - (year % BAND_WIDTH)
    return f"{start}-{start + BAND_WIDTH - 1}"


@dataclass(frozen=True)
class KResult:
    """Who is released with which quasi-identifiers, and what it cost."""

    released: dict[int, tuple[str, ...]]
    people: int
    suppressed: int
    generalised: int
    min_k: int

    @property
    def suppression_rate(self) -> float:
        return self.suppressed / self.people if self.people else 0.0


def k_anonymise(
    people: Mapping[int, tuple[str, ...]], *, k: int, generalise: int = 0
) -> KResult:
    """Make every released combination of quasi-identifiers hold at least ``k`` people.

    First the ``generalise``-th identifier (the region) of the people in groups smaller
    than ``k`` is suppressed ("*"); people still in a group smaller than ``k`` are left
    out entirely. ``min_k`` is the smallest group released (0 when nobody is).
    """
    counts = Counter(people.values())
    step1: dict[int, tuple[str, ...]] = {}
    generalised = 0
    for pid, qi in people.items():
        if counts[qi] < k:
            qi = tuple(SUPPRESSED if i == generalise else v for i, v in enumerate(qi))
            generalised += 1
        step1[pid] = qi
    counts = Counter(step1.values())
    released = {pid: qi for pid, qi in step1.items() if counts[qi] >= k}
    sizes = [n for n in Counter(released.values()).values()]
    return KResult(
        released=released,
        people=len(people),
        suppressed=len(people) - len(released),
        generalised=generalised,
        min_k=min(sizes) if sizes else 0,
    )


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    rows: int
    k: KResult


def person_export(
    *,
    header: Sequence[str],
    people: Mapping[int, tuple[str, ...]],
    rows: Iterable[tuple[Any, ...]],
    key: bytes,
    k: int,
    kind: str = "person",
    fmt: str = "csv",
) -> ExportFile:
    """The CSV (or Parquet) file of ``rows`` (each starting with a person or school id) for the people
    that k-anonymity releases: the id becomes a pseudonym and the quasi-identifiers
    follow it; rows of suppressed people are left out."""
    result = k_anonymise(people, k=k)
    names = {pid: pseudonym(key, kind, pid) for pid in result.released}
    count = 0

    def lines() -> Iterator[list[Any]]:
        nonlocal count
        for pid, *rest in rows:
            qi = result.released.get(pid)
            if qi is None:
                continue
            count += 1
            yield [names[pid], *qi, *rest]

    if fmt == "parquet":
        content = parquet_bytes(header, lines())
    else:
        content = csv_bytes(header, lines())
    return ExportFile(content=content, rows=count, k=result)


def _column(values: list[Any]) -> Any:
    """An Arrow column of one type: numbers and dates as they are, anything the
    types cannot hold together (or an empty column) as text."""
    if not values:
        return pa.array([], type=pa.string())
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values])


def parquet_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A Parquet file (zstd-compressed) with one typed column per ``header`` name."""
    columns: list[list[Any]] = [[] for _ in header]
    for row in rows:
        for col, value in zip(columns, row, strict=True):
            col.append(value)
    table = pa.table(
        {name: _column(col) for name, col in zip(header, columns, strict=True)}
    )
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()
