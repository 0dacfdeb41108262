"""Training photos from a KYB-Synth benchmark folder, cached small, with seeded augmentation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from knowyourband.detect.boxes import PAD_VALUE, letterbox
from knowyourband.detect.train.model import KINDS
from knowyourband.evaluate.groundtruth import load_benchmark
from knowyourband.imageio import load_image

log = logging.getLogger(__name__)

CACHE_MARGIN = 1.25  # photos are cached this much larger than the input, so zooming in stays sharp
MIN_VISIBLE = 0.4  # an augmented crop keeps a box only if this share of it stays in view
JPEG_QUALITY = 92


@dataclass
class Sample:
    """One photo: its cached pixels (JPEG bytes) and boxes (N, 4) in those pixels, classes (N,)."""

    name: str
    jpeg: bytes
    boxes: np.ndarray
    classes: np.ndarray


def load_samples(bench_dir: Path | str, input_size: int) -> list[Sample]:
    """Read every photo of a benchmark folder, shrunk so its long side is input_size × CACHE_MARGIN.

    The pixels are kept JPEG-encoded in memory: 1,000 photos take ~50 MB instead of ~500 MB.
    """
    bench = load_benchmark(bench_dir)
    side = round(input_size * CACHE_MARGIN)
    samples = []
    for photo in bench.photos:
        img = load_image(bench.path(photo), max_side=side)
        rgb = img.rgb
        scale = side / max(rgb.shape[:2])
        if scale < 1:
            rgb = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        # Annotation pixels are the upright original's; map them onto the cached pixels.
        to_cache = rgb.shape[1] / photo.width
        boxes = np.asarray([o.box for o in photo.objects], np.float32).reshape(-1, 4) * to_cache
        classes = np.asarray([KINDS.index(o.kind) for o in photo.objects], np.int64)
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            raise RuntimeError(f"could not re-encode {photo.file_name}")
        samples.append(Sample(photo.file_name, buf.tobytes(), boxes, classes))
    log.info("loaded %d photos from %s (cached at %d px)", len(samples), bench_dir, side)
    return samples


def decode(sample: Sample) -> np.ndarray:
    """The cached photo as (H, W, 3) uint8 RGB."""
    bgr = cv2.imdecode(np.frombuffer(sample.jpeg, np.uint8), cv2.IMREAD_COLOR)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def plain(sample: Sample, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The photo exactly as inference sees it: letterboxed. Returns (size, size, 3), boxes, classes."""
    canvas, scale = letterbox(decode(sample), size)
    return canvas, sample.boxes * scale, sample.classes


def augmented(
    sample: Sample, size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A randomly zoomed, shifted and recoloured view of the photo in a size × size canvas.

    Zoom covers 0.6×–1.6× of the letterbox scale, so objects are seen smaller and larger than
    at inference; colour jitter stands in for other cameras, lights and print processes.
    Returns canvas (size, size, 3) uint8, boxes (K, 4) float32 and classes (K,) int64.
    """
    rgb = decode(sample)
    h, w = rgb.shape[:2]
    scale = size / max(h, w) * float(np.exp(rng.uniform(np.log(0.6), np.log(1.6))))
    sw, sh = w * scale, h * scale
    # Shift anywhere that keeps the canvas covered where the photo is larger, inside it where smaller.
    tx = rng.uniform(min(0.0, size - sw), max(0.0, size - sw))
    ty = rng.uniform(min(0.0, size - sh), max(0.0, size - sh))
    matrix = np.float32([[scale, 0, tx], [0, scale, ty]])
    canvas = cv2.warpAffine(
        rgb, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
        borderValue=(PAD_VALUE,) * 3,
    )
    boxes = sample.boxes * scale + np.float32([tx, ty, tx, ty])
    clipped = boxes.clip(0, size)
    short_side = np.minimum(clipped[:, 2] - clipped[:, 0], clipped[:, 3] - clipped[:, 1])
    keep = (_area(clipped) >= MIN_VISIBLE * _area(boxes)) & (short_side >= 3)
    return _recolour(canvas, rng), clipped[keep], sample.classes[keep]


def _area(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]).clip(0) * (boxes[:, 3] - boxes[:, 1]).clip(0)


def _recolour(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = rgb.astype(np.float32)
    gray = x.mean(axis=2, keepdims=True)
    x = gray + (x - gray) * rng.uniform(0.6, 1.4)  # saturation
    x = (x - 128) * rng.uniform(0.7, 1.3) + 128 + rng.uniform(-25, 25)  # contrast, brightness
    x *= rng.uniform(0.9, 1.1, size=3)  # white balance
    if rng.random() < 0.2:
        x = cv2.GaussianBlur(x, (0, 0), rng.uniform(0.5, 1.2))
    return x.clip(0, 255).astype(np.uint8)


def split(samples: list[Sample], val_fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Seeded train/validation split by photo."""
    order = np.random.default_rng(seed).permutation(len(samples))
    n_val = max(1, round(len(samples) * val_fraction)) if len(samples) > 1 else 0
    return [samples[i] for i in order[n_val:]], [samples[i] for i in order[:n_val]]
