"""Regions the learned detector sees but the catalogue cannot name: "a logo we don't know"."""

from __future__ import annotations

import logging

import numpy as np

from knowyourband.detect import Detection as Proposal
from knowyourband.result import RecognizedObject, UnknownRegion

log = logging.getLogger(__name__)


def open_detector(enabled: bool, threads: int = 1):
    """The shipped detector when `enabled` and present, else None (recognition works without it)."""
    if not enabled:
        return None
    from knowyourband.detect import Detector, DetectorError

    try:
        return Detector.open(threads=threads)
    except DetectorError as exc:
        log.warning("no unknown-region detection: %s", exc)
        return None


def unknown_regions(proposals: list[Proposal], scale: float, objects: list[RecognizedObject],
                    max_covered: float) -> list[UnknownRegion]:
    """The detector's boxes that no identified object already explains, in upright-photo pixels.

    proposals: the detector's detections in the working-size photo; `scale` = working size / original
    size. A detection is dropped when more than `max_covered` of its area lies inside an identified
    object's box (a logo printed on a recognised cover is not an unknown logo).
    """
    known = np.array([o.box for o in objects], dtype=np.float64).reshape(-1, 4)
    regions = []
    for kind, box, score in proposals:
        b = np.asarray(box, dtype=np.float64) / scale
        if _covered(b, known) > max_covered:
            continue
        regions.append(UnknownRegion(kind=kind, box=[round(float(v), 1) for v in b], score=float(score)))
    return regions


def _covered(box: np.ndarray, others: np.ndarray) -> float:
    """Largest share of `box`'s area inside any of `others` (N, 4) boxes."""
    if not len(others):
        return 0.0
    w = np.clip(np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]), 0, None)
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-9)
    return float((w * h).max() / area)
