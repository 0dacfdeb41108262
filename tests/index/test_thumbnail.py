"""Reference thumbnails: at most 256 px, aspect kept, transparency flattened onto grey without halos."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from knowyourband.index.ingest import THUMBNAIL_SIDE, thumbnail


def _decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(np.int16)


def test_large_cover_shrinks_to_the_side_and_keeps_its_aspect() -> None:
    rgb = np.zeros((1200, 800, 3), np.uint8)
    rgb[:, :400] = (200, 30, 30)
    out = _decode(thumbnail(rgb, None))
    assert out.shape == (THUMBNAIL_SIDE, round(800 * THUMBNAIL_SIDE / 1200), 3)
    assert abs(out[128, 20, 0] - 200) < 12 and abs(out[128, -20, 0]) < 12


def test_white_ink_on_transparency_shows_on_grey_without_dark_edges() -> None:
    rgb = np.zeros((600, 1600, 3), np.uint8)  # transparent pixels are black underneath, as many PNGs store them
    alpha = np.zeros((600, 1600), np.uint8)
    alpha[200:400, 300:1300] = 255
    rgb[alpha > 0] = 255
    out = _decode(thumbnail(rgb, alpha))
    assert out.shape[1] == THUMBNAIL_SIDE
    assert abs(out[5, 5] - 128).max() < 10  # background: mid grey
    assert (out[48, 100] > 235).all()  # the ink stays white

    # A stroke thinner than a thumbnail pixel: blended with the black hidden under the transparency
    # (colour resized before alpha) it would fade to grey; premultiplied it stays light.
    rgb[:] = 0
    alpha[:] = 0
    alpha[:, 800:804] = 255
    rgb[alpha > 0] = 255
    thin = _decode(thumbnail(rgb, alpha))
    assert thin[10:-10].max(axis=1).min() > 175
