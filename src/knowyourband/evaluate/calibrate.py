"""Fit the engine's score and its threshold on a benchmark (`kyb calibrate`).

A verified placement's score is the probability that it names the right thing in the right place:
a logistic function of its evidence (docs/engine.md, step 7), and `min_score` is the one threshold
below which the engine says nothing. Both were chosen on the standard benchmark's photos 121-400
and checked on photos 1-120. Another photo source (another generator, real photos) needs both
again; this repeats the procedure:

1. Every placement the first pass verifies (before the score and ratio gates and before resolution;
   the closer look off) is labelled right when its reference names an annotated object of the
   photo and its box overlaps that object's at IoU >= 0.5.
2. Logistic regression (IRLS) of that label on the chosen terms gives the weights.
3. For each threshold the fit photos' placements are gated and resolved as the engine does; the
   lowest threshold whose kept placements reach the precision asked for becomes `min_score`.
4. The same table on held-out photos says whether that holds beyond the photos it was chosen on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowyourband.evaluate.groundtruth import load_benchmark
from knowyourband.evaluate.trace import by_position, first_pass, names
from knowyourband.recognize.detections import Detection, resolve
from knowyourband.recognize.recognizer import SCORE_TERMS, Recognizer, placement_score, score_terms

THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(15))  # 0.20 .. 0.90


@dataclass
class Placements:
    """One photo's verified first-pass placements, labelled, and its annotated object count."""

    photo: int
    detections: list[Detection]
    right: list[bool]
    objects: int


def collect(index_dir: str | Path, bench_dir: str | Path, photo_ids: set[int]) -> tuple[list[Placements], dict]:
    """Labelled placements of the chosen photos, and the recognizer configuration that made them."""
    rec = Recognizer.open(index_dir, conf={"detector": False})
    references = by_position(rec)
    bench = load_benchmark(bench_dir)
    out = []
    for photo in bench.photos:
        if photo.id not in photo_ids:
            continue
        scale, first = first_pass(rec, bench.path(photo))
        right = [any(names(d, references[d.ref], gt, scale) for gt in photo.objects) for d in first.verified]
        out.append(Placements(photo.id, first.verified, right, len(photo.objects)))
    return out, rec.config


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-6, iterations: int = 100) -> np.ndarray:
    """Logistic regression by iteratively reweighted least squares: (N, T) X, (N,) 0/1 y ->
    (T + 1,) weights, bias first. The tiny ridge keeps a separable set from diverging."""
    A = np.hstack([np.ones((len(X), 1)), np.asarray(X, np.float64)])
    w = np.zeros(A.shape[1])
    ridge = l2 * np.eye(len(w))
    ridge[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        hessian = A.T @ (A * (p * (1.0 - p))[:, None]) + ridge
        step = np.linalg.solve(hessian, A.T @ (y - p) - ridge @ w)
        w += step
        if np.abs(step).max() < 1e-9:
            break
    return w


def score_conf(weights: np.ndarray, terms: list[str]) -> dict[str, float]:
    """The recognizer configuration keys for fitted weights (terms not fitted get weight 0)."""
    conf = {"score_bias": round(float(weights[0]), 4)}
    for term, key in SCORE_TERMS.items():
        conf[key] = round(float(weights[1 + terms.index(term)]), 4) if term in terms else 0.0
    return conf


def sweep(photos: list[Placements], conf: dict, thresholds=THRESHOLDS) -> list[dict]:
    """What the first pass would report at each threshold: gates and resolution as in the engine,
    after setting each placement's score from `conf`'s weights."""
    for p in photos:
        for d in p.detections:
            d.score = placement_score(d, conf)
    labels = [{id(d): r for d, r in zip(p.detections, p.right)} for p in photos]
    objects = sum(p.objects for p in photos)
    rows = []
    for t in thresholds:
        right = wrong = 0
        for p, label in zip(photos, labels):
            passing = [d for d in p.detections if d.score >= t and d.ratio >= conf["min_ratio"]]
            kept, _ = resolve(passing, conf["max_overlap"], conf["min_inliers"])
            n_right = sum(label[id(d)] for d in kept)
            right += n_right
            wrong += len(kept) - n_right
        rows.append({"threshold": t, "right": right, "wrong": wrong,
                     "precision": round(right / (right + wrong), 4) if right + wrong else None,
                     "recall": round(right / objects, 4) if objects else None})
    return rows


def choose_threshold(rows: list[dict], precision: float) -> float | None:
    """The lowest threshold whose kept placements reach `precision` (more is said above it)."""
    for row in rows:
        if row["precision"] is not None and row["precision"] >= precision:
            return row["threshold"]
    return None


def calibrate(index_dir: str | Path, bench_dir: str | Path, fit_ids: set[int], check_ids: set[int],
              terms: list[str], precision: float = 0.98) -> dict:
    """Fit the score on `fit_ids`, choose `min_score`, and report both photo sets' threshold tables.

    Returns {"conf": recognizer overrides, "fit": {...}, "check": {...}}; `conf` is what
    `Recognizer.open(..., conf=...)` and `kyb eval/recognize --conf` take.
    """
    unknown = sorted(set(terms) - set(SCORE_TERMS))
    if unknown or not terms:
        raise ValueError(f"score terms must be some of {', '.join(SCORE_TERMS)}; got {', '.join(terms) or 'none'}")
    placements, rec_conf = collect(index_dir, bench_dir, fit_ids | check_ids)
    fit_set = [p for p in placements if p.photo in fit_ids]
    check_set = [p for p in placements if p.photo in check_ids]
    X = np.array([[score_terms(d)[t] for t in terms] for p in fit_set for d in p.detections]).reshape(-1, len(terms))
    y = np.array([r for p in fit_set for r in p.right], dtype=np.float64)
    if len(y) == 0 or y.min() == y.max():
        raise ValueError(f"the fit photos gave {len(y)} placements, {int(y.sum())} right: a fit needs both right "
                         "and wrong ones (use more photos)")
    conf = {**rec_conf, **score_conf(fit_logistic(X, y), terms)}
    fit_rows = sweep(fit_set, conf)
    threshold = choose_threshold(fit_rows, precision)
    overrides = {k: conf[k] for k in ("score_bias", *SCORE_TERMS.values())}
    if threshold is not None:
        overrides["min_score"] = threshold
    return {
        "conf": overrides,
        "fit": {"photos": len(fit_set), "placements": int(len(y)), "right": int(y.sum()), "rows": fit_rows},
        "check": {"photos": len(check_set), "rows": sweep(check_set, conf) if check_set else []},
        "precision_asked": precision,
    }
