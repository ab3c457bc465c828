"""Property-based fuzz of the whole API against its own published OpenAPI schema.

schemathesis generates requests for every operation from ``/api/v1/openapi.json`` (valid
ones, and invalid ones for the admin), sends them in-process to Nanum's WSGI app with an
admin's and a teacher's token on the ``world`` test data, and checks each answer: never a
server error (5xx), and every answer matches the schema published for its status.

Small by default (a few examples per operation, well under a minute);
``NANUM_FUZZ_EXAMPLES=50`` runs a deeper search.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from nanum.api import api
from nanum.core.testing import World

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("NANUM_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Nanum's WSGI app inside the test's transaction (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(
    app: WSGIHandler, token: str, modes: tuple[GenerationMode, ...]
) -> tuple[Counter[int], list[str]]:
    # a copy: the API's schema is built once and shared
    schema = schemathesis.openapi.from_dict(copy.deepcopy(api.get_openapi_schema()))
    schema.app = app
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the published schema is valid
        operations.append(result.ok())
    assert len(operations) >= 90

    for operation in operations:
        for mode in modes:
            examples = EXAMPLES if mode == GenerationMode.POSITIVE else EXAMPLES - 1

            @settings(
                max_examples=max(1, examples),
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def send(case: Any) -> None:
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as exc:  # a failed check: collect them all
                    failures.append(f"{case.operation.label} -> {exc}"[:2000])

            try:
                send()
            except Unsatisfiable:
                # no invalid request exists (e.g. any string is a valid path segment)
                assert mode == GenerationMode.NEGATIVE, operation.label
    return statuses, failures


@pytest.mark.parametrize(
    ("persona", "modes"),
    [
        ("admin", (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)),
        ("teacher", (GenerationMode.POSITIVE,)),
    ],
)
def test_every_operation_answers_without_server_errors_and_as_documented(
    world: World,
    api_token: Callable[[Any], str],
    wsgi_app: WSGIHandler,
    persona: str,
    modes: tuple[GenerationMode, ...],
) -> None:
    statuses, failures = _fuzz(wsgi_app, api_token(getattr(world, persona)), modes)
    assert failures == []
    assert not [s for s in statuses if s >= 500]
    # the fuzz really reached the handlers: successes and refusals both
    assert statuses[200] > 0 and statuses[404] > 0
    if GenerationMode.NEGATIVE in modes:
        assert statuses[422] > 0
