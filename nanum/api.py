"""The API root: /api/v1/, OpenAPI docs at /api/docs, RFC 9457 problem details."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from nanum.core import api as core_api
from nanum.core.errors import DomainError
from nanum.core.problems import problem_response
from nanum.core.schemas import document_problems
from nanum.core.services import token_authenticate
from nanum.core.views.errors import (
    database_unavailable_problem,
    is_database_unavailable,
)
from nanum.insights import api as insights_api
from nanum.learner_model import api as learner_model_api
from nanum.learning import api as learning_api
from nanum.lending import api as lending_api
from nanum.mentoring import api as mentoring_api
from nanum.programs import api as programs_api

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """Personal access tokens: ``Authorization: Bearer nanum_...``."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class NanumSessionAuth(SessionAuth):
    """The browser's session, with CSRF checked for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class NanumAPI(NinjaAPI):
    """The API whose published schema also documents every problem+json answer.

    The schema is built once per process (and language, for translated texts):
    building it took 0.3–0.8 s of CPU, which every anonymous request for
    ``/api/v1/openapi.json`` cost before. The schema is shared: read it, do not
    change it (``copy.deepcopy`` it first).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per instance: another NanumAPI (a later version) has its own schema
        self.schemas: dict[tuple[str | None, str, str | None], Any] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: Any = None
    ) -> Any:
        key = (
            path_prefix,
            repr(sorted((path_params or {}).items())),
            translation.get_language(),
        )
        schema = self.schemas.get(key)
        if schema is None:
            schema = document_problems(
                super().get_openapi_schema(
                    path_prefix=path_prefix, path_params=path_params
                )
            )
            self.schemas[key] = schema
        return schema


api = NanumAPI(
    title="Nanum API",
    version="1",
    description=(
        "나눔 API. Every error is an RFC 9457 problem document "
        "(`application/problem+json`) with a stable `code`. Create calls accept an "
        "`Idempotency-Key` header."
    ),
    urls_namespace="api",
    docs_url="/docs",
    auth=[TokenAuth(), NanumSessionAuth()],
)


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload")]
        out.append(
            {
                "field": ".".join(
                    loc[1:] if loc and loc[0] in ("query", "path") else loc
                ),
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
        )
    return out


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(
        status=422,
        code="invalid_input",
        title=_("Some fields are not valid."),
        errors=_field_errors(exc.errors),
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [
        {"field": field, "message": str(msg)}
        for field, msgs in exc.field_errors.items()
        for msg in msgs
    ]
    return problem_response(
        status=exc.status,
        code=exc.code,
        title=str(exc.message),
        errors=errors or None,
        extra=exc.extra,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        status=401,
        code="not_authenticated",
        title=_("Sign in or send a valid API token."),
    )
    response["WWW-Authenticate"] = 'Bearer realm="nanum"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method"}
    return problem_response(
        status=exc.status_code,
        code=codes.get(exc.status_code, "error"),
        title=str(exc.message) if exc.message else _("The request failed."),
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        status=404, code="not_found", title=_("We could not find what you asked for.")
    )


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def on_unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A multipart body without a (valid) boundary, too many fields, a body over the
    # size limit: the client's fault, never a 500.
    too_big = isinstance(exc, RequestDataTooBig)
    return problem_response(
        status=413 if too_big else 400,
        code="too_large" if too_big else "bad_request",
        title=_("The request body is too large.")
        if too_big
        else _("The request body could not be read."),
    )


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # A number beyond 64 bits reached the database driver (SQLite refuses it).
    return _out_of_range()


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # PostgreSQL refused a value (a number out of range for its column).
    return _out_of_range()


def _out_of_range() -> HttpResponse:
    return problem_response(
        status=422,
        code="invalid_input",
        title=_("Some fields are not valid."),
        detail=_("A number is out of range."),
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_database_unavailable(exc):
        # An outage is not a bug: 503 with Retry-After, and the client may retry.
        logger.warning("Database unavailable on %s: %s", request.path, exc)
        return database_unavailable_problem()
    logger.exception("Unhandled API error on %s", request.path)
    return problem_response(
        status=500,
        code="server_error",
        title=_("Something went wrong"),
        detail=_("Our team has been told. Please try again later."),
    )


# One line per app: its router and its URL prefix.
api.add_router("/", core_api.router, tags=["core"])
api.add_router("/lending/", lending_api.router, tags=["lending"])
api.add_router("/learning/", learning_api.router, tags=["learning"])
api.add_router("/programs/", programs_api.router, tags=["programs"])
api.add_router("/mentoring/", mentoring_api.router, tags=["mentoring"])
api.add_router("/learner-model/", learner_model_api.router, tags=["learner_model"])
api.add_router("/insights/", insights_api.router, tags=["insights"])
