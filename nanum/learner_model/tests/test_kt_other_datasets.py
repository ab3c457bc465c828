"""Any dataset in pyKT's or AKT's layout can be evaluated (``FORMAT:DIR``), so the
model can be checked on data the team never tuned on. NumPy only, no torch."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nanum.learner_model.kt import cli
from nanum.learner_model.kt.data import (
    DataError,
    dataset_slug,
    load_split,
    split_dataset_arg,
)
from nanum.learner_model.kt.synthetic import generate, write_akt_file

# pyKT's preprocessing (split_datasets.extend_multi_concepts) writes a question with
# several concepts as one row per concept, the same question id and answer, and
# is_repeat = 1 on every row after the first. Ids are 0-based.
HEADER = ["fold", "uid", "questions", "concepts", "responses", "is_repeat"]


def _row(fold: int, uid: str, items: list[tuple[int, list[int], int]]) -> list[str]:
    q, c, r, rep = [], [], [], []
    for question, concepts, answer in items:
        for i, concept in enumerate(concepts):
            q.append(question)
            c.append(concept)
            r.append(answer)
            rep.append(int(i > 0))
    return [str(fold), uid, *(",".join(map(str, x)) for x in (q, c, r, rep))]


def _learner(rng: np.random.Generator, n: int) -> list[tuple[int, list[int], int]]:
    items = []
    for _ in range(n):
        q = int(rng.integers(0, 30))
        concepts = [q % 5] if q % 3 else [q % 5, 5 + q % 2]  # a third: two concepts
        items.append((q, concepts, int(rng.random() < 0.6)))
    return items


def _write_pykt(folder: Path, learners: int = 40) -> dict[str, list]:
    rng = np.random.default_rng(7)
    folder.mkdir(parents=True, exist_ok=True)
    seqs = {f"u{i}": _learner(rng, int(rng.integers(4, 30))) for i in range(learners)}
    uids = list(seqs)
    with (folder / "train_valid.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i, uid in enumerate(uids[: learners * 3 // 4]):
            w.writerow(_row(i % 5, uid, seqs[uid]))
    with (folder / "test.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for uid in uids[learners * 3 // 4 :]:
            w.writerow(_row(-1, uid, seqs[uid]))
    return seqs


def test_pykt_folder_merges_repeated_rows_into_one_interaction(tmp_path: Path) -> None:
    seqs = _write_pykt(tmp_path / "other")
    split = load_split(f"pykt:{tmp_path / 'other'}", 2)
    assert split.dataset == f"pykt:{tmp_path / 'other'}"
    by_uid = {s.uid: s for s in split.train + split.valid + split.test}
    assert set(by_uid) == set(seqs)
    for uid, items in seqs.items():
        got = by_uid[uid]
        # one interaction per question answered, not one per concept row
        assert len(got) == len(items)
        np.testing.assert_array_equal(got.questions, [q + 1 for q, _, _ in items])
        np.testing.assert_array_equal(got.responses, [r for _, _, r in items])
        for row, (_, concepts, _) in zip(got.skills, items, strict=True):
            assert [int(s) for s in row if s] == [c + 1 for c in concepts]
    assert split.n_skills == 8 and split.n_questions == 31  # with index 0
    assert {s.uid for s in split.valid} == {
        f"u{i}" for i in range(30) if i % 5 == 2
    }  # the file's fold 2, on the training side
    assert not {s.uid for s in split.test} & {s.uid for s in split.train + split.valid}
    assert any("merged" in n for n in split.notes)


def test_pykt_question_level_cells_and_bad_rows(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    rows = [
        ["fold", "uid", "questions", "concepts", "responses"],
        ["0", "a", "0,1,0", "3_4,2,3_4", "1,0,0"],
        ["1", "b", "1,1,2", "2,2,0", "1,1,0"],
    ]
    for name in ("train_valid.csv", "test.csv"):
        with (folder / name).open("w", newline="") as fh:
            csv.writer(fh).writerows(rows)
    split = load_split(f"pykt:{folder}", 0)
    a = split.valid[0]
    np.testing.assert_array_equal(a.skills, [[4, 5], [3, 0], [4, 5]])
    np.testing.assert_array_equal(a.questions, [1, 2, 1])
    b = split.train[0]
    assert len(b) == 3  # no is_repeat column: a question answered twice stays twice

    bad = ["fold", "uid", "questions", "concepts", "responses", "is_repeat"]
    with (folder / "train_valid.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows([bad, ["0", "c", "4,4,5", "1,2,1", "1,0,1", "0,1,0"]])
    with pytest.raises(ValueError, match="repeated row differs"):
        load_split(f"pykt:{folder}", 0)
    with (folder / "train_valid.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows([bad, ["0", "c", "4,5", "1,2,1", "1,0,1", "0,0,0"]])
    with pytest.raises(ValueError, match="different lengths"):
        load_split(f"pykt:{folder}", 0)


def test_akt_folders_find_their_prefix_and_carve_by_folder_name(
    tmp_path: Path,
) -> None:
    data = generate(n_learners=20, n_skills=4, n_items=9, min_len=4, max_len=12)
    folder = tmp_path / "a" / "mydata"
    folder.mkdir(parents=True)
    for fold in range(1, 6):
        for part, idx in (("train", range(0, 12)), ("valid", range(12, 15))):
            write_akt_file(
                folder / f"mine_{part}{fold}.csv",
                [data.sequences[i] for i in idx],
                with_questions=True,
            )
        write_akt_file(
            folder / f"mine_test{fold}.csv",
            data.sequences[15:],
            with_questions=True,
        )
    split = load_split(f"akt_pid:{folder}", 3)
    assert (len(split.train), len(split.valid)) == (12, 3)
    test_uids = {s.uid for s in data.sequences[15:]}
    assert 4 <= len(split.test) and {s.uid for s in split.test} <= test_uids
    assert split.n_questions > 1  # question ids read
    # the same files elsewhere: the same validation learners (seeded by the name)
    other = tmp_path / "b" / "mydata"
    shutil.copytree(folder, other)
    again = load_split(f"akt_pid:{other}", 3)
    assert [s.uid for s in again.valid] == [s.uid for s in split.valid]
    assert dataset_slug(f"akt_pid:{other}") == "akt_pid_mydata"
    three = tmp_path / "three"
    three.mkdir()
    for part in ("train", "valid", "test"):
        write_akt_file(three / f"x_{part}1.csv", data.sequences[:6], False)
    assert len(load_split(f"akt:{three}", 0).test) == 6
    (three / "y_train1.csv").write_text("")
    with pytest.raises(ValueError, match="found prefixes"):
        load_split(f"akt:{three}", 0)
    (three / "y_train1.csv").unlink()
    with pytest.raises(ValueError, match=r"no x_train2\.csv"):
        load_split(f"akt:{three}", 1)


@pytest.mark.parametrize(
    "arg, reason",
    [
        ("assist2017", "unknown dataset"),
        ("csv:/tmp", "unknown dataset"),
        ("pykt:", "unknown dataset"),
        ("pykt:/no/such/folder", "is not a folder"),
    ],
)
def test_a_wrong_dataset_is_refused_with_the_reason(
    arg: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match=reason):
        split_dataset_arg(arg)
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluate", "--dataset", arg])
    assert exc.value.code == 2
    assert reason in capsys.readouterr().err


def test_evaluate_runs_on_a_pykt_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_pykt(tmp_path / "other", learners=60)
    out = tmp_path / "out.json"
    code = cli.main(
        [
            "evaluate",
            "--dataset",
            f"pykt:{tmp_path / 'other'}",
            "--folds",
            "0,1",
            "--models",
            "irt,skillmean",
            "--json-out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "merged" in printed and "irt" in printed
    summary = json.loads(out.read_text())["summary"]
    assert {row["model"] for row in summary} == {"irt", "skillmean"}
    assert all(row["published_best"] == "-" for row in summary)


def _write(
    folder: Path, rows: list[list[str]], test: list[list[str]] | None = None
) -> None:
    folder.mkdir(exist_ok=True)
    for name, content in (("train_valid.csv", rows), ("test.csv", test or rows)):
        with (folder / name).open("w", newline="") as fh:
            csv.writer(fh).writerows(content)


def test_a_question_only_pykt_file_makes_each_question_its_own_skill(
    tmp_path: Path,
) -> None:
    rows = [
        ["fold", "uid", "questions", "responses"],
        ["0", "a", "4,0,4,9", "1,0,1,1"],
        ["1", "b", "1,2,3", "1,0,1"],
    ]
    _write(tmp_path / "q", rows)
    a = load_split(f"pykt:{tmp_path / 'q'}", 0).valid[0]
    np.testing.assert_array_equal(a.questions, [5, 1, 5, 10])
    np.testing.assert_array_equal(a.skills[:, 0], [5, 1, 5, 10])


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["fold", "uid", "responses"], ["0", "a", "1,0,1"]], "needs the columns"),
        ([["fold", "uid", "concepts"], ["0", "a", "1,0,1"]], "needs the columns"),
        (
            [["fold", "uid", "concepts", "responses"], ["0", "a", "1,NA,2", "1,0,1"]],
            r"train_valid\.csv, line 2: invalid literal",
        ),
        (
            [["fold", "uid", "concepts", "responses"], ["x", "a", "1,2,2", "1,0,1"]],
            r"line 2: invalid literal",
        ),
        (
            [["fold", "uid", "concepts", "responses"], ["0", "a", "1,2,2", "1,0,2"]],
            "line 2: learner a: responses must be 0/1",
        ),
    ],
)
def test_a_bad_pykt_file_names_the_file_and_line(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    _write(tmp_path / "bad", rows, [["fold", "uid", "concepts", "responses"]])
    with pytest.raises(DataError, match=message):
        load_split(f"pykt:{tmp_path / 'bad'}", 0)
    # the command line prints the reason and stops, without a traceback
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluate", "--dataset", f"pykt:{tmp_path / 'bad'}"])
    assert str(exc.value).startswith("error: ") and "bad" in str(exc.value)


def test_a_bad_akt_file_names_the_file_and_learner(tmp_path: Path) -> None:
    folder = tmp_path / "akt"
    folder.mkdir()
    for part in ("train", "valid", "test"):
        (folder / f"d_{part}1.csv").write_text("5\n1,2,3,1,2\n1,0,1,1,0\n" * 2)
    (folder / "d_test1.csv").write_text("5\n1,2,3,1,2\n1,0,1,1,0\n3\n1,2\n1,0,1\n")
    with pytest.raises(
        DataError, match=r"d_test1\.csv, learner 2: .*different lengths"
    ):
        load_split(f"akt:{folder}", 0)


def test_a_split_without_test_learners_is_refused(tmp_path: Path) -> None:
    header = ["fold", "uid", "concepts", "responses"]
    rows = [header, ["0", "a", "1,2,2", "1,0,1"], ["1", "b", "1,2,2", "1,0,1"]]
    _write(tmp_path / "p", rows, [header])
    with pytest.raises(DataError, match=r"test\.csv: no test learner with 3 or more"):
        load_split(f"pykt:{tmp_path / 'p'}", 0)
    folder = tmp_path / "akt"
    folder.mkdir()
    for part in ("train", "valid"):
        (folder / f"d_{part}1.csv").write_text("3\n1,2,3\n1,0,1\n")
    (folder / "d_test1.csv").write_text("2\n1,2\n1,0\n")  # too short: dropped
    with pytest.raises(DataError, match="no test learner"):
        load_split(f"akt:{folder}", 0)
