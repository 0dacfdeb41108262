"""The thesis's colour-histogram retrieval (§6.2): HSV histograms compared with the Bhattacharyya measure."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.baselines.method import RegionBaseline
from knowyourband.baselines.references import rgb_image

_RANGES = [0, 180, 0, 256, 0, 256]  # OpenCV's 8-bit HSV: hue in [0, 180)


def hsv_histogram(hsv: np.ndarray, bins: list[int]) -> np.ndarray:
    """cv2.calcHist of an HSV image, L1-normalised. hsv: (H, W, 3) uint8 -> (prod(bins),) float32."""
    hist = cv2.calcHist([hsv], [0, 1, 2], None, list(bins), _RANGES).reshape(-1)
    total = float(hist.sum())
    return (hist / total if total > 0 else hist).astype(np.float32)


class ColourHist(RegionBaseline):
    """`--method colour-hist`: each photo region's HSV histogram against every reference's."""

    name = "colour-hist"
    metric = "ip"
    reference_conf = ("bins", "reference_max_side")
    default_conf = {
        "bins": [8, 8, 8],  # hue, saturation, value; 512 bins (the thesis does not give its bins)
        "reference_max_side": 256,  # a histogram needs no detail; small images are fast
        "photo_max_side": 512,
        # Per proposal source: the best end-to-end F1 on a separate 60-photo set (seed 5), docs/baselines.md.
        "thresholds": {"grid": 0.9, "detector": 0.6},
    }

    def compute_arrays(self) -> dict[str, np.ndarray]:
        hists = [hsv_histogram(cv2.cvtColor(rgb_image(r.image, self.conf["reference_max_side"]), cv2.COLOR_RGB2HSV),
                               self.conf["bins"]) for r in self.references]
        return {"hists": np.stack(hists)}

    def reference_vectors(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        # For L1-normalised histograms cv2.compareHist(a, b, HISTCMP_BHATTACHARYYA) = sqrt(1 - BC) with the
        # Bhattacharyya coefficient BC = <sqrt a, sqrt b>: an inner product, so FAISS ranks every reference at once.
        return np.sqrt(arrays["hists"])

    def describe(self, rgb: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
        cells = np.round(boxes).astype(int)
        valid = np.flatnonzero((cells[:, 2] > cells[:, 0]) & (cells[:, 3] > cells[:, 1]))
        hists = [hsv_histogram(hsv[y0:y1, x0:x1], self.conf["bins"]) for x0, y0, x1, y1 in cells[valid]]
        if not hists:
            return np.zeros((0, int(np.prod(self.conf["bins"]))), np.float32), valid
        return np.sqrt(np.stack(hists)), valid

    def similarity(self, raw: np.ndarray) -> np.ndarray:
        return np.clip(raw, 0.0, 1.0)  # the Bhattacharyya coefficient: 1 for identical histograms
