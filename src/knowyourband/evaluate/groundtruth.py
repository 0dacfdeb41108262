"""Benchmark ground truth: read `annotations.json` (docs/formats.md) into photos and their objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from knowyourband.errors import KybError
from knowyourband.evaluate.metrics import xywh_to_xyxy

KINDS = ("album", "logo")


class BenchmarkError(KybError):
    """A benchmark folder or its annotations cannot be used."""


@dataclass
class GtObject:
    kind: str  # "album" | "logo"
    box: list[float]  # [x0, y0, x1, y1], upright photo pixels
    identity: str  # release id for an album, band id for a logo (what a recognizer must name)
    reference_id: str | None = None
    quad: list[list[float]] | None = None  # the reference's corners TL, TR, BR, BL in the photo, if known


@dataclass
class Photo:
    id: int
    file_name: str
    width: int
    height: int
    scene: str = "unknown"
    difficulty: str = "unknown"
    objects: list[GtObject] = field(default_factory=list)


@dataclass
class Benchmark:
    root: Path
    photos: list[Photo]
    info: dict
    sha256: str  # of annotations.json, so cached predictions can tell which benchmark made them

    def path(self, photo: Photo) -> Path:
        return self.root / photo.file_name


def identity_of(kind: str, band_id: str | None, release_id: str | None) -> str | None:
    """The key an object is judged by: an album's release, a logo's band (any of its logos)."""
    return release_id if kind == "album" else band_id


def load_benchmark(bench_dir: Path | str, limit: int | None = None) -> Benchmark:
    """Read `BENCH_DIR/annotations.json`; photos in id order, the first `limit` of them if given."""
    root = Path(bench_dir)
    path = root / "annotations.json"
    if not path.is_file():
        raise BenchmarkError(
            f"{path} not found: a benchmark folder holds photos and annotations.json (make one with `kyb synth photos`)"
        )
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
        photos = {
            int(im["id"]): Photo(
                id=int(im["id"]),
                file_name=im["file_name"],
                width=int(im["width"]),
                height=int(im["height"]),
                scene=im.get("scene") or "unknown",
                difficulty=im.get("difficulty") or "unknown",
            )
            for im in data["images"]
        }
        for ann in data.get("annotations", []):
            kind = ann["kind"]
            if kind not in KINDS:
                raise BenchmarkError(f"{path}: annotation {ann.get('id')} has kind {kind!r}, not album or logo")
            identity = identity_of(kind, ann.get("band_id"), ann.get("release_id"))
            if not identity:
                raise BenchmarkError(
                    f"{path}: annotation {ann.get('id')} ({kind}) lacks its "
                    f"{'release_id' if kind == 'album' else 'band_id'}"
                )
            photos[int(ann["image_id"])].objects.append(
                GtObject(kind, xywh_to_xyxy(ann["bbox"]), identity, ann.get("reference_id"), ann.get("quad"))
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise BenchmarkError(f"{path} is not a valid annotations file ({exc!r}); see docs/formats.md") from exc
    ordered = [photos[k] for k in sorted(photos)]
    if limit is not None:
        ordered = ordered[: max(limit, 0)]
    info = {k: v for k, v in data.items() if k in ("info", "catalog")}
    return Benchmark(root, ordered, info, hashlib.sha256(raw).hexdigest())
