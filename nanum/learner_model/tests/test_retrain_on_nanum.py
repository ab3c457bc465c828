"""Retraining on Nanum's own interactions: a logistic model with SciPy alone, activated
only when it validates at least as well as the active one; pages say it in plain words."""

from __future__ import annotations

import random

import pytest
from django_tasks import TaskResultStatus

from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.core.testing import UserFactory
from nanum.learner_model import selectors, services
from nanum.learner_model.models import ModelArtefact
from nanum.learner_model.services import training
from nanum.learner_model.tasks import retrain
from nanum.learning.models import Course, Interaction, Item, Lesson
from nanum.learning.services.study import answer_record

pytestmark = pytest.mark.django_db


def _simulated_students(
    world, n_students: int = 40, answers: int = 25, prefix: str = "sim"
) -> None:
    """Students with a known ability answer items of known difficulty (IRT-style)."""
    rng = random.Random(7)
    course, _new = Course.objects.get_or_create(
        title="시험", subject="수학", school_level="middle"
    )
    items = []
    for s, code in enumerate(["[9수01-01]", "[9수01-02]", "[9수01-03]"], start=1):
        lesson, _new = Lesson.objects.get_or_create(
            course=course, order=s, title=code, skills=[code]
        )
        for n in range(6):
            item, _new = Item.objects.get_or_create(
                lesson=lesson,
                order=n + 1,
                defaults={
                    "prompt": f"{code}-{n}",
                    "choices": ["a", "b"],
                    "answer": 0,
                    "skills": [code],
                },
            )
            items.append((item, rng.gauss(0, 1)))
    rows = []
    for k in range(n_students):
        student = UserFactory.create(username=f"{prefix}{k}")
        ability = rng.gauss(0, 1)
        for _ in range(answers):
            item, difficulty = rng.choice(items)
            p = 1 / (1 + pow(2.718281828, -(ability - difficulty)))
            rows.append(
                Interaction(
                    student=student,
                    item=item,
                    skills=item.skills,
                    correct=rng.random() < p,
                )
            )
    Interaction.objects.bulk_create(rows)


def test_too_little_data_changes_nothing(world):
    with pytest.raises(DomainError) as info:
        services.model_train_nanum(actor=world.admin)
    assert info.value.code == "too_little_data"
    assert not ModelArtefact.objects.exists()


def test_retraining_activates_a_logistic_model_without_pytorch(
    world, settings, tmp_path
):
    settings.NANUM_ARTIFACT_DIR = tmp_path
    _simulated_students(world)
    result = retrain.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value.startswith("activated")
    artefact = ModelArtefact.objects.get(is_active=True)
    assert artefact.dataset == "nanum" and artefact.model_version == "nanum-pfa-1"
    assert len(artefact.data_sha256) == 64
    m = artefact.metrics
    assert m["learners"] == 40 and m["answers"] == 1000
    # The simulated abilities and difficulties are learnable: well above chance.
    assert m["valid_auc"] > 0.6
    assert 0.0 <= m["valid_ece"] < 0.2
    assert m["valid_positions"] > 0 and m["active_valid_auc"] is None
    estimator = selectors.active_estimator()
    assert estimator.name == "nanum-pfa-1"
    mastery = estimator.estimate(selectors.history_for(world.student)).mastery
    assert set(mastery) >= {"[9수01-01]", "[9수01-02]", "[9수01-03]"}


def test_a_retrained_model_that_validates_worse_is_not_activated(
    world, settings, tmp_path, monkeypatch
):
    settings.NANUM_ARTIFACT_DIR = tmp_path
    _simulated_students(world)
    first = services.model_train_nanum(actor=world.admin)
    assert first.activated
    # The same answers and one more learner, but a model whose every coefficient
    # points the wrong way: it ranks the held-out answers worse than the active one.
    _simulated_students(world, n_students=1, prefix="late")
    real_fit = training.fit_pfa

    def upside_down(split):
        model = real_fit(split)
        model.coef = -model.coef
        return model

    monkeypatch.setattr(training, "fit_pfa", upside_down)
    second = services.model_train_nanum(actor=world.admin)
    assert not second.activated
    assert second.active_valid_auc is not None
    assert second.artefact.metrics["valid_auc"] < second.active_valid_auc
    assert ModelArtefact.objects.get(is_active=True) == first.artefact
    assert ModelArtefact.objects.count() == 2  # the worse one is kept, inactive
    assert "not activated" in second.summary


def test_pages_say_what_the_estimate_stands_on_in_plain_words(
    world, settings, tmp_path, client
):
    settings.NANUM_ARTIFACT_DIR = tmp_path
    client.force_login(world.student)
    page = client.get("/learner-model/", HTTP_ACCEPT_LANGUAGE="ko")
    text = page.content.decode()
    assert "count-beta" not in text and "추정 방법" not in text
    assert "아직 모델을 학습할 만큼" in text or "아직 푼 문제가 없습니다" in text
    _simulated_students(world)
    services.model_train_nanum(actor=world.admin)
    for item in Item.objects.order_by("pk")[:3]:
        answer_record(actor=world.student, item_id=item.pk, answer=0)
    text = client.get("/learner-model/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "최근 3문제 기준입니다." in text
    assert "나눔 학생 40명의 답으로 학습한 모델" in text
    text = client.get("/learner-model/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Based on the last 3 answers." in text


def test_the_history_holds_the_last_answers_and_how_many_there_are(world):
    _simulated_students(world, n_students=1, answers=230, prefix="long")
    _simulated_students(world, n_students=1, answers=7, prefix="short")
    long, short = (User.objects.get(username=u) for u in ("long0", "short0"))
    history = selectors.history_for(long)
    assert (len(history), history.total) == (199, 230)
    newest = Interaction.objects.filter(student=long).order_by("answered_at", "id")
    want = [(i.item_id, i.skills, i.correct) for i in newest][-199:]
    assert [tuple(row) for row in history] == want
    assert selectors.history_for(short).total == 7
    assert selectors.history_for(world.student).total == 0
