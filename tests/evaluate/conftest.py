"""Helpers for the evaluation tests: hand-made results and ground truth."""

from __future__ import annotations

import pytest

from knowyourband.evaluate.groundtruth import GtObject, Photo
from knowyourband.result import BandRef, Candidate, RecognizedObject, ReleaseRef, Result, UnknownRegion


def band(key: str) -> BandRef:
    return BandRef(id=int(key[1:]), key=key, name=f"Band {key}")


def release(key: str) -> ReleaseRef:
    return ReleaseRef(id=int(key[1:]), key=key, title=f"Album {key}")


def obj(kind: str, box, key: str, score: float = 0.9, band_key: str = "b00001", candidates=()) -> RecognizedObject:
    """An identified object: `key` is the release for an album, the band for a logo."""
    b = band(key if kind == "logo" else band_key)
    r = release(key) if kind == "album" else None
    cands = [
        Candidate(
            reference_id=i,
            reference_key=f"ref{i}",
            band=band(c if kind == "logo" else band_key),
            release=release(c) if kind == "album" else None,
            score=score,
        )
        for i, c in enumerate(candidates or [key])
    ]
    x0, y0, x1, y1 = box
    return RecognizedObject(
        kind=kind,
        score=score,
        inliers=50,
        box=list(box),
        quad=[[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
        reference_id=1,
        reference_key="ref1",
        band=b,
        release=r,
        candidates=cands,
    )


def unknown(kind: str, box, score: float = 0.5) -> UnknownRegion:
    return UnknownRegion(kind=kind, box=list(box), score=score)


def result(*objects, unknowns=()) -> Result:
    return Result(width=1000, height=800, objects=list(objects), unknown=list(unknowns), timing_ms={"total": 1.0})


def photo(pid: int, *gts: tuple, scene: str = "poster", difficulty: str = "easy") -> Photo:
    """gts: (kind, [x0, y0, x1, y1], identity) tuples."""
    return Photo(
        id=pid,
        file_name=f"{pid:06d}.png",
        width=1000,
        height=800,
        scene=scene,
        difficulty=difficulty,
        objects=[GtObject(k, list(b), i) for k, b, i in gts],
    )


class Make:
    obj = staticmethod(obj)
    unknown = staticmethod(unknown)
    result = staticmethod(result)
    photo = staticmethod(photo)


@pytest.fixture
def make() -> type[Make]:
    return Make


def _draw_cover(rng, size: int = 360):
    """A distinctive cover: random rectangles, circles and lines give SIFT plenty to match."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 255, 3)))
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x0, y0 = rng.integers(0, size - 20, 2)
        w, h = rng.integers(10, size // 3, 2)
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        shape = rng.integers(0, 3)
        if shape == 0:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=colour)
        elif shape == 1:
            draw.ellipse([x0, y0, x0 + w, y0 + h], outline=colour, width=3)
        else:
            draw.line([x0, y0, x0 + w, y0 + h], fill=colour, width=4)
    return img


@pytest.fixture(scope="session")
def real_bench(tmp_path_factory) -> tuple:
    """A real index of 3 drawn covers and a 4-photo benchmark (3 covers pasted on noise, 1 empty).

    Returns (index_dir, bench_dir). Built once per session: the index build is the slow part.
    """
    import json

    import numpy as np
    from PIL import Image

    from knowyourband.index import build

    root = tmp_path_factory.mktemp("real_bench")
    rng = np.random.default_rng(5)
    (root / "catalog" / "covers").mkdir(parents=True)
    bands, releases, refs = [], [], []
    for i in range(1, 4):
        _draw_cover(rng).save(root / "catalog" / "covers" / f"ref{i:05d}.png")
        bands.append({"id": f"b{i:05d}", "name": f"Band {i}"})
        releases.append({"id": f"r{i:05d}", "band_id": f"b{i:05d}", "title": f"Album {i}"})
        refs.append(
            {
                "id": f"ref{i:05d}",
                "kind": "album",
                "band_id": f"b{i:05d}",
                "release_id": f"r{i:05d}",
                "image": f"covers/ref{i:05d}.png",
                "distractor": False,
            }
        )
    (root / "catalog" / "catalog.json").write_text(
        json.dumps(
            {
                "format": "kyb-catalog",
                "version": 1,
                "name": "eval test",
                "bands": bands,
                "releases": releases,
                "references": refs,
            }
        )
    )
    build(root / "catalog" / "catalog.json", root / "index", workers=1)
    photos = root / "photos"
    photos.mkdir()
    images, annotations = [], []
    for i in range(1, 5):
        canvas = Image.fromarray((rng.random((480, 640, 3)) * 80 + 90).astype(np.uint8))
        if i <= 3:
            cover = Image.open(root / "catalog" / "covers" / f"ref{i:05d}.png").resize((240, 240))
            canvas.paste(cover, (100 + 30 * i, 120))
            annotations.append(
                {
                    "id": i,
                    "image_id": i,
                    "kind": "album",
                    "category_id": 1,
                    "reference_id": f"ref{i:05d}",
                    "band_id": f"b{i:05d}",
                    "release_id": f"r{i:05d}",
                    "bbox": [100 + 30 * i, 120, 240, 240],
                }
            )
        canvas.save(photos / f"{i:06d}.jpg", quality=92)
        images.append(
            {
                "id": i,
                "file_name": f"{i:06d}.jpg",
                "width": 640,
                "height": 480,
                "scene": "cd_table" if i <= 3 else "none",
                "difficulty": "easy",
            }
        )
    (photos / "annotations.json").write_text(json.dumps({"images": images, "annotations": annotations}))
    return root / "index", photos
