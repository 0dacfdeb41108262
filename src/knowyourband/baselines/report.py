"""Turn per-region top-k retrieval lists into recognised objects, as the thesis reported its crops."""

from __future__ import annotations

import numpy as np

from knowyourband.baselines.references import Reference
from knowyourband.baselines.regions import suppress
from knowyourband.result import RecognizedObject

DEFAULT_CONF = {
    "max_objects": 20,  # at most this many objects per photo
    "nms_iou": 0.3,  # a region overlapping a better one by more than this is the same crop
    "same_identity_overlap": 0.5,  # ... and so is one naming the same identity that lies mostly inside it
}


def objects(
    boxes: np.ndarray,
    ids: np.ndarray,
    scores: np.ndarray,
    references: list[Reference],
    conf: dict,
    scale: float = 1.0,
) -> list[RecognizedObject]:
    """The best regions as objects, each with its top-k candidates, best first.

    A region is reported when its best similarity reaches conf["threshold"] (no calibration).

    boxes: (R, 4) region boxes in the pixels the photo was described at; ids: (R, k) int row
    indices into `references` (-1 = none), best first; scores: (R, k) similarities in [0, 1];
    scale: described pixels per original pixel, so boxes come back in the upright photo's pixels.
    """
    conf = {**DEFAULT_CONF, **conf}
    if len(boxes) == 0:
        return []
    best = np.where(ids[:, 0] >= 0, scores[:, 0], -1.0)
    eligible = np.flatnonzero(best >= conf["threshold"])
    kept = [eligible[i] for i in suppress(boxes[eligible], best[eligible], conf["nms_iou"], len(eligible))]
    out: list[RecognizedObject] = []
    chosen: list[int] = []
    for r in kept:
        ident = references[ids[r, 0]].identity
        if any(references[ids[c, 0]].identity == ident and _covered(boxes[r], boxes[c]) > conf["same_identity_overlap"]
               for c in chosen):
            continue
        chosen.append(r)
        out.append(_object(boxes[r] / scale, ids[r], scores[r], references))
        if len(out) >= conf["max_objects"]:
            break
    return out


def _object(box: np.ndarray, ids: np.ndarray, scores: np.ndarray, references: list[Reference]) -> RecognizedObject:
    top = references[ids[0]]
    x0, y0, x1, y1 = (round(float(v), 1) for v in box)
    candidates = [references[i].candidate(s) for i, s in zip(ids, scores) if i >= 0]
    return RecognizedObject(
        kind=top.kind,
        score=float(scores[0]),
        inliers=0,  # no geometric verification in the thesis's method
        box=[x0, y0, x1, y1],
        quad=[[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
        reference_id=top.id,
        reference_key=top.key,
        band=top.band,
        release=top.release,
        candidates=candidates,
    )


def _covered(box: np.ndarray, other: np.ndarray) -> float:
    """Share of the smaller of two boxes (4,) that lies inside the other."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    smaller = min((box[2] - box[0]) * (box[3] - box[1]), (other[2] - other[0]) * (other[3] - other[1]))
    return float(max(w, 0.0) * max(h, 0.0) / max(smaller, 1e-9))
