"""Latency of the learner model as the app serves it (one learner, one CPU core).

    .venv/bin/python bench/learner_model_inference.py            # trained artefacts
    .venv/bin/python bench/learner_model_inference.py --tiny     # CI: smaller, faster
    .venv/bin/python bench/learner_model_inference.py --artefact var/artifacts/x.npz

Trains the artefacts it measures (never random weights): the logistic IRT/PFA model the
default install serves (SciPy, on synthetic learners), and, when PyTorch is installed and
not ``--tiny``, the neural model (2 epochs). For a learner with 200 past answers it times,
over at least 1000 calls each:

- ``answer + predict``: the app's path per answer: the cached state extended by the new
  answer (``StateCache``), then P(correct) for one candidate item;
- ``mastery map (cached state)``: every skill, from the cached state;
- ``predict (fresh)`` and ``mastery map (fresh)``: the same without any cache.

Targets (issue 14): p99 <= 2 ms per prediction and <= 5 ms for a full mastery map, on the
cached path. Prints a same-run reference (``sum(i*i for i in range(10**7))``) and the load
average, because hosts of this kind differ up to 3x in speed.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nanum.learner_model.engine.estimators import StateCache  # noqa: E402
from nanum.learner_model.kt.data import Split  # noqa: E402
from nanum.learner_model.kt.inference import LearnerModel, save_artefact  # noqa: E402
from nanum.learner_model.kt.production import (  # noqa: E402
    as_interactions,
    fit_pfa,
    pfa_weights,
    validate,
)
from nanum.learner_model.kt.synthetic import generate  # noqa: E402


def synthetic_split(tiny: bool) -> Split:
    data = generate(
        n_learners=300 if tiny else 2000,
        n_skills=60 if tiny else 300,
        n_items=600 if tiny else 5000,
        min_len=20,
        max_len=120 if tiny else 200,
        seed=7,
    )
    seqs = data.sequences
    cut = int(len(seqs) * 0.8)
    nq = int(max(s.questions.max() for s in seqs)) + 1
    ns = int(max(s.skills.max() for s in seqs)) + 1
    return Split("synthetic", 0, seqs[:cut], seqs[cut:], [], nq, ns, "bench")


def build_artefacts(folder: Path, tiny: bool) -> list[tuple[Path, float]]:
    """Trained artefacts: (path, training seconds)."""
    split = synthetic_split(tiny)
    items = [f"q{i}" for i in range(split.n_questions)]
    skills = [f"s{i}" for i in range(split.n_skills)]
    t0 = time.perf_counter()
    pfa = fit_pfa(split)
    out = [
        (
            save_artefact(
                folder / "pfa",
                pfa_weights(pfa),
                {
                    "model": "pfa",
                    "model_version": "nanum-pfa-1",
                    "dataset": "synthetic",
                },
                item_keys=items,
                skill_keys=skills,
            ),
            time.perf_counter() - t0,
        )
    ]
    if tiny:
        return out
    try:
        # optional: torch (the nanum[ml] extra)
        import torch  # noqa: F401
    except ImportError:
        return out
    from nanum.learner_model.kt.train import (  # optional: torch
        TrainSettings,
        export_artefact,
        train_model,
    )

    settings = TrainSettings(epochs=2, dim=64, hidden=64)
    t0 = time.perf_counter()
    res = train_model("ours", split, settings)
    seconds = time.perf_counter() - t0
    path = export_artefact(res, split, settings, folder / "neural", {})
    # export_artefact keeps index keys: give the bench's learner the same keys
    return [*out, (path, seconds)]


def reference_seconds(tiny: bool) -> float:
    n = 10**6 if tiny else 10**7
    t0 = time.perf_counter()
    sum(i * i for i in range(n))
    return time.perf_counter() - t0


def timed(fn: Callable[[int], object], calls: int, warm: int = 50) -> np.ndarray:
    out: list[int] = []
    for i in range(calls + warm):
        c0 = time.thread_time_ns()
        fn(i)
        if i >= warm:
            out.append(time.thread_time_ns() - c0)
    return np.asarray(out) / 1e6


def line(name: str, ms: np.ndarray) -> str:
    p50, p95, p99 = (float(np.percentile(ms, q)) for q in (50, 95, 99))
    return f"  {name:<34} median {p50:7.3f} ms  p95 {p95:7.3f} ms  p99 {p99:7.3f} ms"


def measure(path: Path, calls: int, history_len: int, held_out: list | None) -> float:
    model = LearnerModel.load(path)
    items, skills = model.item_keys, model.skill_keys
    rng = random.Random(0)

    def answer() -> tuple[str, list[str], int]:
        return (
            rng.choice(items[1:]),
            [rng.choice(skills[1:])],
            int(rng.random() < 0.6),
        )

    history = [answer() for _ in range(history_len)]
    stream = [answer() for _ in range(calls + 60)]
    cands = [
        (rng.choice(items[1:]), [rng.choice(skills[1:])]) for _ in range(calls + 60)
    ]
    meta = model.meta
    print(
        f"\n{meta.get('model_version')} ({model.kind}): items={len(items)} "
        f"skills={len(skills)} hidden={model.hidden}"
    )
    if held_out:
        check = validate(model, held_out, max_positions=5000)
        print(
            f"  synthetic held-out learners: AUC {check.auc:.4f}, ECE {check.ece:.4f} "
            f"({check.positions} answers)"
        )
    cache = StateCache()
    window = list(history[-199:])
    total = len(history)  # the learner's answers in all (the app counts them)
    cache.get(model, "learner", window, total)

    def answer_and_predict(i: int) -> None:
        nonlocal total
        window.append(stream[i])
        del window[:-199]
        total += 1
        state = cache.get(model, "learner", list(window), total)
        item, sk = cands[i]
        model.predict_state(state, item, sk)

    per_answer = timed(answer_and_predict, calls)
    state = cache.get(model, "learner", list(window), total)
    mastery_cached = timed(lambda i: model.mastery_state(state), calls, warm=10)
    fresh_predict = timed(
        lambda i: model.predict(history, cands[i][0], cands[i][1]), calls
    )
    fresh_mastery = timed(lambda i: model.mastery(history), calls, warm=10)
    print(line("answer + predict (cached state)", per_answer))
    print(line("mastery map (cached state)", mastery_cached))
    print(line("predict (fresh encoding)", fresh_predict))
    print(line("mastery map (fresh encoding)", fresh_mastery))
    print(
        f"  cache: {cache.extended} extended, {cache.encoded} encoded, {cache.hits} hits"
    )
    p99_predict = float(np.percentile(per_answer, 99))
    p99_map = float(np.percentile(mastery_cached, 99))
    ok = p99_predict <= 2 and p99_map <= 5
    print(
        f"  targets: predict p99 {p99_predict:.3f} ms (<= 2), mastery map p99 "
        f"{p99_map:.3f} ms (<= 5): {'OK' if ok else 'SLOW'}"
    )
    return p99_predict


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--tiny", action="store_true", help="small synthetic data, no neural"
    )
    ap.add_argument("--artefact", type=Path, default=None)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--history", type=int, default=200)
    args = ap.parse_args()
    calls = max(args.calls, 200 if args.tiny else 1000)
    ref = reference_seconds(args.tiny)
    with tempfile.TemporaryDirectory() as tmp:
        if args.artefact:
            built = [(args.artefact, 0.0)]
            held_out = None
        else:
            built = build_artefacts(Path(tmp), args.tiny)
            split = synthetic_split(args.tiny)
            held_out = None
        print(
            f"history={args.history} answers, calls={calls}, single-threaded, numpy "
            f"{np.__version__}; times are thread CPU time"
        )
        for path, seconds in built:
            if not args.artefact:
                model = LearnerModel.load(path)
                held_out = [
                    as_interactions(s, model.item_keys, model.skill_keys)
                    for s in split.valid
                ]
                print(f"\ntrained {path.name} in {seconds:.1f} s")
            measure(path, calls, args.history, held_out)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    n = "10**6" if args.tiny else "10**7"
    print(
        f"\nreference: sum(i*i for i in range({n})) took {ref:.3f} s in this run; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
