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
