"""Idempotency for create calls: the API's ``Idempotency-Key`` and the web's form tokens.

API: a repeated request with the same key and the same body gets the stored answer and
creates nothing; the same key with another body is refused. Duplicates that arrive at
the same time wait for the first and replay its answer, whatever it was (201, or the
refusal such as 409 ``no_units_free``): the key is locked (PostgreSQL: a transaction
advisory lock on the user and key; SQLite: every write transaction is ``IMMEDIATE``, so
they are serialised anyway), then looked up, then the create and the stored answer are
written in that one transaction.

The create and the building of its answer run in one transaction, with or without a key:
if reading the answer fails (the database went away), the write is rolled back too, so
a committed write is never answered with an error.

Web forms: ``{% form_token %}`` (``nanum.core.templatetags.nanum_once``) puts a one-time
token in the form; ``form_once(request)`` consumes it in the transaction of the write.
A second submission of the same form (a double click, a reload, a retry after a time-out)
is redirected to the result of the first instead of writing twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from ninja.responses import Status

from .errors import DomainError, InvalidInput
from .http import ApiRequest
from .models import IdempotencyRecord, User
from .problems import problem_body

T = TypeVar("T")
R = TypeVar("R")

HEADER = "Idempotency-Key"
#: The hidden form field that carries a one-time form token.
FORM_FIELD = "form_token"
_FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _hash(method: str, path: str, payload: Any) -> str:
    raw = json.dumps([method, path, payload], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _lock(user_id: int, key: str) -> None:
    """Serialise everyone holding ``key`` of this user until the transaction ends.

    PostgreSQL: a transaction-level advisory lock (64-bit hash of user and key).
    SQLite: nothing to do, the transaction began ``IMMEDIATE`` and holds the write lock.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"nanum-idem:{user_id}:{key}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


class ReplayedRefusal(DomainError):
    """The stored refusal of the first request with this key, raised again."""

    def __init__(self, body: dict[str, Any]) -> None:
        extra = {
            k: v
            for k, v in body.items()
            if k not in {"type", "title", "status", "code", "errors", "detail"}
        }
        field_errors: dict[str, list[str]] = {}
        for err in body.get("errors") or []:
            field_errors.setdefault(str(err.get("field", "")), []).append(
                str(err.get("message", ""))
            )
        super().__init__(
            str(body.get("title", "")),
            code=str(body.get("code", "conflict")),
            status=int(body.get("status", 409)),
            field_errors=field_errors,
            extra=extra,
        )


def _refusal_body(exc: DomainError) -> dict[str, Any]:
    errors = [
        {"field": name, "message": str(msg)}
        for name, msgs in exc.field_errors.items()
        for msg in msgs
    ]
    return problem_body(
        status=exc.status,
        code=exc.code,
        title=str(exc.message),
        errors=errors or None,
        extra=exc.extra,
    )


def run_idempotent(
    request: ApiRequest,
    payload: Any,
    create: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run ``create`` (returning status, JSON body) at most once per key and user.

    A refusal (``DomainError``) of the first request is stored and replayed to its
    duplicates, as is a success; an unexpected error or an outage stores nothing, so
    the client may retry with the same key.
    """
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        with transaction.atomic():
            return create()
    if len(key) > 200:
        raise InvalidInput(field_errors={HEADER: [_("At most 200 characters.")]})
    user = request.user
    digest = _hash(request.method or "", request.path, payload)

    def replay(record: IdempotencyRecord) -> tuple[int, Any]:
        if record.request_hash != digest:
            raise InvalidInput(
                code="idempotency_key_reused",
                field_errors={HEADER: ["this key was used for a different request"]},
            )
        if record.status_code >= 400:
            raise ReplayedRefusal(dict(record.response_body))
        return record.status_code, record.response_body

    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return replay(existing)
    refusal: DomainError | None = None
    try:
        with transaction.atomic():
            _lock(user.pk, key)
            # A duplicate that waited on the lock finds the first one's answer here.
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is not None:
                result = replay(existing)
            else:
                try:
                    with transaction.atomic():
                        status, body = create()
                except DomainError as exc:
                    refusal = exc
                    status, body = exc.status, _refusal_body(exc)
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=request.method or "",
                    path=request.path[:300],
                    request_hash=digest,
                    status_code=status,
                    response_body=json.loads(json.dumps(body, default=str)),
                )
                result = status, body
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            raise
        return replay(record)
    if refusal is not None:
        raise refusal
    return result


def idempotent(
    request: ApiRequest,
    payload: Any,
    create: Callable[[], tuple[int, Any]],
) -> Any:
    """``run_idempotent`` as a django-ninja ``Status`` (what an endpoint returns)."""
    return Status(*run_idempotent(request, payload, create))


def write_and_answer(write: Callable[[], T], answer: Callable[[T], R]) -> R:
    """Run a write and build its answer from the result in one transaction.

    For handlers whose answer reads more rows after the service returned (a related
    object, a count): if that read fails, the write is rolled back with it, so the
    client's retry works instead of a committed write being answered with an error.
    """
    with transaction.atomic():
        return answer(write())


# --- Web forms ----------------------------------------------------------------------


def new_form_token() -> str:
    """A fresh one-time token for a form (see ``{% form_token %}``)."""
    return secrets.token_urlsafe(24)


@dataclass
class FormOnce:
    """What ``form_once`` yields: ``replayed`` is the answer to an already-sent form."""

    request: HttpRequest
    user: User | None
    key: str
    replayed: HttpResponse | None = None

    def done(self, response: HttpResponse) -> HttpResponse:
        """Record ``response`` (a redirect to the result) as the answer to this form."""
        if (
            self.user is not None
            and self.key
            and isinstance(response, HttpResponseRedirect)
        ):
            IdempotencyRecord.objects.create(
                user=self.user,
                key=self.key,
                method="POST",
                path=self.request.path[:300],
                request_hash=_hash("POST", self.request.path, None),
                status_code=response.status_code,
                response_body={"location": response["Location"]},
            )
        return response


@contextmanager
def form_once(request: HttpRequest) -> Iterator[FormOnce]:
    """Consume the form's one-time token in the transaction of the write.

    Use around the service call of a POST::

        with form_once(request) as once:
            if once.replayed:
                return once.replayed
            obj = services.thing_create(...)
            return once.done(redirect("app:thing", obj.pk))

    A form sent without a (well-formed) token, or by an anonymous visitor, works as
    before, without the protection.
    """
    token = request.POST.get(FORM_FIELD, "")
    user = request.user if isinstance(request.user, User) else None
    key = f"form:{token}" if user is not None and _FORM_TOKEN.match(token) else ""
    with transaction.atomic():
        once = FormOnce(request=request, user=user, key=key)
        if key and user is not None:
            _lock(user.pk, key)
            record = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if record is not None:
                messages.info(
                    request,
                    _("This form was already sent; here is what it did."),
                )
                location = str(record.response_body.get("location") or "/")
                once.replayed = HttpResponseRedirect(location)
        yield once
