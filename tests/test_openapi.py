"""The published API contract (``/api/v1/openapi.json``) says what the API really does.

Unique schema names (two apps' ``ApplyIn`` once collided, so Seoul Learn's application
was documented with a programme's fields); problem+json error answers on every
operation; the ``Idempotency-Key`` header on every create that honours it; one page shape
with a total on every list; bounds on every integer a client can send.
"""

from __future__ import annotations

import inspect
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from ninja import Schema

from nanum.api import api
from nanum.core import api as core_api
from nanum.core.schemas import INT64_MAX, PAGE_LIMIT_MAX, PAGE_OFFSET_MAX
from nanum.core.testing import World
from nanum.learner_model import api as learner_model_api
from nanum.learning import api as learning_api
from nanum.lending import api as lending_api
from nanum.lending.tests.helpers import make_model
from nanum.mentoring import api as mentoring_api
from nanum.programs import api as programs_api

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return api.get_openapi_schema()


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method in METHODS:
                yield path, method, op


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _schema_classes() -> dict[str, set[type]]:
    """Every Schema class of Nanum, by the name it gets in the published schema."""
    by_name: dict[str, set[type]] = defaultdict(set)
    todo: list[type] = [Schema]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("nanum.") and "[" not in cls.__name__:
            by_name[cls.__name__].add(cls)
    return by_name


ROUTERS = [
    core_api.router,
    lending_api.router,
    learning_api.router,
    programs_api.router,
    mentoring_api.router,
    learner_model_api.router,
]


def _ninja_operations() -> Iterator[tuple[str, Any]]:
    for router in ROUTERS:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_no_two_schemas_share_a_name(spec: dict[str, Any]) -> None:
    by_name = _schema_classes()
    clashes = {name: classes for name, classes in by_name.items() if len(classes) > 1}
    assert clashes == {}
    # every published component is one class (or a page of one)
    for name in spec["components"]["schemas"]:
        inner = name.removeprefix("Page_").removesuffix("_")
        assert len(by_name.get(inner, set())) <= 1, name


def test_each_application_endpoint_documents_its_own_fields(
    spec: dict[str, Any],
) -> None:
    def body(path: str) -> dict[str, Any]:
        op = spec["paths"][path]["post"]
        return _resolve(
            spec, op["requestBody"]["content"]["application/json"]["schema"]
        )

    learning = body("/api/v1/learning/applications")
    programme = body("/api/v1/programs/{programme_id}/apply")
    assert {"town", "full_name", "consent_collection"} <= set(learning["properties"])
    assert set(programme["properties"]) == {"child_id", "declare_priority"}
    mentoring_session = spec["components"]["schemas"]["MentoringSessionOut"]
    programme_session = spec["components"]["schemas"]["ProgrammeSessionOut"]
    assert "duration_minutes" in mentoring_session["required"]
    assert "duration_minutes" not in programme_session["properties"]


def test_every_operation_documents_its_problem_answers(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code"} <= set(problem["required"])
    for path, method, op in _operations(spec):
        expected = {"404", "422", "503"}
        if op.get("security"):
            expected |= {"401", "403"}
        if method != "get":
            expected.add("409")
        responses = {str(code): answer for code, answer in op["responses"].items()}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            content = responses[code]["content"]
            assert content == {
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}
                }
            }, (method, path, code)
        assert "Retry-After" in responses["503"]["headers"]
    public = spec["paths"]["/api/v1/programs/"]["get"]
    assert "401" not in {str(c) for c in public["responses"]}


def test_the_idempotency_header_is_declared_where_it_is_honoured(
    spec: dict[str, Any],
) -> None:
    honoured = 0
    for _path, operation in _ninja_operations():
        source = inspect.getsource(operation.view_func)
        uses_key = "idempotent(" in source
        declared = any(
            p.get("name") == "Idempotency-Key" and p.get("in") == "header"
            for p in (operation.openapi_extra or {}).get("parameters", [])
        )
        assert uses_key == declared, operation.view_func.__qualname__
        honoured += uses_key
    assert honoured >= 25
    op = spec["paths"]["/api/v1/lending/reservations"]["post"]
    header = [p for p in op["parameters"] if p["name"] == "Idempotency-Key"]
    assert header == [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "description": header[0]["description"],
            "schema": {"type": "string", "minLength": 1, "maxLength": 200},
        }
    ]


def test_every_list_is_a_page_with_a_total(spec: dict[str, Any]) -> None:
    lists = 0
    for path, method, op in _operations(spec):
        ok = op["responses"].get(200) or op["responses"].get("200")
        if method != "get" or not ok or "content" not in ok:
            continue
        shown = ok["content"]["application/json"]["schema"]
        assert shown.get("type") != "array", f"{path} returns a bare list"
        name = shown.get("$ref", "").rsplit("/", 1)[-1]
        if not name.startswith("Page_"):
            continue
        lists += 1
        page = spec["components"]["schemas"][name]
        assert set(page["required"]) == {"count", "items", "limit", "offset"}
        params = {p["name"]: p["schema"] for p in op["parameters"]}
        assert params["limit"]["minimum"] == 1
        assert params["limit"]["maximum"] == PAGE_LIMIT_MAX
        assert params["offset"]["minimum"] == 0
        assert params["offset"]["maximum"] == PAGE_OFFSET_MAX
    assert lists >= 19


def _integers(spec: dict[str, Any], node: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield from _integers(spec, _resolve(spec, node), where)
            return
        if node.get("type") == "integer":
            yield where, node
        for key in ("properties",):
            for name, sub in node.get(key, {}).items():
                yield from _integers(spec, sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _integers(spec, node[key], f"{where}[]")
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                yield from _integers(spec, sub, where)
        if "propertyNames" in node:
            yield from _integers(spec, node["propertyNames"], f"{where}{{key}}")


def test_every_integer_a_client_sends_is_bounded(spec: dict[str, Any]) -> None:
    seen = 0
    for path, method, op in _operations(spec):
        found: list[tuple[str, Any]] = []
        for p in op.get("parameters", []):
            found += _integers(spec, p["schema"], f"{p['in']}:{p['name']}")
        for content in op.get("requestBody", {}).get("content", {}).values():
            found += _integers(spec, content["schema"], "body")
        for where, node in found:
            seen += 1
            assert "minimum" in node and "maximum" in node, (method, path, where)
            assert -(2**63) <= node["minimum"] <= node["maximum"] <= INT64_MAX
    assert seen > 100


# --- the same, from the client's side ---------------------------------------------------


def _get(client: Client, token: str, url: str) -> Any:
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_ids_and_offsets_beyond_64_bits_are_refused_not_500(
    world: World, client: Client, api_token: Any
) -> None:
    token = api_token(world.bank_officer)
    huge = str(2**64)
    for url in (
        f"/api/v1/lending/models/{huge}",
        f"/api/v1/lending/reservations/{huge}",
        f"/api/v1/mentoring/matches/{huge}",
        f"/api/v1/lending/models?offset={huge}",
        f"/api/v1/lending/models?limit={huge}",
        "/api/v1/lending/models?limit=0",
        f"/api/v1/lending/availability?start=2026-05-01&end=2026-05-02&school_id={huge}",
    ):
        response = _get(client, token, url)
        assert response.status_code == 422, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "invalid_input"
    # a path converter that only matches what fits may answer "not found" instead
    assert _get(client, token, f"/api/v1/programs/{huge}").status_code in (404, 422)
    response = client.post(
        "/api/v1/lending/reservations",
        {
            "equipment_id": 2**63,
            "bank_id": 1,
            "school_id": 1,
            "start_date": "2026-05-01",
            "end_date": "2026-05-02",
            "purpose": "x",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["equipment_id"]


def test_pages_add_up_to_the_total(
    world: World, client: Client, api_token: Any
) -> None:
    for code in ("SCOPE-1", "SCOPE-2", "SCOPE-3"):
        make_model(world, code)
    token = api_token(world.teacher)
    whole = _get(client, token, "/api/v1/lending/models?limit=200").json()
    assert whole["count"] == len(whole["items"]) >= 3
    assert (whole["limit"], whole["offset"]) == (200, 0)
    ids = []
    for offset in range(whole["count"]):
        one = _get(client, token, f"/api/v1/lending/models?limit=1&offset={offset}")
        body = one.json()
        assert body["count"] == whole["count"]
        assert (body["limit"], body["offset"]) == (1, offset)
        ids += [m["id"] for m in body["items"]]
    assert ids == [m["id"] for m in whole["items"]]
    past = _get(client, token, f"/api/v1/lending/models?offset={whole['count']}")
    assert past.json()["items"] == []
    assert past.json()["count"] == whole["count"]


def test_the_schema_is_built_once_per_process_and_language(client: Client) -> None:
    """Building it cost 0.3–0.8 s of CPU per request for anyone, signed in or not."""
    api.schemas.clear()
    first = client.get("/api/v1/openapi.json")
    second = client.get("/api/v1/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(api.schemas) == 1
    assert api.get_openapi_schema() is api.get_openapi_schema()
    with translation.override("en"):
        english = api.get_openapi_schema()
    with translation.override("ko"):
        korean = api.get_openapi_schema()
    assert english is not korean  # each language keeps its own
    assert len(api.schemas) == 2
    # what was served is the kept schema (keys such as 404 become strings in JSON)
    assert json.loads(json.dumps(korean)) == first.json()
