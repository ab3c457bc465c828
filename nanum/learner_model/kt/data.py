"""Loaders for the public knowledge-tracing datasets (pyKT protocol).

The data is read in place from the shared folder (``NANUM_KT_DATA`` or
``<repo>/../shared/data/kt``); nothing is copied into the project.

Every learner becomes a :class:`Sequence` of interactions.  Indices are 1-based;
0 means "unknown / padding" (a question index of 0 is used for datasets
without question ids).

Besides the three named datasets, any dataset in pyKT's or the AKT paper's file
layout can be read from a folder: ``pykt:DIR``, ``akt:DIR`` (three lines per learner)
or ``akt_pid:DIR`` (four, with question ids); see :func:`load_split`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATASETS = ("assist2015", "assist2009", "statics2011", "synthetic")
#: ``FORMAT:DIR`` reads another dataset from a folder in that layout.
FORMATS = ("pykt", "akt", "akt_pid")
MIN_INTERACTIONS = 3
MAX_LEN = 200  # training chunks and evaluation windows (199 previous + target)


@dataclass
class Sequence:
    """One learner's interactions, in time order."""

    uid: str
    questions: np.ndarray  # (L,) int, 0 = no question id
    skills: np.ndarray  # (L, K) int, 1-based, 0 = padding
    responses: np.ndarray  # (L,) int8 0/1
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # per-position arrays

    def __len__(self) -> int:
        return len(self.responses)

    def slice(self, start: int, stop: int) -> Sequence:
        return Sequence(
            self.uid,
            self.questions[start:stop],
            self.skills[start:stop],
            self.responses[start:stop],
            {k: v[start:stop] for k, v in self.extra.items()},
        )


@dataclass
class Split:
    """Train / validation / test learners of one fold."""

    dataset: str
    fold: int
    train: list[Sequence]
    valid: list[Sequence]
    test: list[Sequence]
    n_questions: int  # size of the question vocabulary incl. index 0
    n_skills: int  # size of the skill vocabulary incl. index 0
    data_hash: str
    notes: list[str] = field(default_factory=list)


class DataError(ValueError):
    """A dataset argument, folder or file that cannot be read as said (the message
    names the file, learner or line); the command line prints it and stops."""


def data_root() -> Path:
    """Folder of the shared KT data (``NANUM_KT_DATA`` or ``../shared/data/kt``)."""
    env = os.environ.get("NANUM_KT_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "data" / "kt"


def sha256_files(paths: Iterable[Path]) -> str:
    """One sha256 over the names and bytes of ``paths`` (sorted)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _tokens(text: str) -> list[str]:
    return [x.strip() for x in text.strip().strip('"').split(",") if x.strip() != ""]


def _ints(text: str) -> list[int]:
    return [int(x) for x in _tokens(text)]


def make_sequence(
    uid: str,
    questions: list[int] | None,
    skills: list[int],
    responses: list[int],
) -> Sequence:
    n = len(skills)
    if len(responses) != n or (questions is not None and len(questions) != n):
        raise DataError(f"learner {uid}: sequences of different lengths")
    q = np.asarray(questions if questions is not None else [0] * n, dtype=np.int64)
    s = np.asarray(skills, dtype=np.int64).reshape(n, 1)
    r = np.asarray(responses, dtype=np.int8)
    if not np.isin(r, (0, 1)).all():
        raise DataError(f"learner {uid}: responses must be 0/1")
    return Sequence(uid, q, s, r)


def merge_multiskill(seq: Sequence, starts: np.ndarray | None = None) -> Sequence:
    """Merge consecutive rows with the same question and answer into one row.

    ASSIST2009 lists a question tagged with several skills as consecutive rows
    with the same question id and the same response; scoring them one by one
    leaks the label.  The merged interaction keeps all its skills. ``starts``
    (optional) marks the first row of each interaction where the file says so
    (pyKT's ``is_repeat``); otherwise a new question or answer starts one.
    """
    n = len(seq)
    if n == 0:
        return seq
    q, r = seq.questions, seq.responses
    if starts is None:
        starts = np.ones(n, dtype=bool)
        starts[1:] = (q[1:] != q[:-1]) | (r[1:] != r[:-1]) | (q[1:] == 0)
    group = np.cumsum(starts) - 1
    n_groups = int(group[-1]) + 1
    rows: list[list[int]] = [[] for _ in range(n_groups)]
    for g, row in zip(group.tolist(), seq.skills.tolist(), strict=True):
        for s in row:
            if s and s not in rows[g]:
                rows[g].append(s)
    width = max(1, max(len(x) for x in rows))
    skills = np.zeros((n_groups, width), dtype=np.int64)
    for i, row in enumerate(rows):
        skills[i, : len(row)] = row
    idx = np.flatnonzero(starts)
    return Sequence(seq.uid, q[idx], skills, r[idx])


def _pykt_row(row: dict[str, str]) -> Sequence:
    """One learner of a pyKT file, ids shifted to 1-based.

    ``questions`` (optional) and ``concepts`` are 0-based; a concept cell may hold
    several concepts joined by ``_`` (pyKT's question-level files). Rows marked
    ``is_repeat`` = 1 (pyKT's expansion of a question with several concepts into one
    row per concept, same answer) are merged into the row before: scoring them one
    by one would show the model the answer it predicts.
    """
    uid = row["uid"]
    # no concepts (a question-only dataset): each question is its own skill
    cells = _tokens(row["concepts"] if "concepts" in row else row["questions"])
    responses = _ints(row["responses"])
    has_q = bool(row.get("questions"))
    questions = [q + 1 for q in _ints(row["questions"])] if has_q else [0] * len(cells)
    repeat = _ints(row["is_repeat"]) if row.get("is_repeat") else [0] * len(cells)
    if not len(cells) == len(responses) == len(questions) == len(repeat):
        raise DataError(f"learner {uid}: sequences of different lengths")
    skills: list[int] = []
    qs, rs, starts = [], [], []  # a "_" cell becomes rows as pyKT expands them
    for cell, q, r, rep in zip(cells, questions, responses, repeat, strict=True):
        for i, c in enumerate(x for x in cell.split("_") if x != ""):
            skills.append(int(c) + 1)
            qs.append(q)
            rs.append(r)
            starts.append(i == 0 and rep != 1)
    seq = make_sequence(uid, qs, skills, rs)
    if len(seq) and (seq.skills.min() < 1 or seq.questions.min() < 0):
        raise DataError(f"learner {uid}: ids must be 0 or more")
    first = np.asarray(starts, dtype=bool)
    if first.all():
        return seq
    first[0] = True
    head = np.flatnonzero(first)[np.cumsum(first) - 1]  # each row's first row
    if (seq.questions != seq.questions[head]).any() or (
        seq.responses != seq.responses[head]
    ).any():
        raise DataError(
            f"learner {uid}: a repeated row differs from its question's row"
        )
    return merge_multiskill(seq, first)


def read_pykt_csv(path: Path) -> Iterator[tuple[int, Sequence]]:
    """Rows of a pyKT ``fold,uid,[questions,]concepts,responses[,...]`` file (a
    question-only file, without ``concepts``, makes each question its own skill)."""
    with Path(path).open(newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or ())
        if not {"fold", "uid", "responses"} <= columns or not columns & {
            "concepts",
            "questions",
        }:
            raise DataError(
                f"{path}: a pyKT file needs the columns fold, uid, responses and "
                f"concepts or questions; found {sorted(columns)}"
            )
        for row in reader:
            try:
                yield int(row["fold"]), _pykt_row(row)
            except (ValueError, TypeError, AttributeError) as exc:
                raise DataError(f"{path}, line {reader.line_num}: {exc}") from exc


def read_akt_file(path: Path, with_questions: bool) -> list[Sequence]:
    """AKT per-learner blocks: header, [question ids], skill ids, responses."""
    lines = [ln.strip() for ln in Path(path).read_text().splitlines()]
    lines = [ln for ln in lines if ln != ""]
    block = 4 if with_questions else 3
    if len(lines) % block:
        raise DataError(f"{path}: {len(lines)} lines is not a multiple of {block}")
    out: list[Sequence] = []
    for i in range(0, len(lines), block):
        header = lines[i].split(",")
        uid = header[-1] if len(header) > 1 else f"{Path(path).stem}:{i // block}"
        try:
            if with_questions:
                q, s, r = _ints(lines[i + 1]), _ints(lines[i + 2]), _ints(lines[i + 3])
            else:
                q, s, r = None, _ints(lines[i + 1]), _ints(lines[i + 2])
            out.append(make_sequence(uid, q, s, r))
        except ValueError as exc:  # blank lines skipped: the block's index, not a line
            raise DataError(f"{path}, learner {i // block + 1}: {exc}") from exc
    return out


def _keep(seqs: Iterable[Sequence]) -> list[Sequence]:
    return [s for s in seqs if len(s) >= MIN_INTERACTIONS]


def _check_parts(parts: list[list[Sequence]], paths: list[Path]) -> None:
    """Train, validation and test each need a learner with enough answers."""
    for name, part, path in zip(
        ("train", "validation", "test"), parts, paths, strict=True
    ):
        if not part:
            raise DataError(
                f"{path}: no {name} learner with {MIN_INTERACTIONS} or more answers"
            )


def _vocab(seqs: list[Sequence]) -> tuple[int, int]:
    nq = max((int(s.questions.max()) for s in seqs if len(s)), default=0) + 1
    ns = max((int(s.skills.max()) for s in seqs if len(s)), default=0) + 1
    return nq, ns


def load_pykt(folder: Path, fold: int, dataset: str) -> Split:
    """pyKT split: ``train_valid.csv`` folds 0-4 and ``test.csv``.

    Question and concept ids in pyKT files are 0-based; they are shifted to 1-based
    here (see :func:`read_pykt_csv`). Validation is the file's fold ``fold``, which
    is on the training side of pyKT's split (its test learners are ``test.csv``).
    """
    folder = Path(folder)
    tv, test = folder / "train_valid.csv", folder / "test.csv"
    for path in (tv, test):
        if not path.is_file():
            raise DataError(f"{folder}: no {path.name} (pyKT layout)")
    train: list[Sequence] = []
    valid: list[Sequence] = []
    for f, seq in read_pykt_csv(tv):
        (valid if f == fold else train).append(seq)
    if not valid:
        raise DataError(f"{tv}: no learner in fold {fold}")
    tests = [seq for _, seq in read_pykt_csv(test)]
    parts = [_keep(train), _keep(valid), _keep(tests)]
    _check_parts(parts, [tv, tv, test])
    nq, ns = _vocab(parts[0] + parts[1] + parts[2])
    train_p, valid_p, test_p = parts
    notes = []
    if nq > 1:
        notes.append(f"question ids read ({nq - 1} questions)")
    multi = sum(int((s.skills[:, 1:] > 0).any(1).sum()) for p in parts for s in p)
    if multi:
        notes.append(
            f"{multi} interactions with several concepts (one row each; pyKT's "
            "repeated rows merged: label leak avoided)"
        )
    return Split(
        dataset,
        fold,
        train_p,
        valid_p,
        test_p,
        nq,
        ns,
        sha256_files([tv, test]),
        notes,
    )


def akt_prefix(folder: Path) -> str:
    """The ``<prefix>`` of the AKT fold files in ``folder`` (exactly one)."""
    found = sorted({p.name[: -len("_train1.csv")] for p in folder.glob("*_train1.csv")})
    if len(found) != 1:
        raise DataError(
            f"{folder}: expected the files of one dataset, <prefix>_train1.csv … "
            f"<prefix>_test5.csv (AKT layout); found prefixes {found or 'none'}"
        )
    return found[0]


def load_akt(
    folder: Path,
    prefix: str,
    fold: int,
    dataset: str,
    with_questions: bool,
    carve_key: str | None = None,
) -> Split:
    """AKT 5-fold files ``<prefix>_{train,valid,test}{fold+1}.csv``."""
    folder = Path(folder)
    paths = [
        folder / f"{prefix}_{part}{fold + 1}.csv" for part in ("train", "valid", "test")
    ]
    for path in paths:
        if not path.is_file():
            raise DataError(f"{folder}: no {path.name} (AKT layout)")
    parts = [_keep(read_akt_file(p, with_questions)) for p in paths]
    notes: list[str] = []
    if with_questions:
        before = sum(len(s) for p in parts for s in p)
        parts = [_keep(merge_multiskill(s) for s in p) for p in parts]
        after = sum(len(s) for p in parts for s in p)
        notes.append(
            f"multi-skill rows merged per question (label leak avoided): "
            f"{before} rows -> {after} interactions"
        )
    nq, ns = _vocab(parts[0] + parts[1] + parts[2])
    train_p, valid_p = carve_validation(parts[0] + parts[1], carve_key or dataset, fold)
    _check_parts([train_p, valid_p, parts[2]], [paths[0], paths[0], paths[2]])
    notes.append(
        f"validation = {len(valid_p)} of the fold's {len(train_p) + len(valid_p)} "
        "training learners (train + valid files, seeded); the AKT valid file is "
        "never used for choices: it equals the next fold's test file"
    )
    return Split(
        dataset, fold, train_p, valid_p, parts[2], nq, ns, sha256_files(paths), notes
    )


VALID_SHARE = 0.2


def carve_validation(
    pool: list[Sequence], dataset: str, fold: int
) -> tuple[list[Sequence], list[Sequence]]:
    """Split a fold's training learners into (train, validation), seeded by the
    dataset and fold, keeping file order. Every choice (epochs, L2, settings) is made
    on this validation part; the test learners are read only to score."""
    n_valid = max(1, round(VALID_SHARE * len(pool))) if len(pool) > 1 else 0
    chosen = set(random.Random(f"{dataset}/{fold}").sample(range(len(pool)), n_valid))
    train = [s for i, s in enumerate(pool) if i not in chosen]
    valid = [s for i, s in enumerate(pool) if i in chosen]
    return train, valid


def split_dataset_arg(dataset: str) -> tuple[str, Path] | None:
    """``FORMAT:DIR`` as (format, folder); ``None`` for a named dataset.

    Raises :class:`DataError` with the reason when it is neither."""
    if dataset in DATASETS:
        return None
    fmt, sep, rest = dataset.partition(":")
    if not sep or fmt not in FORMATS or not rest:
        raise DataError(
            f"unknown dataset {dataset!r}: name one of {', '.join(DATASETS)}, or "
            f"give a folder as FORMAT:DIR with FORMAT one of {', '.join(FORMATS)}"
        )
    folder = Path(rest).expanduser()
    if not folder.is_dir():
        raise DataError(f"{dataset!r}: {folder} is not a folder")
    return fmt, folder


def dataset_slug(dataset: str) -> str:
    """A file-name part for ``dataset``: the name, or FORMAT_FOLDERNAME."""
    named = split_dataset_arg(dataset)
    return dataset if named is None else f"{named[0]}_{named[1].resolve().name}"


def load_split(dataset: str, fold: int, root: Path | None = None) -> Split:
    """Load fold ``fold`` (0-4) of ``dataset`` following the pyKT protocol.

    ``dataset`` is a name of :data:`DATASETS` (read under ``root``) or
    ``FORMAT:DIR`` for any other dataset in one of the :data:`FORMATS` layouts:
    ``pykt`` (``train_valid.csv`` with folds 0–4 and ``test.csv``, as pyKT's
    preprocessing writes them), ``akt`` (``<prefix>_{train,valid,test}{1-5}.csv``,
    three lines per learner) or ``akt_pid`` (four lines, with question ids;
    consecutive rows of one question and answer are merged). The validation
    learners are then carved as for the named datasets, seeded by the format and
    the folder's name (not its path).
    """
    named = split_dataset_arg(dataset)
    if named is not None:
        fmt, folder = named
        key = f"{fmt}:{folder.resolve().name}"
        if fmt == "pykt":
            return load_pykt(folder, fold, dataset)
        return load_akt(
            folder,
            akt_prefix(folder),
            fold,
            dataset,
            with_questions=fmt == "akt_pid",
            carve_key=key,
        )
    root = Path(root) if root is not None else data_root()
    if dataset == "assist2015":
        return load_pykt(root / "assist2015" / "pykt", fold, dataset)
    if dataset == "assist2009":
        return load_akt(
            root / "assist2009" / "akt_pid",
            "assist2009_pid",
            fold,
            dataset,
            with_questions=True,
        )
    if dataset == "statics2011":
        return load_akt(
            root / "statics2011" / "akt", "statics", fold, dataset, with_questions=False
        )
    if dataset == "synthetic":
        # cycle: synthetic builds its Split from this module's Sequence and Split
        from .synthetic import synthetic_split

        return synthetic_split(fold)
    raise DataError(f"unknown dataset {dataset!r}; choose from {DATASETS}")
