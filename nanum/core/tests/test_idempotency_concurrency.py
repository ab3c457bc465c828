"""Idempotency-Key under concurrency: duplicates wait for the first and replay its answer,
whatever it was, and a refusal is replayed as the same refusal."""

from __future__ import annotations

import threading
import time
from typing import Any, cast

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from nanum.core.errors import DomainError
from nanum.core.http import ApiRequest
from nanum.core.idempotency import HEADER, ReplayedRefusal, run_idempotent
from nanum.core.models import IdempotencyRecord, Notification, Role, User
from nanum.core.testing import make_user


def _request(user: User, key: str) -> ApiRequest:
    request = RequestFactory().post(
        "/api/v1/things", HTTP_IDEMPOTENCY_KEY=key, content_type="application/json"
    )
    request.user = user
    return cast(ApiRequest, request)


def _take_the_last_unit(user: User, delay: float = 0.0) -> tuple[int, Any]:
    """A create that succeeds once: the one 'free unit' is a row that may exist once.

    The user row is locked first, as a booking locks its units: a second create that
    gets past the key waits here, then finds the unit taken and is refused (409).
    """
    User.objects.select_for_update().get(pk=user.pk)
    if Notification.objects.filter(user=user, kind="unit").exists():
        raise DomainError("no units free", code="no_units_free")
    time.sleep(delay)
    n = Notification.objects.create(user=user, kind="unit", subject="the unit")
    return 201, {"id": n.pk}


@pytest.mark.django_db
def test_a_refusal_is_stored_and_replayed_to_the_same_key():
    user = make_user("idem-a", Role.TEACHER)
    Notification.objects.create(user=user, kind="unit", subject="taken already")
    with pytest.raises(DomainError) as first:
        run_idempotent(
            _request(user, "k1"), {"q": 1}, lambda: _take_the_last_unit(user)
        )
    assert first.value.code == "no_units_free" and first.value.status == 409
    # the unit is freed, but the same key replays the first answer: the refusal
    Notification.objects.filter(user=user).delete()
    with pytest.raises(ReplayedRefusal) as again:
        run_idempotent(
            _request(user, "k1"), {"q": 1}, lambda: _take_the_last_unit(user)
        )
    assert again.value.code == "no_units_free" and again.value.status == 409
    assert not Notification.objects.exists()
    # a new key is a new request
    status, _body = run_idempotent(
        _request(user, "k2"), {"q": 1}, lambda: _take_the_last_unit(user)
    )
    assert status == 201 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_the_create_and_its_answer_are_one_transaction():
    user = make_user("idem-b", Role.TEACHER)
    request = RequestFactory().post("/api/v1/things")
    request.user = user

    def create_then_fail_to_answer() -> tuple[int, Any]:
        Notification.objects.create(user=user, kind="unit", subject="written")
        raise RuntimeError("reading the answer failed")

    with pytest.raises(RuntimeError):
        run_idempotent(cast(ApiRequest, request), {}, create_then_fail_to_answer)
    assert not Notification.objects.exists()  # rolled back with the failed answer


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused():
    user = make_user("idem-c", Role.TEACHER)
    run_idempotent(_request(user, "k"), {"q": 1}, lambda: _take_the_last_unit(user))
    with pytest.raises(DomainError) as exc:
        run_idempotent(_request(user, "k"), {"q": 2}, lambda: (201, {}))
    assert exc.value.code == "idempotency_key_reused"
    assert HEADER in exc.value.field_errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_wait_for_the_first_and_replay_its_201():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    user = make_user("idem-race", Role.TEACHER)
    n = 8
    barrier = threading.Barrier(n)
    answers: list[Any] = []
    lock = threading.Lock()

    def duplicate() -> None:
        try:
            barrier.wait()
            result: Any = run_idempotent(
                _request(user, "same-key"),
                {"equipment": 1},
                lambda: _take_the_last_unit(user, delay=0.2),
            )
        except DomainError as exc:
            result = ("refused", exc.code)
        except Exception as exc:
            result = ("error", repr(exc))
        finally:
            connections.close_all()
        with lock:
            answers.append(result)

    threads = [threading.Thread(target=duplicate) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == n
    assert Notification.objects.filter(user=user, kind="unit").count() == 1
    first = answers[0]
    assert all(a == first for a in answers), answers  # every duplicate: the same 201
    assert first[0] == 201
    assert IdempotencyRecord.objects.filter(user=user, key="same-key").count() == 1
