"""Learned album/logo detector: ONNX inference here, training (torch) in `detect.train`."""

from knowyourband.detect.detector import Detection, Detector, DetectorError

__all__ = ["Detection", "Detector", "DetectorError"]
