"""Drawing helpers for the engine tests: made-up logos, covers and catalogues (seeded; no fonts, no downloads)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np


def draw_logo(seed: int, width: int = 640, height: int = 220) -> np.ndarray:
    """A made-up black-on-white logo (H, W) uint8: random thick polylines, arcs and spikes."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 255, np.uint8)
    for _ in range(9):
        pts = np.stack([rng.uniform(20, width - 20, 5), rng.uniform(20, height - 20, 5)], axis=1).astype(np.int32)
        cv2.polylines(img, [pts], False, 0, int(rng.integers(3, 9)))
    for _ in range(5):
        centre = (int(rng.uniform(40, width - 40)), int(rng.uniform(40, height - 40)))
        axes = (int(rng.uniform(10, 60)), int(rng.uniform(10, 40)))
        cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, float(rng.uniform(90, 300)), 0, 5)
    return img


def draw_cover(seed: int, side: int = 600) -> np.ndarray:
    """A made-up album cover (S, S, 3) uint8: coloured shapes over a noisy texture."""
    rng = np.random.default_rng(seed)
    img = cv2.resize(rng.integers(0, 255, (12, 12, 3), dtype=np.uint8), (side, side), interpolation=cv2.INTER_CUBIC)
    for _ in range(25):
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        p = rng.integers(0, side, 4)
        if rng.random() < 0.5:
            cv2.rectangle(img, (int(p[0]), int(p[1])), (int(p[2]), int(p[3])), colour, int(rng.integers(-1, 6)) or -1)
        else:
            cv2.circle(img, (int(p[0]), int(p[1])), int(rng.integers(10, side // 5)), colour, int(rng.integers(2, 8)))
    noise = rng.normal(0, 10, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def write_catalog(folder: Path, logos: int, covers: int, seed: int = 0, *, white_png: bool = False,
                  prefix: str = "") -> Path:
    """Write `folder/catalog.json` with `logos` logo references and `covers` album references.

    With `white_png`, the first logo is stored as white ink on a transparent PNG.
    """
    from PIL import Image

    (folder / "images").mkdir(parents=True, exist_ok=True)
    bands, releases, refs = [], [], []
    for i in range(max(logos, covers)):
        bands.append({"id": f"{prefix}b{i}", "name": f"{prefix}Band {i}", "country": "Norway"})
    for i in range(logos):
        gray = draw_logo(seed * 1000 + i)
        path = folder / "images" / f"{prefix}logo{i}.png"
        if white_png and i == 0:
            rgba = np.zeros(gray.shape + (4,), np.uint8)
            rgba[..., :3] = 255
            rgba[..., 3] = 255 - gray
            Image.fromarray(rgba, "RGBA").save(path)
        else:
            Image.fromarray(gray).save(path)
        refs.append({"id": f"{prefix}logo{i}", "kind": "logo", "band_id": f"{prefix}b{i}", "release_id": None,
                     "image": f"images/{path.name}"})
    for i in range(covers):
        path = folder / "images" / f"{prefix}cover{i}.jpg"
        Image.fromarray(draw_cover(seed * 1000 + 500 + i)).save(path, quality=92)
        releases.append({"id": f"{prefix}r{i}", "band_id": f"{prefix}b{i}", "title": f"Album {i}", "year": 1990 + i})
        refs.append({"id": f"{prefix}cover{i}", "kind": "album", "band_id": f"{prefix}b{i}",
                     "release_id": f"{prefix}r{i}", "image": f"images/{path.name}"})
    catalog = {"format": "kyb-catalog", "version": 1, "name": "engine test", "bands": bands,
               "releases": releases, "references": refs}
    (folder / "catalog.json").write_text(json.dumps(catalog))
    return folder / "catalog.json"
