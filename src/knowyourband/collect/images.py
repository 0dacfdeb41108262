"""Check downloaded image bytes and store them where the catalogue expects them."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from knowyourband.collect.files import atomic_write_bytes

log = logging.getLogger(__name__)

# Formats stored as they came; anything else (GIF, WebP, BMP) is re-encoded as PNG so OpenCV reads it.
KEEP_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}
MAX_PIXELS = 40_000_000  # a logo or cover larger than this is a decompression bomb, not a picture


def decode(data: bytes) -> Image.Image | None:
    """The image in `data`, fully loaded, or None when it is not a readable image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                return None
            probe.load()
            return _with_format(probe)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _with_format(image: Image.Image) -> Image.Image:
    copy = image.copy()
    copy.format = image.format  # copy() drops it; `store` needs it to keep the original bytes
    return copy


def store(data: bytes, image: Image.Image, stem: Path) -> Path:
    """Write the image to `stem` + its extension: original bytes for JPEG/PNG, else re-encoded PNG."""
    ext = KEEP_FORMATS.get(image.format or "")
    if ext is not None:
        path = stem.with_suffix(ext)
        atomic_write_bytes(path, data)
        return path
    path = stem.with_suffix(".png")
    buffer = io.BytesIO()
    image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB").save(buffer, "PNG")
    atomic_write_bytes(path, buffer.getvalue())
    return path


def save_crop(image: Image.Image, box: tuple[int, int, int, int], stem: Path) -> Path:
    """Write the `(x0, y0, x1, y1)` crop of `image` as PNG (lossless: a logo's thin strokes survive)."""
    path = stem.with_suffix(".png")
    buffer = io.BytesIO()
    crop = image.crop(box)
    crop.convert("RGBA" if "A" in crop.getbands() else "RGB").save(buffer, "PNG")
    atomic_write_bytes(path, buffer.getvalue())
    return path


def grey_array(image: Image.Image) -> np.ndarray:
    """`(H, W) uint8` grey version of `image`, transparent pixels painted white (MA logos are often PNG with alpha)."""
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.asarray(image.convert("L"), dtype=np.uint8)
