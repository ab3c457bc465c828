"""Training and windowed evaluation of the PyTorch sequence models.

torch (the optional ``nanum[ml]`` extra) is imported inside the functions, marked
``# optional: torch``, so importing this module is cheap and works without it.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from .baselines import LogisticPFA, auc
from .data import Sequence, Split
from .features import N_DENSE, add_features
from .inference import save_artefact
from .windows import chunk, eval_windows, served_windows

if TYPE_CHECKING:
    from torch import nn

    from .torch_models import KTModel, RaschGRU


#: How DKT reads a question with several skills. "mean": one LSTM step, the mean of
#: the skills' (skill, answer) embeddings (the default); "sum": one step, their sum;
#: "expanded": one step per skill, as pyKT feeds DKT, each question predicted from
#: the state before its first skill's step. Single-skill datasets: all the same.
DKT_INPUTS = ("mean", "sum", "expanded")


@dataclass
class TrainSettings:
    epochs: int = 12
    batch_size: int = 64
    lr: float = 2e-3
    patience: int = 2
    question_l2: float = 1e-2
    dim: int = 64
    hidden: int = 64
    dropout: float = 0.2
    threads: int = 1
    seed: int = 0
    max_train_minutes: float = 30.0
    irt_head: bool = True  # ours: start the linear head from the fitted IRT/PFA
    freeze_head: bool = True  # keep all of it fixed (else only question biases)
    # The DKT baseline's own size, step and patience (None: as above). The evaluation
    # command sets the validated ones (``cli.DKT_DIM``, ``DKT_LR``,
    # ``DKT_PATIENCE``).
    dkt_dim: int | None = None
    dkt_lr: float | None = None
    dkt_patience: int | None = None
    dkt_dropout: float | None = None
    dkt_input: str = "mean"  # torch_models.DKT_INPUTS
    # The ensemble: our model from this many seeds (seed, seed + 1, ...) and DKT.
    ensemble_seeds: int = 3

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def for_model(self, kind: str) -> TrainSettings:
        """The settings ``kind`` trains with: DKT's own where they are set."""
        if kind != "dkt":
            return self
        return replace(
            self,
            dim=self.dkt_dim or self.dim,
            hidden=self.dkt_dim or self.hidden,
            lr=self.dkt_lr or self.lr,
            patience=self.dkt_patience or self.patience,
            dropout=self.dropout if self.dkt_dropout is None else self.dkt_dropout,
        )


@dataclass
class TrainResult:
    model: KTModel
    best_epoch: int
    valid_auc: float
    seconds: float
    history: list[float] = field(default_factory=list)


def progress(transient: bool = True) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=transient,
    )


def _device() -> Any:
    # optional: torch
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _batches(
    items: list[tuple[Sequence, int]], size: int, shuffle: bool, rng: random.Random
) -> list[list[tuple[Sequence, int]]]:
    """Length-bucketed batches (little padding); shuffled for training."""
    order = list(range(len(items)))
    if shuffle:
        rng.shuffle(order)
    group = size * 32
    batches = []
    for g in range(0, len(order), group):
        part = sorted(order[g : g + group], key=lambda i: len(items[i][0]))
        batches += [
            [items[i] for i in part[j : j + size]] for j in range(0, len(part), size)
        ]
    if shuffle:
        rng.shuffle(batches)
    return batches


def predict_windows(
    model: nn.Module,
    windows: list[tuple[Sequence, int]],
    batch_size: int = 256,
    label: str = "evaluate",
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and P(correct) of the scored positions of ``windows``."""
    # optional: torch
    import torch

    # optional: torch (torch_models imports it)
    from .torch_models import collate

    device = next(model.parameters()).device
    model.eval()
    ys, ps = [], []
    batches = _batches(windows, batch_size, False, random.Random(0))
    with torch.no_grad(), progress() as bar:
        task = bar.add_task(label, total=len(batches))
        for b in batches:
            t = collate(b, device)
            logit = model(t)
            m = t["mask"]
            ys.append(t["r"][m].cpu().numpy())
            ps.append(torch.sigmoid(logit[m]).cpu().numpy())
            bar.advance(task)
    return np.concatenate(ys), np.concatenate(ps)


def predict_sequences(
    model: nn.Module, seqs: list[Sequence]
) -> tuple[np.ndarray, np.ndarray]:
    """Protocol scoring: every interaction from up to 199 previous ones."""
    add_features(seqs)
    return predict_windows(model, eval_windows(seqs))


def predict_served(
    model: nn.Module, seqs: list[Sequence]
) -> tuple[np.ndarray, np.ndarray]:
    """Every interaction scored as the app serves it: the recurrent context restarts
    on the grid of :func:`~.windows.context_start` (the features still count the last
    199 answers). Same positions as :func:`predict_sequences`, in another order."""
    add_features(seqs)
    return predict_windows(model, served_windows(seqs), label="score as served")


def init_head_from_irt(
    model: RaschGRU,
    split: Split,
    freeze_all: bool = True,
    irt: LogisticPFA | None = None,
) -> None:
    """Copy a fitted :class:`LogisticPFA` into our model's linear head, frozen.

    The sequence part then learns a residual on top of the logistic model
    (question difficulty, per-skill success/failure counts, dense features).
    """
    # optional: torch
    import torch

    if irt is None:
        irt = LogisticPFA(split.n_questions, split.n_skills)
        irt.fit(split.train, split.valid)
    c = torch.as_tensor(irt.coef, dtype=torch.float32)
    nq, ns = split.n_questions, split.n_skills
    base = 1 + nq
    with torch.no_grad():
        model.q_bias.weight[:, 0] = c[1:base]
        model.skill_bias.weight[:, 0] = c[base : base + ns]
        model.skill_pfa.weight[:, 0] = c[base + ns : base + 2 * ns]
        model.skill_pfa.weight[:, 1] = c[base + 2 * ns : base + 3 * ns]
        model.dense_w.weight[0] = c[base + 3 * ns : base + 3 * ns + N_DENSE]
        model.fc2.bias[0] = c[0]
        model.fc2.weight.mul_(0.1)
    frozen: tuple[nn.Embedding | nn.Linear, ...] = (
        model.q_bias,
        model.skill_bias,
        model.skill_pfa,
        model.dense_w,
    )
    if not freeze_all:  # only the many, sparse question difficulties stay fixed
        frozen = (model.q_bias,)
    for mod in frozen:
        mod.weight.requires_grad_(False)


def train_model(
    kind: str, split: Split, settings: TrainSettings, irt: LogisticPFA | None = None
) -> TrainResult:
    """Train ``kind`` ("dkt" or "ours") with early stopping on the valid learners."""
    settings = settings.for_model(kind)
    # optional: torch
    import torch

    # optional: torch (torch_models imports it)
    from .torch_models import MODELS, ModelConfig, RaschGRU, collate

    torch.manual_seed(settings.seed)
    torch.set_num_threads(max(1, settings.threads))
    rng = random.Random(settings.seed)
    device = _device()
    add_features(split.train + split.valid + split.test)
    cfg = ModelConfig(
        split.n_questions,
        split.n_skills,
        settings.dim,
        settings.hidden,
        settings.dropout,
        settings.dkt_input,
    )
    model = MODELS[kind](cfg)
    if isinstance(model, RaschGRU) and settings.irt_head:
        init_head_from_irt(model, split, settings.freeze_head, irt)
    model = model.to(device)
    q_params = model.question_params() if isinstance(model, RaschGRU) else []
    q_ids = {id(p) for p in q_params}
    rest = [p for p in model.parameters() if id(p) not in q_ids and p.requires_grad]
    q_params = [p for p in q_params if p.requires_grad]
    groups = [{"params": rest, "weight_decay": 0.0}]
    if q_params:
        groups.append({"params": q_params, "weight_decay": 0.0})
    opt = torch.optim.Adam(groups, lr=settings.lr)
    train_items = [(s, 1) for s in chunk(split.train)]
    valid_items = [(s, 1) for s in chunk(split.valid)]
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
    best, best_state, best_epoch, bad = -1.0, None, 0, 0
    history: list[float] = []
    start = time.perf_counter()
    for epoch in range(1, settings.epochs + 1):
        model.train()
        batches = _batches(train_items, settings.batch_size, True, rng)
        with progress() as bar:
            task = bar.add_task(
                f"{kind} {split.dataset} f{split.fold} e{epoch}", total=len(batches)
            )
            for b in batches:
                t = collate(b, device)
                m = t["mask"]
                logit = model(t)
                loss = loss_fn(logit[m], t["r"][m].float()) / m.sum().clamp(min=1)
                for qp in q_params:  # L2 on the (many, sparse) question params
                    loss = loss + settings.question_l2 * qp.pow(2).sum() / len(b)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opt.step()
                bar.advance(task)
        y, p = predict_windows(model, valid_items, label="validate")
        score = auc(y, p)
        history.append(score)
        bar.console.print(
            f"{kind} {split.dataset} fold {split.fold} epoch {epoch}: "
            f"valid AUC {score:.4f} "
            f"({time.perf_counter() - start:.0f} s)"
        )
        if score > best:
            best, best_epoch, bad = score, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
        elapsed = (time.perf_counter() - start) / 60
        if bad >= settings.patience or elapsed > settings.max_train_minutes:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return TrainResult(model, best_epoch, best, time.perf_counter() - start, history)


def export_artefact(
    result: TrainResult,
    split: Split,
    settings: TrainSettings,
    path: str | Path,
    metrics: dict[str, float],
) -> Path:
    """Save our trained model as a NumPy artefact (see :mod:`.inference`)."""
    # optional: torch (torch_models imports it)
    from .torch_models import export_weights

    meta = {
        "model": "ours",
        "dataset": split.dataset,
        "fold": split.fold,
        "data_sha256": split.data_hash,
        "data_notes": split.notes,
        "settings": settings.to_dict(),
        "config": result.model.cfg.to_dict(),
        "metrics": {
            **metrics,
            "valid_auc": result.valid_auc,
            "best_epoch": result.best_epoch,
            "train_seconds": round(result.seconds, 1),
        },
    }
    return save_artefact(path, export_weights(result.model), meta)
