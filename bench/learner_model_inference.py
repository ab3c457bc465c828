"""Latency of NumPy inference of the learner model (one learner, one CPU core).

    .venv/bin/python bench/learner_model_inference.py            # trained on synthetic
    .venv/bin/python bench/learner_model_inference.py --tiny     # CI: random weights
    .venv/bin/python bench/learner_model_inference.py --artefact artifacts/x.npz

Measures ``LearnerModel.predict`` (P(correct) for one candidate item) and
``LearnerModel.mastery`` (all skills) for a learner with 200 past interactions,
over at least 1000 calls each, and prints median / p95 / p99 last.
Target: predict p99 <= 5 ms.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nanum.learner_model.kt.data import load_split  # noqa: E402
from nanum.learner_model.kt.inference import (  # noqa: E402
    LearnerModel,
    random_weights,
    save_artefact,
)
from nanum.learner_model.kt.synthetic import generate  # noqa: E402
from nanum.learner_model.kt.train import (  # noqa: E402
    TrainSettings,
    export_artefact,
    train_model,
)


def build_artefact(folder: Path, tiny: bool) -> Path:
    """Our model with the evaluated sizes: trained on synthetic data if torch is
    installed (and not --tiny), else random weights of the same shapes."""
    if not tiny:
        try:
            # optional: torch (the nanum[ml] extra)
            import torch  # noqa: F401
        except ImportError:
            tiny = True
    if tiny:
        weights = random_weights(n_questions=17000, n_skills=1224, dim=64, hidden=64)
        meta = {"dataset": "random", "data_sha256": "-", "settings": {}}
        return save_artefact(folder / "random", weights, meta)
    split = load_split("synthetic", 0)
    settings = TrainSettings(epochs=2, dim=64, hidden=64)
    res = train_model("ours", split, settings)
    return export_artefact(res, split, settings, folder / "synthetic", {})


def percentiles(ns: list[int]) -> tuple[float, float, float]:
    ms = np.asarray(ns) / 1e6
    p50, p95, p99 = (float(np.percentile(ms, q)) for q in (50, 95, 99))
    return p50, p95, p99


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tiny", action="store_true", help="random weights (no torch)")
    ap.add_argument("--artefact", type=Path, default=None)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--history", type=int, default=200)
    ap.add_argument(
        "--pin",
        action="store_true",
        help="pin to the first CPU (else single-threaded, any CPU)",
    )
    args = ap.parse_args()
    if args.pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with tempfile.TemporaryDirectory() as tmp:
        path = args.artefact or build_artefact(Path(tmp), args.tiny)
        model = LearnerModel.load(path)
    n_items, n_skills = len(model.item_keys), len(model.skill_keys)
    rng = np.random.default_rng(0)
    seq = generate(
        n_learners=1,
        n_skills=min(n_skills - 1, 50),
        n_items=max(min(n_items - 1, 500), 50),
        min_len=args.history,
        max_len=args.history,
        seed=1,
    ).sequences[0]
    history = [
        (str(q), [str(s) for s in row if s], int(r))
        for q, row, r in zip(seq.questions, seq.skills, seq.responses, strict=True)
    ]
    calls = max(args.calls, 1000)
    items = rng.integers(1, max(n_items, 2), calls + 50)
    skills = rng.integers(1, n_skills, calls + 50)
    pred_ns: list[int] = []
    pred_cpu: list[int] = []
    for i in range(calls + 50):
        c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
        model.predict(history, str(items[i]), [str(skills[i])])
        if i >= 50:  # warm-up
            pred_ns.append(time.perf_counter_ns() - t0)
            pred_cpu.append(time.thread_time_ns() - c0)
    mast_ns: list[int] = []
    for i in range(calls + 10):
        t0 = time.perf_counter_ns()
        model.mastery(history)
        if i >= 10:
            mast_ns.append(time.perf_counter_ns() - t0)
    state = model.encode(history)
    cand_ns: list[int] = []
    for i in range(calls):
        t0 = time.perf_counter_ns()
        model.predict_state(state, str(items[i]), [str(skills[i])])
        cand_ns.append(time.perf_counter_ns() - t0)
    meta = model.meta
    print(
        f"artefact: {meta.get('model_version')} dataset={meta.get('dataset')} "
        f"items={n_items} skills={n_skills} hidden={model.hidden}"
    )
    print(
        f"history={len(history)} interactions, calls={calls}, single-threaded"
        f"{' pinned to one CPU' if args.pin else ''}, numpy {np.__version__}"
    )
    if hasattr(os, "getloadavg"):
        print(
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
            "(wall times include waiting for a busy CPU; cpu = thread CPU time)"
        )
    for name, ns in (
        ("mastery (all skills, wall)", mast_ns),
        ("predict_state (cached state, wall)", cand_ns),
        ("predict (cpu)", pred_cpu),
        ("predict (wall)", pred_ns),
    ):
        p50, p95, p99 = percentiles(ns)
        print(f"{name}: median {p50:.3f} ms  p95 {p95:.3f} ms  p99 {p99:.3f} ms")
    p99 = percentiles(pred_ns)[2]
    print(f"predict p99 {p99:.3f} ms (target <= 5 ms): {'OK' if p99 <= 5 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
