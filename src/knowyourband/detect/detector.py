"""The learned album/logo detector at inference time: an ONNX model run by onnxruntime."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NamedTuple

import numpy as np

from knowyourband.detect.boxes import decode, letterbox
from knowyourband.errors import KybError
from knowyourband.onnxmodel import open_session

log = logging.getLogger(__name__)

DEFAULT_MIN_SCORE = 0.3  # below this the shipped model's detections are mostly false (docs/detector.md)
EVAL_MIN_SCORE = 0.05  # for AP: the precision/recall curve needs the low-scoring tail too


class DetectorError(KybError):
    """A detector model file is missing or not one this version of kyb can run."""


class Detection(NamedTuple):
    kind: str  # "album" | "logo"
    box: list[float]  # [x0, y0, x1, y1] in pixels of the photo given to `detect`
    score: float  # the centre heatmap's probability, in [0, 1]


def default_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "models" / "detector.onnx"


class Detector:
    """Finds album covers and band logos in a photo, whether or not the catalogue knows them."""

    def __init__(self, session: object, size: int, stride: int, kinds: tuple[str, ...]) -> None:
        self._session = session
        self.size = size  # square input side in pixels
        self.stride = stride
        self.kinds = kinds
        self._input = session.get_inputs()[0].name  # type: ignore[attr-defined]

    @classmethod
    def open(cls, model_path: str | Path | None = None, *, threads: int = 1) -> "Detector":
        """Load an ONNX model written by `kyb train detector` (default: the shipped one).

        `threads` is onnxruntime's intra-op thread count; 1 keeps a server worker on one core.
        """
        path = Path(model_path) if model_path else default_model_path()
        session, meta = open_session(path, threads, DetectorError,
                                     "no detector model there; train one with `kyb train detector`")
        if meta.get("kyb_format") != "detector-v1":
            raise DetectorError(
                f"{path}: not a kyb detector (metadata kyb_format={meta.get('kyb_format')!r}); "
                "export it with `kyb train detector`"
            )
        kinds = tuple(meta["kinds"].split(","))
        log.debug("detector %s: input %s px, stride %s, kinds %s", path, meta["size"], meta["stride"], kinds)
        return cls(session, int(meta["size"]), int(meta["stride"]), kinds)

    def detect(self, rgb: np.ndarray, min_score: float = DEFAULT_MIN_SCORE) -> list[Detection]:
        """Detections in an upright photo, best first.

        rgb: (H, W, 3) uint8. Boxes come back in the photo's pixels, clipped to it.
        """
        heat, ltrb, scale = self.raw(rgb)
        boxes, scores, classes = decode(heat, ltrb, self.stride, min_score=min_score)
        h, w = rgb.shape[:2]
        boxes = boxes / scale
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
        return [
            Detection(self.kinds[c], [round(float(v), 1) for v in b], round(float(s), 4))
            for b, s, c in zip(boxes, scores, classes)
            if b[2] - b[0] >= 1 and b[3] - b[1] >= 1
        ]

    def raw(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """The network's outputs for one photo: heat (C, G, G), ltrb (4, G, G) and the letterbox scale."""
        canvas, scale = letterbox(rgb, self.size)
        x = canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0
        heat, ltrb = self._session.run(None, {self._input: x})  # type: ignore[attr-defined]
        return heat[0], ltrb[0], scale
