"""Idempotency-Key support for create calls of the API.

A repeated request with the same key and the same body gets the stored answer and
creates nothing; the same key with another body is refused. The create and the stored
answer are one transaction, so two racing requests with one key create one object.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from ninja.responses import Status

from .errors import InvalidInput
from .http import ApiRequest
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _hash(method: str, path: str, payload: Any) -> str:
    raw = json.dumps([method, path, payload], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def run_idempotent(
    request: ApiRequest,
    payload: Any,
    create: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run ``create`` (returning status, JSON body) at most once per key and user."""
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        return create()
    if len(key) > 200:
        raise InvalidInput(field_errors={HEADER: ["at most 200 characters"]})
    user = request.user
    digest = _hash(request.method or "", request.path, payload)

    def replay(record: IdempotencyRecord) -> tuple[int, Any]:
        if record.request_hash != digest:
            raise InvalidInput(
                code="idempotency_key_reused",
                field_errors={HEADER: ["this key was used for a different request"]},
            )
        return record.status_code, record.response_body

    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            status, body = create()
            IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method or "",
                path=request.path[:300],
                request_hash=digest,
                status_code=status,
                response_body=json.loads(json.dumps(body, default=str)),
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            raise
        return replay(record)
    return status, body


def idempotent(
    request: ApiRequest,
    payload: Any,
    create: Callable[[], tuple[int, Any]],
) -> Any:
    """``run_idempotent`` as a django-ninja ``Status`` (what an endpoint returns)."""
    return Status(*run_idempotent(request, payload, create))
