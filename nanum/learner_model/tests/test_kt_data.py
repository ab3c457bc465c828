"""Loaders, protocol helpers and features (NumPy only, no Django, no torch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nanum.learner_model.kt.baselines import LogisticPFA, SkillMean, auc
from nanum.learner_model.kt.data import load_split, make_sequence, merge_multiskill
from nanum.learner_model.kt.evaluate import Trained, fit_ensemble
from nanum.learner_model.kt.features import WINDOW, history_features, next_features
from nanum.learner_model.kt.synthetic import (
    generate,
    synthetic_split,
    write_akt_file,
    write_pykt_csv,
)
from nanum.learner_model.kt.windows import (
    chunk,
    context_start,
    eval_windows,
    served_windows,
)


def _write_akt_pid(
    path: Path, blocks: list[tuple[list[int], list[int], list[int]]]
) -> None:
    lines = []
    for n, (q, s, r) in enumerate(blocks):
        lines += [
            f"{n},{1000 + n}",
            ",".join(map(str, q)),
            ",".join(map(str, s)),
            ",".join(map(str, r)),
        ]
    path.write_text("\n".join(lines) + "\n")


def test_pykt_loader_parses_folds_and_shifts_concepts(tmp_path: Path) -> None:
    data = generate(n_learners=12, n_skills=4, n_items=8, min_len=5, max_len=9)
    seqs = data.sequences
    folder = tmp_path / "assist2015" / "pykt"
    folder.mkdir(parents=True)
    short = make_sequence("short", None, [2, 3], [1, 0])  # < 3 interactions: dropped
    write_pykt_csv(
        folder / "train_valid.csv", [*seqs[:8], short], [0, 1, 2, 3, 4, 0, 1, 2, 0]
    )
    write_pykt_csv(folder / "test.csv", seqs[8:], [-1] * 4)
    split = load_split("assist2015", 0, root=tmp_path)
    assert [s.uid for s in split.valid] == [seqs[0].uid, seqs[5].uid]
    assert len(split.train) == 6 and len(split.test) == 4
    assert all(s.uid != "short" for s in split.train + split.valid)
    got = split.train[0]
    np.testing.assert_array_equal(got.skills[:, 0], seqs[1].skills[:, 0])  # 1-based
    np.testing.assert_array_equal(got.responses, seqs[1].responses)
    assert (got.questions == 0).all()
    assert split.n_questions == 1 and split.n_skills == 5
    assert len(split.data_hash) == 64


def test_akt_statics_loader_reads_three_line_blocks(tmp_path: Path) -> None:
    data = generate(n_learners=9, n_skills=3, n_items=6, min_len=4, max_len=7, seed=3)
    folder = tmp_path / "statics2011" / "akt"
    folder.mkdir(parents=True)
    for part, idx in (("train", [0, 1, 2, 3]), ("valid", [4, 5]), ("test", [6, 7, 8])):
        write_akt_file(
            folder / f"statics_{part}2.csv",
            [data.sequences[i] for i in idx],
            with_questions=False,
        )
    split = load_split("statics2011", 1, root=tmp_path)
    # Validation is carved from the fold's training learners (train + valid files):
    # the AKT valid file equals the next fold's test file, so no choice may use it.
    assert (len(split.train), len(split.valid), len(split.test)) == (5, 1, 3)
    pool = {s.uid for s in split.train + split.valid}
    assert pool == {f"statics_train2:{i}" for i in range(4)} | {
        f"statics_valid2:{i}" for i in range(2)
    }
    assert not pool & {s.uid for s in split.test}
    again = load_split("statics2011", 1, root=tmp_path)
    assert [s.uid for s in again.valid] == [s.uid for s in split.valid]  # seeded
    for got, want in zip(split.test, data.sequences[6:], strict=True):
        np.testing.assert_array_equal(got.skills, want.skills)
        np.testing.assert_array_equal(got.responses, want.responses)
        assert (got.questions == 0).all()


def test_assist2009_rows_of_one_question_are_merged(tmp_path: Path) -> None:
    folder = tmp_path / "assist2009" / "akt_pid"
    folder.mkdir(parents=True)
    # question 5 has skills 1 and 2 (two rows, same answer): one interaction;
    # question 6 answered twice with different answers: two interactions;
    # question 7 has three skills.
    q = [5, 5, 6, 6, 7, 7, 7, 5]
    s = [1, 2, 3, 3, 1, 3, 4, 1]
    r = [1, 1, 0, 1, 0, 0, 0, 1]
    for part in ("train", "valid", "test"):
        _write_akt_pid(folder / f"assist2009_pid_{part}1.csv", [(q, s, r)])
    split = load_split("assist2009", 0, root=tmp_path)
    got = split.test[0]
    np.testing.assert_array_equal(got.questions, [5, 6, 6, 7, 5])
    np.testing.assert_array_equal(got.responses, [1, 0, 1, 0, 1])
    np.testing.assert_array_equal(
        got.skills, [[1, 2, 0], [3, 0, 0], [3, 0, 0], [1, 3, 4], [1, 0, 0]]
    )
    assert any("merged" in n and "8 rows" not in n for n in split.notes)
    assert "24 rows -> 15 interactions" in split.notes[0]


def test_merge_keeps_single_skill_sequences_unchanged() -> None:
    seq = make_sequence("a", [1, 2, 2, 3], [4, 5, 5, 6], [1, 0, 1, 1])
    merged = merge_multiskill(seq)
    np.testing.assert_array_equal(merged.questions, seq.questions)
    np.testing.assert_array_equal(merged.skills, seq.skills)


def test_chunks_and_sliding_windows_follow_the_protocol() -> None:
    seq = make_sequence("a", None, [1] * 450, [1, 0] * 225)
    assert [len(c) for c in chunk([seq])] == [200, 200, 50]
    windows = eval_windows([seq])
    assert len(windows) == 1 + 250
    first, start = windows[0]
    assert len(first) == 200 and start == 1
    scored = 199 + sum(len(w) - s for w, s in windows[1:])
    assert scored == 449  # every interaction but the first, exactly once
    last, start = windows[-1]
    assert len(last) == 200 and start == 199
    assert last.uid == "a" and len(last.slice(start, 200)) == 1


def test_served_windows_score_each_answer_from_its_served_context() -> None:
    for length in (2, 150, 200, 201, 300, 301, 450):
        # questions number the positions, so a window says which answers it holds
        seq = make_sequence(
            "a",
            list(range(1, length + 1)),
            [1] * length,
            [1, 0] * (length // 2) + [1] * (length % 2),
        )
        seq.extra["dense"] = np.arange(length)[:, None] * np.ones((1, 8))
        scored: list[int] = []
        for window, first in served_windows([seq]):
            positions = [int(q) - 1 for q in window.questions]
            start = positions[0]
            for local in range(first, len(window)):
                t = positions[local]
                scored.append(t)
                assert start == context_start(t)  # the context the app serves
                assert window.extra["dense"][local, 0] == t  # features travel along
        assert sorted(scored) == list(range(1, length))  # each once, none missed
    assert [context_start(n) for n in (0, 199, 200, 299, 300, 455)] == [
        0,
        0,
        100,
        100,
        200,
        300,
    ]


def test_history_features_count_only_the_window() -> None:
    n = WINDOW + 11
    q = np.zeros(n, dtype=np.int64)
    skills = np.ones((n, 1), dtype=np.int64)
    r = np.zeros(n, dtype=np.int8)
    r[:10] = 1  # the first ten answers are right, the rest wrong
    succ, fail, dense = history_features(q, skills, r)
    assert succ[0, 0] == 0 and fail[0, 0] == 0
    np.testing.assert_allclose(succ[10, 0], np.log1p(10))
    np.testing.assert_allclose(fail[12, 0], np.log1p(2))
    # at the last position the 10 right answers have left the 199-window
    np.testing.assert_allclose(succ[-1, 0], np.log1p(0))
    np.testing.assert_allclose(fail[-1, 0], np.log1p(WINDOW))
    assert dense[-1, 2] == 0 and dense[-1, 3] == 1  # previous answer wrong
    assert dense[1, 5] == 1.0  # last answer on this skill was right


def test_logistic_model_beats_skill_mean_on_synthetic() -> None:
    split = synthetic_split(0, n_learners=300)
    sm = SkillMean(split.n_skills)
    sm.fit(split.train)
    irt = LogisticPFA(split.n_questions, split.n_skills)
    irt.fit(split.train, split.valid, grid=(3.0,))
    auc_sm = auc(*sm.predict(split.test))
    auc_irt = auc(*irt.predict(split.test))
    assert 0.5 < auc_sm < auc_irt - 0.05


def test_next_features_match_the_last_row_of_history_features() -> None:
    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 60, WINDOW):
        q = rng.integers(1, 6, n + 1)
        skills = np.zeros((n + 1, 2), dtype=np.int64)
        skills[:, 0] = rng.integers(1, 4, n + 1)
        two = rng.random(n + 1) < 0.3
        skills[two, 1] = 4
        r = rng.integers(0, 2, n + 1).astype(np.int8)
        succ, fail, dense = history_features(q, skills, r)
        item_skills = [int(s) for s in skills[-1] if s]
        s2, f2, d2 = next_features(q[:-1], skills[:-1], r[:-1], int(q[-1]), item_skills)
        k = len(item_skills)
        np.testing.assert_allclose(s2, succ[-1, :k], rtol=1e-6)
        np.testing.assert_allclose(f2, fail[-1, :k], rtol=1e-6)
        np.testing.assert_allclose(d2, dense[-1], rtol=1e-6, atol=1e-7)


class _Untouchable(list):
    """A test set that fails the test if anything reads it."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a choice read the test learners")

    __iter__ = __len__ = __getitem__ = __bool__ = _refuse  # type: ignore[assignment]


def test_no_choice_reads_the_test_learners() -> None:
    """The choices (L2 grid of the logistic model, epochs and early stopping of the
    neural model) see only the training and validation learners."""
    split = synthetic_split(0)
    split.test = _Untouchable()
    model = LogisticPFA(split.n_questions, split.n_skills)
    model.fit(split.train, split.valid)
    assert model.l2 in (0.3, 3.0, 30.0)
    try:
        # optional: torch (the nanum[ml] extra)
        import torch  # noqa: F401
    except ImportError:
        return
    # optional: torch (train imports it)
    from nanum.learner_model.kt.train import TrainSettings, train_model

    result = train_model("ours", split, TrainSettings(epochs=1, dim=8, hidden=8))
    assert 0.0 <= result.valid_auc <= 1.0
    tiny = TrainSettings(epochs=1, dim=8, hidden=8, dkt_dim=8, ensemble_seeds=2)
    stack, _, info = fit_ensemble(Trained(split, tiny, None), tiny)
    assert info["members"] == ["ours0", "ours1", "dkt"] and len(stack.weights) == 2
