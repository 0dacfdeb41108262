"""Pure evaluation math: box overlap, greedy matching, precision–recall and average precision."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

IOU_THRESHOLD = 0.5  # the thesis's §8.3 and PASCAL VOC's overlap for "the same object"


def xywh_to_xyxy(box: Sequence[float]) -> list[float]:
    """COCO `[x, y, w, h]` → `[x0, y0, x1, y1]`."""
    x, y, w, h = (float(v) for v in box)
    return [x, y, x + w, y + h]


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two `[x0, y0, x1, y1]` boxes.

    Touching boxes share no area (0.0); a zero-area box overlaps nothing, not even itself, so a
    degenerate prediction can never count as a hit.
    """
    return float(iou_matrix(np.asarray([a], float), np.asarray([b], float))[0, 0])


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU.

    a: (N, 4) and b: (M, 4) float boxes `[x0, y0, x1, y1]` → (N, M) float64 in [0, 1].
    """
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    area_a = np.clip(a[:, 2] - a[:, 0], 0, None) * np.clip(a[:, 3] - a[:, 1], 0, None)
    area_b = np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
    return out


def greedy_match(
    pred_boxes: np.ndarray,
    pred_scores: np.ndarray,
    gt_boxes: np.ndarray,
    allowed: np.ndarray | None = None,
    threshold: float = IOU_THRESHOLD,
) -> tuple[np.ndarray, np.ndarray]:
    """Match predictions to ground truth in one photo, best score first, each GT at most once.

    pred_boxes: (N, 4), pred_scores: (N,), gt_boxes: (M, 4); allowed: optional (N, M) bool saying
    which pairs may match at all (same class, same identity). A prediction takes the unmatched
    allowed GT it overlaps most (COCO's rule, so a crowded poster's neighbour is not lost); a
    prediction left without one — a duplicate of a found object included — is a false positive.
    Returns `pred_to_gt` (N,) int, -1 for a false positive, and `gt_to_pred` (M,) int, -1 if missed.
    """
    n, m = len(pred_boxes), len(gt_boxes)
    pred_to_gt = np.full(n, -1, dtype=np.int64)
    gt_to_pred = np.full(m, -1, dtype=np.int64)
    if n == 0 or m == 0:
        return pred_to_gt, gt_to_pred
    overlap = iou_matrix(pred_boxes, gt_boxes)
    if allowed is not None:
        overlap = np.where(allowed, overlap, 0.0)
    # Stable sort keeps the given order among equal scores, so results never depend on chance.
    for i in np.argsort(-np.asarray(pred_scores, dtype=np.float64), kind="stable"):
        free = np.where(gt_to_pred < 0, overlap[i], -1.0)
        j = int(np.argmax(free))
        if free[j] >= threshold:
            pred_to_gt[i] = j
            gt_to_pred[j] = i
    return pred_to_gt, gt_to_pred


def precision_recall(scores: np.ndarray, is_tp: np.ndarray, n_gt: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall after each detection of a ranking.

    scores: (N,) confidences, is_tp: (N,) bool, over the whole data set; n_gt: number of GT objects.
    Returns (precision (N,), recall (N,)) in the order of decreasing score.
    """
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    tp = np.cumsum(np.asarray(is_tp, dtype=bool)[order])
    ranks = np.arange(1, len(order) + 1)
    precision = tp / np.maximum(ranks, 1)
    recall = tp / n_gt if n_gt > 0 else np.zeros(len(order))
    return precision.astype(np.float64), recall.astype(np.float64)


def compute_ap(scores: np.ndarray, is_tp: np.ndarray, n_gt: int) -> float | None:
    """All-point interpolated average precision (PASCAL VOC 2010+).

    The area under the precision–recall curve after replacing each precision by the best
    precision at any equal or higher recall. scores: (N,), is_tp: (N,) bool; n_gt: GT count.
    Returns None when there is no ground truth (AP is undefined), 0.0 when nothing was detected.
    """
    if n_gt <= 0:
        return None
    if len(scores) == 0:
        return 0.0
    precision, recall = precision_recall(scores, is_tp, n_gt)
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    step = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[step + 1] - mrec[step]) * mpre[step + 1]))


def ratio(num: float, den: float, empty: float | None = 0.0) -> float | None:
    """num / den, or `empty` when the denominator is zero (never NaN)."""
    return float(num) / float(den) if den else empty


def f1(precision: float | None, recall: float | None) -> float | None:
    """Harmonic mean; 0 when both are 0, None when either is undefined."""
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def percentiles(values: Sequence[float], qs: Sequence[float] = (50, 95)) -> list[float | None]:
    """Linear-interpolated percentiles; None for each when there are no values."""
    if len(values) == 0:
        return [None for _ in qs]
    return [float(v) for v in np.percentile(np.asarray(values, dtype=np.float64), list(qs))]
