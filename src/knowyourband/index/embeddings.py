"""Logo embeddings of an index's references: one row per reference position, zeros for covers.

They let the closer look name a small, blurred logo its few keypoints cannot (docs/engine.md).
Optional: an index built before them, or with another embedder model, simply goes without.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.embed import Embedder, reference_glyph
from knowyourband.errors import KybError
from knowyourband.index import rows
from knowyourband.index.ingest import reference_pixels
from knowyourband.index.locals import KINDS, LocalStore
from knowyourband.index.manifest import now, read_manifest, write_manifest

log = logging.getLogger(__name__)

EMBEDDINGS = "vectors/logo-embeddings.npy"


def embed_references(glyphs: list[np.ndarray | None], embedder: Embedder) -> np.ndarray:
    """(R, dim) float16 embeddings of the logo glyphs; rows of covers (None) stay zero."""
    out = np.zeros((len(glyphs), embedder.dim), np.float16)
    logos = [i for i, g in enumerate(glyphs) if g is not None]
    if logos:
        out[logos] = embedder.embed(np.stack([glyphs[i] for i in logos]))
    return out


def write(index_dir: Path, matrix: np.ndarray, embedder: Embedder) -> dict:
    """Save the matrix; returns the manifest entry."""
    rows.save(Path(index_dir) / EMBEDDINGS, matrix)
    return {"file": EMBEDDINGS, "model": embedder.model_id, "dim": int(matrix.shape[1])}


def load(index_dir: Path, manifest: dict, references: int) -> np.ndarray | None:
    """The (R, dim) float16 matrix (memory-mapped) when the manifest lists one, else None."""
    entry = manifest.get("embeddings")
    return rows.load(Path(index_dir) / entry["file"], references, entry["dim"]) if entry else None


def extend(index_dir: Path, manifest: dict, references: int, glyphs: list[np.ndarray | None]) -> dict | None:
    """Append the embeddings of newly added references; returns the manifest entry to keep (None: the
    index goes without, because it had none or they came from another embedder model)."""
    old = load(index_dir, manifest, references)
    if old is None:
        return None
    embedder = Embedder.open()
    if manifest["embeddings"]["model"] != embedder.model_id:
        log.warning("%s: its logo embeddings come from another embedder model; they are dropped "
                    "(`kyb index embed %s` makes them again)", index_dir, index_dir)
        return None
    return write(index_dir, np.concatenate([old, embed_references(glyphs, embedder)]), embedder)


def _glyph(image: str, max_side: int) -> np.ndarray | None:
    """A logo reference's glyph read again from its image, as a build makes it; None when the image
    cannot be read any more. Runs in worker processes."""
    try:
        _, gray = reference_pixels(Path(image).read_bytes(), max_side)
    except (OSError, KybError):
        return None
    return reference_glyph(gray)


def embed_index(index_dir: str | Path, *, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[int, list[str]]:
    """Embed every logo reference of an existing index again with the shipped embedder: for an index
    built before embeddings existed, or after a new embedder model. Keypoints and vectors are left
    as they are; the manifest is written last. Returns (logos embedded, images that could not be read)."""
    from knowyourband.index.index import CATALOG, LOCALS  # index.index loads this module

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    max_side = int(manifest["features"]["reference"]["max_side"])
    refs = LocalStore.load(index_dir / LOCALS, manifest["locals"]["chunks"]).refs
    catalog = Catalog.open(index_dir / CATALOG, readonly=True)
    try:
        logos = [i for i in range(len(refs)) if KINDS[int(refs["kind"][i])] == "logo"]
        images = [catalog.reference(int(refs["id"][i])).image for i in logos]
    finally:
        catalog.close()
    glyphs: list[np.ndarray | None] = [None] * len(refs)
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for n, (i, glyph) in enumerate(zip(logos, pool.map(_glyph, images, [max_side] * len(images), chunksize=16)), 1):
            glyphs[i] = glyph
            if progress:
                progress(n, len(logos))
    unreadable = [image for i, image in zip(logos, images) if glyphs[i] is None]
    for image in unreadable:
        log.warning("%s: cannot read this logo reference any more; it is left without an embedding", image)
    embedder = Embedder.open()
    manifest["embeddings"] = write(index_dir, embed_references(glyphs, embedder), embedder)
    manifest["updated"] = now()
    write_manifest(index_dir, manifest)
    return len(logos) - len(unreadable), unreadable
