"""Tiny generated references and photos for the baseline tests: textured cards no two alike."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from knowyourband.baselines.references import Reference
from knowyourband.index import build
from knowyourband.result import BandRef, ReleaseRef

N_REFS = 6


def card(seed: int, size: int = 320) -> np.ndarray:
    """A cover-like (size, size, 3) uint8 RGB image: a coloured ground, shapes and strokes, seeded."""
    rng = np.random.default_rng(seed)
    img = np.full((size, size, 3), rng.integers(0, 256, 3), np.uint8)
    for _ in range(25):
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        x, y = (int(v) for v in rng.integers(0, size, 2))
        r = int(rng.integers(8, size // 5))
        if rng.random() < 0.5:
            cv2.circle(img, (x, y), r, colour, -1)
        else:
            cv2.rectangle(img, (x, y), (x + r, y + r // 2), colour, -1)
        x2, y2 = (int(v) for v in rng.integers(0, size, 2))
        cv2.line(img, (x, y), (x2, y2), colour, int(rng.integers(1, 4)))
    return img


@pytest.fixture(scope="session")
def references(tmp_path_factory) -> list[Reference]:
    folder: Path = tmp_path_factory.mktemp("refs")
    out = []
    for i in range(N_REFS):
        path = folder / f"ref{i:05d}.png"
        cv2.imwrite(str(path), cv2.cvtColor(card(100 + i), cv2.COLOR_RGB2BGR))
        band = BandRef(id=i + 1, key=f"b{i:05d}", name=f"Band {i}")
        release = ReleaseRef(id=i + 1, key=f"r{i:05d}", title=f"Album {i}")
        out.append(Reference(i + 1, f"ref{i:05d}", "album", band, release, path))
    return out


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """A real index built from the cards by `knowyourband.index.build`."""
    src = tmp_path_factory.mktemp("source")
    (src / "images").mkdir()
    bands, releases, refs = [], [], []
    for i in range(N_REFS):
        cv2.imwrite(str(src / "images" / f"c{i}.jpg"), cv2.cvtColor(card(100 + i), cv2.COLOR_RGB2BGR))
        bands.append({"id": f"b{i:05d}", "name": f"Band {i}", "country": "Norway"})
        releases.append({"id": f"r{i:05d}", "band_id": f"b{i:05d}", "title": f"Album {i}", "year": 1990 + i})
        refs.append({"id": f"ref{i:05d}", "kind": "album", "band_id": f"b{i:05d}", "release_id": f"r{i:05d}",
                     "image": f"images/c{i}.jpg", "distractor": False, "source_url": None})
    catalog = {"format": "kyb-catalog", "version": 1, "name": "cards", "bands": bands, "releases": releases,
               "references": refs}
    (src / "catalog.json").write_text(json.dumps(catalog))
    out = tmp_path_factory.mktemp("idx") / "index"
    build(src / "catalog.json", out, workers=1)
    return out


@pytest.fixture(scope="session")
def photo_with():
    """A function making a photo with one reference's card pasted in it."""
    return _photo_with


def _photo_with(ref_index: int, at: tuple[int, int] = (500, 250), side: int = 360) -> np.ndarray:
    """A 1200x900 RGB photo: a plain grey-noise table with reference `ref_index` pasted at `at`."""
    rng = np.random.default_rng(7)
    photo = rng.integers(90, 130, (900, 1200, 3)).astype(np.uint8)
    photo = cv2.GaussianBlur(photo, (0, 0), 3)
    x, y = at
    photo[y:y + side, x:x + side] = cv2.resize(card(100 + ref_index), (side, side), interpolation=cv2.INTER_AREA)
    return photo
