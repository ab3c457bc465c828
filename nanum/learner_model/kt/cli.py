"""Command line for training and evaluation, shared by the Django command.

``python -m nanum.learner_model.kt evaluate --dataset assist2015`` works
without Django; ``manage.py learner_model ...`` uses the same code.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from rich.console import Console

from .baselines import accuracy, auc
from .data import (
    DATASETS,
    FORMATS,
    DataError,
    dataset_slug,
    load_split,
    split_dataset_arg,
)
from .evaluate import (
    MODEL_NAMES,
    evaluate,
    reliability_curves,
    reliability_report,
    summary_rows,
    summary_table,
    tiny_split,
)
from .train import (
    DKT_INPUTS,
    TrainSettings,
    export_artefact,
    predict_sequences,
    train_model,
)


def _dataset(text: str) -> str:
    try:
        split_dataset_arg(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("train", "evaluate"):
        p = sub.add_parser(name, help=f"{name} on a dataset")
        p.add_argument(
            "--dataset",
            required=True,
            type=_dataset,
            metavar="NAME|FORMAT:DIR",
            help=f"one of {', '.join(DATASETS)}; or another dataset's folder as "
            f"FORMAT:DIR, FORMAT one of {', '.join(FORMATS)}",
        )
        p.add_argument(
            "--data-root",
            type=Path,
            default=None,
            help="KT data folder (default: $NANUM_KT_DATA or <repo>/../shared/data/kt)",
        )
        p.add_argument("--epochs", type=int, default=None)
        p.add_argument("--threads", type=int, default=1)
        p.add_argument("--lr", type=float, default=None)
        p.add_argument("--patience", type=int, default=None)
        p.add_argument(
            "--seed",
            type=int,
            default=None,
            help="seed of the networks' initialisation and batch order (default 0)",
        )
        p.add_argument(
            "--dim",
            type=int,
            default=None,
            help="embedding and hidden size of our model (DKT: --dkt-dim)",
        )
        p.add_argument("--dkt-dim", type=int, default=None, help="DKT's size")
        p.add_argument("--dkt-lr", type=float, default=None, help="DKT's step")
        p.add_argument("--dkt-patience", type=int, default=None)
        p.add_argument("--dkt-dropout", type=float, default=None)
        p.add_argument(
            "--dkt-input",
            choices=DKT_INPUTS,
            default=None,
            help="how DKT reads a question with several skills (default mean)",
        )
        p.add_argument(
            "--ensemble-seeds",
            type=int,
            default=None,
            help="seeds of our model in the ensemble (default 3; DKT is the other member)",
        )
        p.add_argument(
            "--tiny",
            action="store_true",
            help="small subset of learners, 2 epochs (quick check)",
        )
        if name == "train":
            p.add_argument("--fold", type=int, default=0)
            p.add_argument(
                "--out",
                type=Path,
                default=None,
                help="artefact path (.npz); default artifacts/learner_model/",
            )
        else:
            p.add_argument("--folds", default="0,1,2,3,4")
            p.add_argument("--models", default=",".join(MODEL_NAMES))
            p.add_argument(
                "--log",
                type=Path,
                default=None,
                help="append one JSON line per fold and model",
            )
            p.add_argument("--json-out", type=Path, default=None)
            p.add_argument(
                "--reliability-svg",
                type=Path,
                default=None,
                help="write the reliability plot (SVG) of the test predictions",
            )
            p.add_argument(
                "--export-dir",
                type=Path,
                default=None,
                help="also save our model of each fold as an artefact",
            )


#: The DKT baseline's size, learning rate and patience, chosen on the validation
#: learners (carved from the training side) of fold 0 of each dataset: 200 units at
#: 1e-3 validated best of 64 at 2e-3, 128 at 1e-3 and 256 at 5e-4 (ASSIST2015), of
#: 128 at 1e-3 (ASSIST2009) and of 64 and 200 at 4e-3 (Statics2011); see
#: docs/learner_model.md, "DKT at its published strength". ``--dkt-dim``,
#: ``--dkt-lr`` and ``--dkt-patience`` change them; ``--dim``, ``--lr`` and
#: ``--patience`` are our model's.
DKT_DIM, DKT_LR, DKT_PATIENCE = 200, 1e-3, 3


def _settings(args: argparse.Namespace) -> TrainSettings:
    s = TrainSettings(
        threads=args.threads, dkt_dim=DKT_DIM, dkt_lr=DKT_LR, dkt_patience=DKT_PATIENCE
    )
    if args.tiny:
        s.epochs, s.dim, s.hidden, s.dkt_dim, s.ensemble_seeds = 2, 16, 16, 16, 2
    for name in (
        "epochs",
        "lr",
        "patience",
        "seed",
        "dkt_dim",
        "dkt_lr",
        "dkt_patience",
        "dkt_dropout",
        "dkt_input",
        "ensemble_seeds",
    ):
        if getattr(args, name, None) is not None:
            setattr(s, name, getattr(args, name))
    if getattr(args, "dim", None) is not None:
        s.dim = s.hidden = args.dim
    return s


def run(args: argparse.Namespace, console: Console | None = None) -> int:
    try:
        return _run(args, console)
    except DataError as exc:  # a file that is not what the arguments say: no traceback
        raise SystemExit(f"error: {exc}") from exc


def _run(args: argparse.Namespace, console: Console | None = None) -> int:
    console = console or Console(width=None if os.isatty(1) else 160)
    settings = _settings(args)
    if args.action == "evaluate":
        folds = [int(f) for f in str(args.folds).split(",") if f.strip()]
        models = [m.strip() for m in str(args.models).split(",") if m.strip()]
        for m in models:
            if m not in MODEL_NAMES:
                raise SystemExit(f"unknown model {m!r}; choose from {MODEL_NAMES}")
        start = time.perf_counter()
        results, notes = evaluate(
            args.dataset,
            folds,
            models,
            settings,
            args.tiny,
            args.data_root,
            args.export_dir,
            args.log,
            on_result=lambda r: console.print(
                f"{r.dataset} fold {r.fold} {r.model}: AUC {r.auc:.4f} "
                f"acc {r.accuracy:.4f} ECE {r.ece:.4f} ({r.n_scored} scored, "
                f"train {r.train_seconds:.1f} s) "
                f"{ {k: v for k, v in r.info.items() if k != 'reliability'} or '' }"
            ),
        )
        for note in notes:
            console.print(f"[yellow]note:[/yellow] {note}")
        console.print(summary_table(results, f"{args.dataset}: test scores"))
        for model, bins in reliability_curves(results, args.dataset).items():
            console.print(
                f"reliability {model} (predicted -> observed, count): "
                + ", ".join(f"{p:.3f}->{o:.3f} ({n})" for p, o, n in bins)
            )
        if args.reliability_svg:
            args.reliability_svg.parent.mkdir(parents=True, exist_ok=True)
            args.reliability_svg.write_text(reliability_report(results, args.dataset))
            console.print(f"reliability plot: {args.reliability_svg}")
        console.print(f"settings: {settings.to_dict()}")
        console.print(
            f"wall time {time.perf_counter() - start:.0f} s, "
            f"torch threads {settings.threads}, cpu count {os.cpu_count()}"
        )
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(
                json.dumps(
                    {
                        "summary": summary_rows(results),
                        "notes": notes,
                        "settings": settings.to_dict(),
                        "folds": [r.__dict__ for r in results],
                    },
                    indent=2,
                    default=str,
                )
            )
        return 0
    split = load_split(args.dataset, args.fold, args.data_root)
    if args.tiny:
        split = tiny_split(split)
    for note in split.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
    res = train_model("ours", split, settings)
    y, p = predict_sequences(res.model, split.test)
    metrics = {"test_auc": auc(y, p), "test_accuracy": accuracy(y, p)}
    name = dataset_slug(args.dataset)
    out = args.out or Path("artifacts") / "learner_model" / f"{name}_fold{args.fold}"
    path = export_artefact(res, split, settings, out, metrics)
    console.print(
        f"valid AUC {res.valid_auc:.4f} (epoch {res.best_epoch}), "
        f"test AUC {metrics['test_auc']:.4f}, "
        f"accuracy {metrics['test_accuracy']:.4f}, "
        f"train {res.seconds:.1f} s"
    )
    console.print(f"artefact: {path} (+ {path.with_suffix('.json').name})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nanum.learner_model.kt")
    add_arguments(parser)
    return run(parser.parse_args(argv))
