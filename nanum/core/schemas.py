from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder


class RoleOut(Schema):
    role: str
    organisation_id: int
    organisation: str
    tenant: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: str
    roles: list[RoleOut]


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class HealthOut(Schema):
    status: str
    database: str


# --- The shared API contract: ids, bounds, pages, problems, idempotency ----------------

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1

#: A database id in a path, query or body: never zero, never beyond 64 bits.
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
#: Any other whole number the database stores in an ordinary integer column.
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
#: A count or amount that cannot be negative.
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]

PAGE_LIMIT_MAX = 200
PAGE_OFFSET_MAX = 2**31

T = TypeVar("T")


class PageQuery(Schema):
    """``limit`` and ``offset`` of every list endpoint."""

    limit: int = Field(50, ge=1, le=PAGE_LIMIT_MAX)
    offset: int = Field(0, ge=0, le=PAGE_OFFSET_MAX)


class Page(Schema, Generic[T]):
    """The one shape of every list: a page of ``items`` and the ``count`` of all."""

    count: int = Field(..., ge=0, description="How many items there are in all.")
    items: list[T]
    limit: int
    offset: int


def page_of(
    rows: QuerySet[Any] | Sequence[Any],
    page: PageQuery,
    render: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """The page ``page`` asks for of ``rows`` (a query set or a list), with the total."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[page.offset : page.offset + page.limit])
    return {
        "count": count,
        "items": [render(r) for r in chunk] if render is not None else chunk,
        "limit": page.limit,
        "offset": page.offset,
    }


def built_answer(data: Any, status: int = 200) -> HttpResponse:
    """A hot read endpoint's answer, already built as plain dicts in its declared shape.

    django-ninja would validate the whole answer against the endpoint's ``response=``
    schema again before dumping it, through Python for every nested object: a few
    milliseconds for a page of a few hundred objects (the availability search). This
    renders the dicts as django-ninja does (same encoder, same content type) and skips
    that second pass. The endpoint keeps its ``response=`` for the published schema, and
    its tests check that the answer equals its own validated form, so the shape cannot
    drift unseen. Only for answers built field by field from the schema, never for
    model objects.
    """
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )


class ProblemFieldError(Schema):
    field: str
    message: str
    type: str | None = None


class Problem(Schema):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str
    title: str
    status: int
    code: str = Field(..., description="A stable, machine-readable error code.")
    detail: str | None = None
    errors: list[ProblemFieldError] | None = None


#: ``openapi_extra`` of every create endpoint that accepts an ``Idempotency-Key``.
IDEMPOTENT: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "description": (
                "Send the same key again to get the first answer again instead of "
                "creating twice (at most 200 characters)."
            ),
            "schema": {"type": "string", "minLength": 1, "maxLength": 200},
        }
    ]
}

_PROBLEM_TEXT = {
    400: "The request could not be read.",
    401: "Sign in or send a valid API token.",
    403: "You do not have permission to do this.",
    404: "We could not find what you asked for.",
    409: "The request conflicts with the current state.",
    422: "Some fields are not valid.",
    429: "Too many attempts. Please wait and try again.",
    503: "The service is briefly unavailable; try again after Retry-After seconds.",
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the problem+json error answers of every operation of ``schema``.

    Every operation may answer 404, 422 and 503; one that needs a sign-in also 401 and
    403; one with a body also 400; a write also 409. The 2xx answers stay as declared.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in problem.pop("$defs", {}).items():
        components[name] = sub
    components["Problem"] = problem
    ref = {"$ref": "#/components/schemas/Problem"}
    for ops in schema.get("paths", {}).values():
        for method, op in ops.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            codes = {404, 422, 503}
            if op.get("security"):
                codes |= {401, 403}
            if "requestBody" in op:
                codes.add(400)
            if method in ("post", "put", "patch", "delete"):
                codes.add(409)
            for code in sorted(codes):
                answer: dict[str, Any] = {
                    "description": _PROBLEM_TEXT[code],
                    "content": {"application/problem+json": {"schema": ref}},
                }
                if code == 503:
                    answer["headers"] = {
                        "Retry-After": {
                            "description": "Seconds to wait before trying again.",
                            "schema": {"type": "integer", "minimum": 0},
                        }
                    }
                if code not in op["responses"] and str(code) not in op["responses"]:
                    op["responses"][code] = answer
    return schema


# --- Sign-up by phone and notification channels (services.channels) ----------------


class PhoneCodeIn(Schema):
    phone: str = Field(
        ..., max_length=20, description="A mobile number, 010-1234-5678."
    )


class PhoneCodeSentOut(Schema):
    sent: bool
    expires_in: int = Field(..., description="Seconds the code stays valid.")


class PhoneVerifyIn(Schema):
    phone: str = Field(..., max_length=20)
    code: str = Field(..., max_length=6)


class PhoneSignUpIn(Schema):
    """The phone sign-up page's fields; ``password`` is typed once."""

    phone: str = Field(..., max_length=20)
    code: str = Field(..., max_length=6)
    role: str = Field(..., description="student (14 or older) or guardian")
    tenant: int = Field(..., ge=1, le=INT64_MAX, description="The town's id.")
    display_name: str = Field(..., max_length=100)
    birth_year: int = Field(..., ge=1930, le=2030)
    username: str = Field(..., max_length=40)
    password: str = Field(..., max_length=128)


class PhoneSignUpOut(Schema):
    id: int
    username: str
    channels: list[str]


class ChannelsIn(Schema):
    channels: list[str] = Field(..., max_length=8)


class ChannelsOut(Schema):
    channels: list[str]
    phone: str
    phone_verified: bool
    available: list[str]
