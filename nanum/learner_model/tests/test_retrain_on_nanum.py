"""Periodic retraining on Nanum's own interactions (needs the nanum[ml] extra)."""

from __future__ import annotations

import random

import pytest
from django_tasks import TaskResultStatus

from nanum.core.errors import DomainError
from nanum.core.testing import UserFactory
from nanum.learner_model import selectors, services
from nanum.learner_model.models import ModelArtefact
from nanum.learner_model.tasks import retrain
from nanum.learning.models import Course, Interaction, Item, Lesson

pytestmark = pytest.mark.django_db


def _simulated_students(world, n_students: int = 40, answers: int = 25) -> None:
    """Students with a known ability answer items of known difficulty (IRT-style)."""
    rng = random.Random(7)
    course = Course.objects.create(title="시험", subject="수학", school_level="middle")
    items = []
    for s, code in enumerate(["[9수01-01]", "[9수01-02]", "[9수01-03]"], start=1):
        lesson = Lesson.objects.create(
            course=course, order=s, title=code, skills=[code]
        )
        for n in range(6):
            items.append(
                (
                    Item.objects.create(
                        lesson=lesson,
                        order=n + 1,
                        prompt=f"{code}-{n}",
                        choices=["a", "b"],
                        answer=0,
                        skills=[code],
                    ),
                    rng.gauss(0, 1),
                )
            )
    rows = []
    for k in range(n_students):
        student = UserFactory.create(username=f"sim{k}")
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
    pytest.importorskip("torch")
    with pytest.raises(DomainError) as info:
        services.model_train_nanum(actor=world.admin, epochs=1)
    assert info.value.code == "too_little_data"
    assert not ModelArtefact.objects.exists()


def test_retraining_activates_a_model_the_recommender_then_uses(
    world, settings, tmp_path
):
    pytest.importorskip("torch")
    settings.NANUM_ARTIFACT_DIR = tmp_path
    _simulated_students(world)
    result = retrain.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value.startswith("activated")
    artefact = ModelArtefact.objects.get(is_active=True)
    assert artefact.dataset == "nanum"
    assert len(artefact.data_sha256) == 64
    assert artefact.metrics["learners"] == 40
    assert 0.0 <= artefact.metrics["valid_auc"] <= 1.0
    estimator = selectors.active_estimator()
    assert estimator.name.startswith("nanum-kt")
    mastery = estimator.estimate(selectors.history_for(world.student)).mastery
    assert set(mastery) >= {"[9수01-01]", "[9수01-02]", "[9수01-03]"}
