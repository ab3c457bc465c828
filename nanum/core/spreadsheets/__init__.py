"""Spreadsheets in and out: one formula-safe writer and one bounded, streaming reader.

Every CSV/Excel export and import of every app goes through this module.

Writing (OWASP "CSV injection"): a text cell that starts with ``= + - @``, a tab or a
carriage return (or their full-width forms, which a Korean or Japanese Excel may turn
into formulas) is written to CSV with a leading single quote, so a spreadsheet shows it
as text and never runs it. Real numbers stay numbers, negative ones too. In Excel files
every text cell is stored as a string (never a formula) and such cells also carry
Excel's own "quote prefix", so editing them does not turn them into formulas either.
CSV is UTF-8 with a byte-order mark so that Excel shows Korean correctly.

Reading: CSV and XLSX are streamed row by row and stop at limits on rows, columns,
uncompressed size, cell length and time. An XLSX file is a zip archive: the declared
sizes and compression ratios of its members are checked before anything is
decompressed, and the sheet is parsed as a stream (expat, no DTDs or entities), so a
"zip bomb" is refused in milliseconds with little memory. Formula cells are refused
(never evaluated). A file without data rows is an error, not a success with 0 rows.
Every refusal is an ``InvalidInput`` on the field ``file`` with a localized message.

The package: ``writer`` (formula-safe CSV/XLSX and the HTTP responses), ``limits``
(``ReadLimits``, the refusals, the clock), ``xlsx`` (the zip pre-checks and the
streaming sheet parser) and ``reader`` (CSV and XLSX rows, tables).
"""

from nanum.core.spreadsheets.limits import (
    MB,
    ReadLimits,
    SpreadsheetRejected,
    TooManyRows,
)
from nanum.core.spreadsheets.reader import (
    iter_rows,
    precheck,
    read_table,
    read_table_from,
    unescape_text,
)
from nanum.core.spreadsheets.writer import (
    CONTENT_TYPES,
    CSV_CONTENT_TYPE,
    FORMULA_TRIGGERS,
    XLSX_CONTENT_TYPE,
    Format,
    attachment_disposition,
    csv_bytes,
    escape_text,
    file_response,
    is_formula_like,
    safe_csv_value,
    spreadsheet_bytes,
    spreadsheet_response,
    xlsx_bytes,
)

__all__ = [
    "CONTENT_TYPES",
    "CSV_CONTENT_TYPE",
    "FORMULA_TRIGGERS",
    "MB",
    "XLSX_CONTENT_TYPE",
    "Format",
    "ReadLimits",
    "SpreadsheetRejected",
    "TooManyRows",
    "attachment_disposition",
    "csv_bytes",
    "escape_text",
    "file_response",
    "is_formula_like",
    "iter_rows",
    "precheck",
    "read_table",
    "read_table_from",
    "safe_csv_value",
    "spreadsheet_bytes",
    "spreadsheet_response",
    "unescape_text",
    "xlsx_bytes",
]
