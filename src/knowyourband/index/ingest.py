"""Read one reference image: features, thumbnail, hashes. Runs in worker processes during a build."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from knowyourband.errors import KybError
from knowyourband.features import FeatureConfig, extract, reference_gray

THUMBNAIL_SIDE = 256
THUMBNAIL_QUALITY = 80


@dataclass
class Ingested:
    """One processed reference. keypoints (N, 4) float32, descriptors (N, 128) float16.

    Half floats: a build holds every descriptor until the vector index is trained (37M of them, 9.4 GB
    as float16, for 100k references). RootSIFT components lie in [0, 1], where float16 keeps three
    significant digits; the index stores 8-bit codes of them anyway. The build moves them out of the
    item as it arrives (`descriptors` is None after that).
    """

    reference_id: int
    keypoints: np.ndarray | None = None
    descriptors: np.ndarray | None = None
    width: int = 0
    height: int = 0
    sha256: str = ""
    phash: str = ""
    error: str | None = None


def dhash(gray: np.ndarray) -> str:
    """64-bit difference hash of a gray image, hex: near-identical images get near-identical hashes."""
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def thumbnail(rgb: np.ndarray, alpha: np.ndarray | None) -> bytes:
    """A JPEG of at most THUMBNAIL_SIDE px; transparency is flattened onto mid grey so white ink shows."""
    img = Image.fromarray(rgb)
    if alpha is not None:
        base = Image.new("RGB", img.size, (128, 128, 128))
        base.paste(img, mask=Image.fromarray(alpha))
        img = base
    img.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def ingest(reference_id: int, image: str, thumb_path: str, config: FeatureConfig) -> Ingested:
    """Process the reference image at `image`; write its thumbnail to `thumb_path`.

    Never raises for a bad image: the error comes back in `Ingested.error` so the build goes on.
    """
    from knowyourband.imageio import load_image

    try:
        data = Path(image).read_bytes()
        # Decoding at most twice the feature resolution skips most of a huge file's pixels.
        loaded = load_image(data, max_side=2 * config.max_side)
    except (OSError, KybError) as exc:
        return Ingested(reference_id, error=str(exc))
    gray = reference_gray(loaded.rgb, loaded.alpha)
    feats = extract(gray, config)
    if len(feats) == 0:
        return Ingested(reference_id, error="no features found: the image is blank or too small")
    kp = feats.keypoints.copy()
    # Keypoints are kept in the original image's pixels: that is the frame the outline is drawn in.
    kp[:, :3] /= loaded.scale
    Path(thumb_path).write_bytes(thumbnail(loaded.rgb, loaded.alpha))
    return Ingested(reference_id, kp, feats.descriptors.astype(np.float16), loaded.width, loaded.height,
                    hashlib.sha256(data).hexdigest(), dhash(gray))
