"""A tiny benchmark folder drawn in the test: flat 'covers' and text 'logos' on noisy backgrounds."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest


def draw_photo(rng: np.random.Generator, width: int = 400, height: int = 300) -> tuple[np.ndarray, list[dict]]:
    """An RGB photo (H, W, 3) uint8 with one textured square 'album' and one text 'logo'."""
    img = rng.integers(60, 120, size=(height, width, 3), dtype=np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    objects = []
    side = int(rng.integers(80, 140))
    x, y = int(rng.integers(0, width // 2 - side // 2)), int(rng.integers(0, height - side))
    cover = rng.integers(0, 255, size=(8, 8, 3), dtype=np.uint8)
    img[y : y + side, x : x + side] = cv2.resize(cover, (side, side), interpolation=cv2.INTER_NEAREST)
    objects.append({"kind": "album", "bbox": [x, y, side, side]})
    text = "".join(rng.choice(list("NECROTHRONVL"), size=6))
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_TRIPLEX, 1.0, 2)
    lx, ly = int(rng.integers(width // 2, width - tw)), int(rng.integers(th + 4, height - base - 4))
    cv2.putText(img, text, (lx, ly), cv2.FONT_HERSHEY_TRIPLEX, 1.0, (240, 240, 240), 2, cv2.LINE_AA)
    objects.append({"kind": "logo", "bbox": [lx, ly - th, tw, th + base]})
    return img, objects


def write_bench(root: Path, count: int, seed: int) -> Path:
    """Write `count` drawn photos and their annotations.json (docs/formats.md) into `root`."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    images, annotations = [], []
    for i in range(1, count + 1):
        rgb, objects = draw_photo(rng)
        name = f"{i:06d}.jpg"
        cv2.imwrite(str(root / name), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        images.append({"id": i, "file_name": name, "width": rgb.shape[1], "height": rgb.shape[0],
                       "scene": "none", "difficulty": "easy", "exif_orientation": 1})
        for obj in objects:
            x, y, w, h = obj["bbox"]
            annotations.append({"id": len(annotations) + 1, "image_id": i, "kind": obj["kind"],
                                "category_id": 1 if obj["kind"] == "album" else 2,
                                "reference_id": None, "band_id": "b00001",
                                "release_id": "r00001" if obj["kind"] == "album" else None,
                                "bbox": [x, y, w, h], "area": float(w * h), "occluded": 0.0})
    (root / "annotations.json").write_text(json.dumps({
        "info": {"generator": "tests/detect", "seed": seed, "count": count},
        "catalog": None,
        "categories": [{"id": 1, "name": "album"}, {"id": 2, "name": "logo"}],
        "images": images, "annotations": annotations,
    }))
    return root


@pytest.fixture(scope="session")
def tiny_bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bench(tmp_path_factory.mktemp("bench"), count=6, seed=3)


@pytest.fixture
def drawn_photo() -> np.ndarray:
    """A 640×480 drawn photo (H, W, 3) uint8."""
    return draw_photo(np.random.default_rng(1), width=640, height=480)[0]
