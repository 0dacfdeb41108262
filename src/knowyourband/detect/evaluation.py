"""Detection metrics for the learned detector, on the evaluation package's matching and AP."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from knowyourband.evaluate.groundtruth import load_benchmark
from knowyourband.evaluate.metrics import compute_ap, greedy_match, ratio

if TYPE_CHECKING:
    from knowyourband.detect.detector import Detector

log = logging.getLogger(__name__)

KINDS = ("album", "logo")


def score_detections(
    predictions: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    truths: Sequence[tuple[np.ndarray, np.ndarray]],
    operating_score: float,
    kinds: Sequence[str] = KINDS,
) -> dict[str, float | None]:
    """AP per class, mAP@0.5, and recall/precision of detections scoring ≥ operating_score.

    predictions: per photo (boxes (N, 4), scores (N,), classes (N,) int); truths: per photo
    (boxes (M, 4), classes (M,) int), boxes [x0, y0, x1, y1] in the same pixels as the predictions.
    """
    ranked: dict[int, dict[str, list]] = {c: {"scores": [], "tp": []} for c in range(len(kinds))}
    n_gt = dict.fromkeys(range(len(kinds)), 0)
    for (boxes, scores, classes), (gt_boxes, gt_classes) in zip(predictions, truths, strict=True):
        for c in range(len(kinds)):
            mine, theirs = classes == c, gt_classes == c
            pred_to_gt, _ = greedy_match(boxes[mine], scores[mine], gt_boxes[theirs])
            ranked[c]["scores"].extend(scores[mine].tolist())
            ranked[c]["tp"].extend((pred_to_gt >= 0).tolist())
            n_gt[c] += int(theirs.sum())
    metrics: dict[str, float | None] = {}
    for c, kind in enumerate(kinds):
        metrics[f"ap_{kind}"] = compute_ap(np.asarray(ranked[c]["scores"]), np.asarray(ranked[c]["tp"], bool), n_gt[c])
    defined = [metrics[f"ap_{k}"] for k in kinds if metrics[f"ap_{k}"] is not None]
    metrics["map50"] = float(np.mean(defined)) if defined else None
    # Precision and recall are for the detector as the recognizer uses it, at its default threshold.
    tp = sum(s >= operating_score and t for r in ranked.values() for s, t in zip(r["scores"], r["tp"]))
    shown = sum(s >= operating_score for r in ranked.values() for s in r["scores"])
    metrics["recall"] = ratio(tp, sum(n_gt.values()), None)
    metrics["precision"] = ratio(tp, shown, None)
    return metrics


def evaluate_detector(model: "Detector | str | Path | None", bench_dir: str | Path, limit: int | None = None) -> dict:
    """Score a detector (or an ONNX path; None: the shipped model) on a benchmark folder.

    Returns {ap_album, ap_logo, map50, recall, precision, photos, ms_per_photo}; AP over every
    detection down to EVAL_MIN_SCORE, recall and precision at DEFAULT_MIN_SCORE.
    """
    from knowyourband.detect.detector import DEFAULT_MIN_SCORE, EVAL_MIN_SCORE, Detector
    from knowyourband.imageio import load_image

    detector = model if isinstance(model, Detector) else Detector.open(model)
    bench = load_benchmark(bench_dir, limit=limit)
    predictions, truths, times = [], [], []
    for photo in bench.photos:
        rgb = load_image(bench.path(photo)).rgb
        start = time.perf_counter()
        found = detector.detect(rgb, min_score=EVAL_MIN_SCORE)
        times.append(time.perf_counter() - start)
        predictions.append(
            (
                np.asarray([d.box for d in found], np.float64).reshape(-1, 4),
                np.asarray([d.score for d in found], np.float64),
                np.asarray([detector.kinds.index(d.kind) for d in found], np.int64),
            )
        )
        truths.append(
            (
                np.asarray([o.box for o in photo.objects], np.float64).reshape(-1, 4),
                np.asarray([detector.kinds.index(o.kind) for o in photo.objects], np.int64),
            )
        )
    metrics = score_detections(predictions, truths, DEFAULT_MIN_SCORE, detector.kinds)
    metrics["photos"] = len(bench.photos)
    metrics["ms_per_photo"] = 1000.0 * float(np.median(times)) if times else None
    log.info("detector on %s: %s", bench_dir, metrics)
    return metrics
