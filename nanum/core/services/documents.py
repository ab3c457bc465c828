"""Checking and storing uploaded documents (Seoul Learn's application documents,
mentors' certificates): type by magic bytes, size, PDF pages; private storage."""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, NotFound

MAX_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 20
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class BadDocument(DomainError):
    status = 422
    code = "bad_document"
    default_message = _("The document could not be accepted.")


_STREAM_RE = re.compile(rb"/ObjStm.*?stream\r?\n(.*?)endstream", re.S)


def pdf_page_count(content: bytes) -> int:
    """Count page objects, also inside compressed object streams (PDF 1.5+)."""
    pages = len(_PAGE_RE.findall(content))
    budget = 50 * 1024 * 1024  # never inflate more than this (zip bombs)
    for match in _STREAM_RE.finditer(content):
        try:
            inflater = zlib.decompressobj()
            data = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(data)
        pages += len(_PAGE_RE.findall(data))
        if budget <= 0:
            break
    return pages


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str
    pages: int
    sha256: str


def document_check(upload: UploadedFile, *, field: str = "documents") -> CheckedFile:
    """Read and check one upload; raises BadDocument with a clear reason."""
    name = (upload.name or "document")[-200:]
    if upload.size is not None and upload.size > MAX_BYTES:
        raise BadDocument(
            field_errors={field: [_("%(name)s is larger than 5 MB.") % {"name": name}]}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise BadDocument(
            field_errors={field: [_("%(name)s is larger than 5 MB.") % {"name": name}]}
        )
    if not content:
        raise BadDocument(
            field_errors={field: [_("%(name)s is empty.") % {"name": name}]}
        )
    match = next((sig for sig in SIGNATURES if content.startswith(sig[0])), None)
    if match is None:
        raise BadDocument(
            field_errors={
                field: [_("%(name)s is not a PDF, JPG or PNG file.") % {"name": name}]
            }
        )
    _magic, ctype, ext = match
    pages = 1
    if ctype == "application/pdf":
        pages = pdf_page_count(content)
        if b"%%EOF" not in content[-2048:] or pages == 0:
            raise BadDocument(
                field_errors={
                    field: [_("%(name)s is not a readable PDF.") % {"name": name}]
                }
            )
        if pages > MAX_PDF_PAGES:
            raise BadDocument(
                field_errors={
                    field: [_("%(name)s has more than 20 pages.") % {"name": name}]
                }
            )
    return CheckedFile(
        name=name,
        content=content,
        content_type=ctype,
        extension=ext,
        pages=pages,
        sha256=hashlib.sha256(content).hexdigest(),
    )


CONTENT_TYPES = {ext: ctype for _magic, ctype, ext in SIGNATURES}


def document_store(checked: CheckedFile, *, folder: str) -> str:
    """Save to private default storage under a random name in ``folder``; returns the
    storage name."""
    path = f"{folder}/{secrets.token_hex(16)}.{checked.extension}"
    return default_storage.save(path, ContentFile(checked.content))


def document_delete_file(name: str | None) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def document_stored(name: str | None) -> str:
    """The storage name of a document whose file is still there; ``NotFound`` when
    the row has no file or the file is gone (retention, a lost disk), never a 500."""
    if not name or not default_storage.exists(name):
        raise NotFound()
    return name
