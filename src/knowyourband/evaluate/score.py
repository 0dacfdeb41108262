"""Turn ground truth and a recognizer's predictions into the metrics dict of `metrics.json`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from knowyourband.evaluate.groundtruth import KINDS, GtObject, Photo
from knowyourband.evaluate.metrics import (
    IOU_THRESHOLD,
    compute_ap,
    f1,
    greedy_match,
    iou_matrix,
    percentiles,
    precision_recall,
    ratio,
)
from knowyourband.result import Candidate, RecognizedObject, Result

TOP_K = 10  # the thesis's retrieval success: the expected match among the 10 retrieved
CURVE_POINTS = 200  # precision–recall points kept per kind for the report's plot
LATENCY_BINS = 20
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass
class Prediction:
    """What the runner recorded for one photo: a result, or the error that stopped it."""

    result: Result | None
    latency_ms: float | None = None
    error: str | None = None


Identity = tuple[str, str | None]  # (kind, release key for an album | band key for a logo)


def object_identity(obj: RecognizedObject | Candidate, kind: str | None = None) -> Identity:
    """An object's identity; a candidate's kind follows from whether it names a release."""
    kind = kind or ("album" if obj.release is not None else "logo")
    if kind == "album":
        return (kind, obj.release.key if obj.release is not None else None)
    return (kind, obj.band.key)


def _gt_identity(gt: GtObject) -> Identity:
    return (gt.kind, gt.identity)


def _boxes(items: Iterable) -> np.ndarray:
    return np.asarray([list(x.box) for x in items], dtype=np.float64).reshape(-1, 4)


def _result(pred: Prediction | None, photo: Photo) -> Result:
    # A photo that failed (or was never run) counts as one where nothing was reported.
    if pred is None or pred.result is None:
        return Result(width=photo.width, height=photo.height)
    return pred.result


def _detection(photos: list[Photo], preds: dict[int, Prediction], with_unknown: bool) -> tuple[dict, dict]:
    """Class-aware detection metrics; also returns the per-kind rankings for the PR plot."""
    rankings: dict[str, dict] = {k: {"scores": [], "tp": [], "n_gt": 0} for k in KINDS}
    for photo in photos:
        result = _result(preds.get(photo.id), photo)
        regions = list(result.objects) + (list(result.unknown) if with_unknown else [])
        for kind in KINDS:
            mine = [r for r in regions if r.kind == kind]
            gts = [g for g in photo.objects if g.kind == kind]
            scores = np.asarray([r.score for r in mine], dtype=np.float64)
            pred_to_gt, _ = greedy_match(_boxes(mine), scores, _boxes(gts))
            rankings[kind]["scores"].extend(scores.tolist())
            rankings[kind]["tp"].extend((pred_to_gt >= 0).tolist())
            rankings[kind]["n_gt"] += len(gts)
    aps = {k: compute_ap(np.asarray(r["scores"]), np.asarray(r["tp"], bool), r["n_gt"]) for k, r in rankings.items()}
    defined = [v for v in aps.values() if v is not None]
    tp = sum(sum(r["tp"]) for r in rankings.values())
    detected = sum(len(r["tp"]) for r in rankings.values())
    n_gt = sum(r["n_gt"] for r in rankings.values())
    metrics = {
        "ap_album": aps["album"],
        "ap_logo": aps["logo"],
        "map50": float(np.mean(defined)) if defined else None,
        "recall": ratio(tp, n_gt, None),
        "precision": ratio(tp, detected, 1.0 if n_gt == 0 else 0.0),
        "detected": detected,
        "true_positives": tp,
    }
    return metrics, rankings


def _retrieval(photos: list[Photo], preds: dict[int, Prediction]) -> tuple[dict, dict[int, list[bool]]]:
    """Per annotated object: is the best-overlapping identified object right (top-1), or its
    candidate list (top-10)? Also returns, per photo, each object's top-10 success."""
    hits = {k: {"top1": 0, "top10": 0, "n": 0} for k in KINDS}
    top10_by_photo: dict[int, list[bool]] = {}
    for photo in photos:
        objects = _result(preds.get(photo.id), photo).objects
        overlap = iou_matrix(_boxes(photo.objects), _boxes(objects))
        found = []
        for j, gt in enumerate(photo.objects):
            hits[gt.kind]["n"] += 1
            best = int(np.argmax(overlap[j])) if objects else -1
            if best < 0 or overlap[j, best] < IOU_THRESHOLD:
                found.append(False)
                continue
            obj = objects[best]
            top1 = object_identity(obj, obj.kind) == _gt_identity(gt)
            shortlist = [object_identity(c) for c in obj.candidates[:TOP_K]] or [object_identity(obj, obj.kind)]
            top10 = top1 or _gt_identity(gt) in shortlist
            hits[gt.kind]["top1"] += top1
            hits[gt.kind]["top10"] += top10
            found.append(top10)
        top10_by_photo[photo.id] = found
    metrics = {
        k: {"top1": ratio(h["top1"], h["n"], None), "top10": ratio(h["top10"], h["n"], None), "objects": h["n"]}
        for k, h in hits.items()
    }
    return metrics, top10_by_photo


def _end_to_end(photos: list[Photo], preds: dict[int, Prediction], top10_by_photo: dict[int, list[bool]]) -> dict:
    """Reported objects judged by identity at IoU ≥ 0.5; `unknown` regions are not reports."""
    tp = reported = n_gt = photos_right = 0
    thesis_hits = thesis_photos = 0
    for photo in photos:
        objects = _result(preds.get(photo.id), photo).objects
        allowed = np.asarray(
            [[object_identity(o, o.kind) == _gt_identity(g) for g in photo.objects] for o in objects], dtype=bool
        ).reshape(len(objects), len(photo.objects))
        scores = np.asarray([o.score for o in objects], dtype=np.float64)
        pred_to_gt, gt_to_pred = greedy_match(_boxes(objects), scores, _boxes(photo.objects), allowed)
        tp += int((pred_to_gt >= 0).sum())
        reported += len(objects)
        n_gt += len(photo.objects)
        photos_right += bool((gt_to_pred >= 0).all() and (pred_to_gt >= 0).all())
        if photo.objects:
            thesis_photos += 1
            thesis_hits += all(top10_by_photo.get(photo.id, []))
    precision = ratio(tp, reported, 1.0 if n_gt == 0 else 0.0)
    recall = ratio(tp, n_gt, None)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1(precision, recall),
        "photo_accuracy": ratio(photos_right, len(photos), None),
        # The thesis's §10 figure, read as: share of photos showing catalogue objects in which every
        # object has its right identity among the top-10 of an overlapping box; wrong reports ignored.
        "thesis_accuracy": ratio(thesis_hits, thesis_photos, None),
        "reported": reported,
        "correct": tp,
    }


def _latency(photos: list[Photo], preds: dict[int, Prediction]) -> dict:
    values = [p.latency_ms for ph in photos if (p := preds.get(ph.id)) and p.latency_ms is not None and not p.error]
    p50, p95 = percentiles(values)
    return {
        "p50": p50,
        "p95": p95,
        "max": max(values) if values else None,
        "mean": float(np.mean(values)) if values else None,
        "photos": len(values),
    }


def score_group(photos: list[Photo], preds: dict[int, Prediction]) -> dict:
    """Every metric group for one set of photos (the whole benchmark or one scene / difficulty)."""
    retrieval, top10_by_photo = _retrieval(photos, preds)
    gts = [g for ph in photos for g in ph.objects]
    return {
        "detection": _detection(photos, preds, with_unknown=True)[0],
        "detection_identified": _detection(photos, preds, with_unknown=False)[0],
        "retrieval": retrieval,
        "end_to_end": _end_to_end(photos, preds, top10_by_photo),
        "latency_ms": _latency(photos, preds),
        "counts": {
            "photos": len(photos),
            "errors": sum(1 for ph in photos if (p := preds.get(ph.id)) is not None and p.error),
            "objects": {k: sum(1 for g in gts if g.kind == k) for k in KINDS},
        },
    }


def _by(
    photos: list[Photo], preds: dict[int, Prediction], key: Callable[[Photo], str], order: tuple[str, ...] = ()
) -> dict:
    groups: dict[str, list[Photo]] = {}
    for photo in photos:
        groups.setdefault(key(photo), []).append(photo)
    # Known levels in their natural order (easy before hard), anything else alphabetically after.
    names = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    return {name: score_group(groups[name], preds) for name in names}


def _curve(ranking: dict) -> list[list[float]]:
    precision, recall = precision_recall(
        np.asarray(ranking["scores"]), np.asarray(ranking["tp"], bool), ranking["n_gt"]
    )
    keep = np.unique(np.linspace(0, len(precision) - 1, min(len(precision), CURVE_POINTS)).astype(int))
    return [[round(float(recall[i]), 4), round(float(precision[i]), 4)] for i in keep] if len(precision) else []


def _histogram(photos: list[Photo], preds: dict[int, Prediction]) -> dict:
    values = [p.latency_ms for ph in photos if (p := preds.get(ph.id)) and p.latency_ms is not None and not p.error]
    if not values:
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(values, bins=LATENCY_BINS)
    return {"edges": [round(float(e), 2) for e in edges], "counts": counts.tolist()}


def score(photos: list[Photo], preds: dict[int, Prediction]) -> dict:
    """The full metrics dict: overall groups, `by_scene`, `by_difficulty`, plot data and errors.

    photos: the benchmark's photos (ground truth); preds: photo id → what the recognizer returned.
    A photo missing from `preds` or with an error counts as one where nothing was reported.
    """
    metrics = score_group(photos, preds)
    _, rankings = _detection(photos, preds, with_unknown=True)
    metrics["by_scene"] = _by(photos, preds, lambda p: p.scene)
    metrics["by_difficulty"] = _by(photos, preds, lambda p: p.difficulty, DIFFICULTIES)
    metrics["curves"] = {
        "pr": {kind: _curve(rankings[kind]) for kind in KINDS},
        "latency_histogram": _histogram(photos, preds),
    }
    metrics["errors"] = [
        {"file_name": ph.file_name, "error": p.error}
        for ph in photos
        if (p := preds.get(ph.id)) is not None and p.error
    ]
    return metrics
