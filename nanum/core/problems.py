"""RFC 9457 problem details: the one error format of the API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

PROBLEM_TYPE_BASE = "https://nanum.example/problems/"
CONTENT_TYPE = "application/problem+json"


def problem_body(
    *,
    status: int,
    code: str,
    title: str | Promise,
    detail: str | Promise = "",
    errors: list[dict[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": str(title),
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    return body


def problem_response(**kwargs: Any) -> HttpResponse:
    body = problem_body(**kwargs)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=body["status"],
        content_type=CONTENT_TYPE,
    )
