"""Cover thumbnails of an index's references (`features.cover`): one row per reference position,
zeros for logos.

They let the recognizer name a blurred cover by its picture as a whole (recognize/covers.py). They
are made from the index's own media thumbnails, so an index can have them made again without its
source images. Optional: an index built before them simply goes without.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from knowyourband.features.cover import DIM, SIDE, cover_thumbnail
from knowyourband.index import rows
from knowyourband.index.locals import KINDS, LocalStore
from knowyourband.index.manifest import now, read_manifest, write_manifest

log = logging.getLogger(__name__)

COVERS = "vectors/cover-thumbnails.npy"


def of_media(jpeg: bytes) -> np.ndarray | None:
    """The cover thumbnail of a media JPEG (the index's own thumbnail of a reference); None when it
    cannot be decoded."""
    bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return None if bgr is None else cover_thumbnail(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)).astype(np.float16)


def stack(thumbnails: list[np.ndarray | None]) -> np.ndarray:
    """(R, DIM) float16 rows; logos (None) stay zero."""
    out = np.zeros((len(thumbnails), DIM), np.float16)
    for i, t in enumerate(thumbnails):
        if t is not None:
            out[i] = t
    return out


def write(index_dir: Path, matrix: np.ndarray) -> dict:
    """Save the matrix; returns the manifest entry."""
    rows.save(Path(index_dir) / COVERS, matrix)
    return {"file": COVERS, "side": SIDE, "dim": DIM}


def load(index_dir: Path, manifest: dict, references: int) -> np.ndarray | None:
    """The (R, DIM) float16 matrix (memory-mapped) when the manifest lists one of this version's
    thumbnail size, else None."""
    entry = manifest.get("covers")
    if not entry or entry.get("side") != SIDE:
        return None
    return rows.load(Path(index_dir) / entry["file"], references, DIM)


def extend(index_dir: Path, manifest: dict, references: int, thumbnails: list[np.ndarray | None]) -> dict | None:
    """Append the thumbnails of newly added references; returns the manifest entry to keep (None: the
    index goes without, because it had none)."""
    old = load(index_dir, manifest, references)
    if old is None:
        return None
    return write(index_dir, np.concatenate([old, stack(thumbnails)]))


def thumbnails_again(index_dir: str | Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Make the cover thumbnails of an existing index again from its media thumbnails (an index
    built before them). Returns how many covers have one; a cover whose media file cannot be read
    is left without (zeros, never nearest) and logged. The manifest is written last."""
    from knowyourband.index.index import LOCALS, MEDIA  # index.index loads this module

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    refs = LocalStore.load(index_dir / LOCALS, manifest["locals"]["chunks"]).refs
    covers = [i for i in range(len(refs)) if KINDS[int(refs["kind"][i])] == "album"]
    thumbnails: list[np.ndarray | None] = [None] * len(refs)
    for n, i in enumerate(covers, 1):
        path = index_dir / MEDIA / f"{int(refs['id'][i])}.jpg"
        try:
            thumbnails[i] = of_media(path.read_bytes())
        except OSError:
            pass
        if thumbnails[i] is None:
            log.warning("%s: cannot read this cover's thumbnail; it is left without a cover thumbnail", path)
        if progress:
            progress(n, len(covers))
    manifest["covers"] = write(index_dir, stack(thumbnails))
    manifest["updated"] = now()
    write_manifest(index_dir, manifest)
    return sum(thumbnails[i] is not None for i in covers)
