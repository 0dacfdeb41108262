"""Write a trained detector as the ONNX file `Detector.open` reads."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import torch

from knowyourband.detect.train.model import KINDS, DetectorNet, ExportWrapper
from knowyourband.onnxmodel import OPSET, save_model

log = logging.getLogger(__name__)


def export_onnx(net: DetectorNet, path: Path, size: int, extra_meta: dict[str, str] | None = None) -> Path:
    """Export `net` for a fixed `size` × `size` input, with the metadata inference needs.

    The graph takes `image` (1, 3, size, size) float32 RGB in [0, 1] and returns `heat`
    (1, C, G, G) probabilities and `ltrb` (1, 4, G, G) edge distances in input pixels.
    """
    was_training = net.training
    net.eval()
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter (dynamo=False) needs no onnxscript, which the train extra lacks;
        # its deprecation warnings say nothing a user can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            ExportWrapper(net),
            torch.zeros(1, 3, size, size),
            buffer,
            dynamo=False,
            opset_version=OPSET,
            input_names=["image"],
            output_names=["heat", "ltrb"],
        )
    net.train(was_training)
    meta = {
        "kyb_format": "detector-v1",
        "size": str(size),
        "stride": str(net.config.stride),
        "kinds": ",".join(KINDS),
        **(extra_meta or {}),
    }
    path = save_model(buffer.getvalue(), path, meta)
    log.info("exported %s (%.1f MB)", path, path.stat().st_size / 1e6)
    return path
