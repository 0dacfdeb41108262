"""A loaded index directory: manifest, catalogue, vector index, local keypoints, thumbnails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.errors import CatalogError, IndexFormatError
from knowyourband.index import covers, embeddings, vectors
from knowyourband.index.locals import KINDS, LocalStore
from knowyourband.index.manifest import read_manifest

CATALOG = "catalog.sqlite"
VECTORS = "vectors/descriptors.faiss"
LOCALS = "locals"
MEDIA = "media"


@dataclass
class Index:
    """Everything a recognizer (ours or a baseline) reads from an index directory, loaded once.

    The vector index and keypoints are memory-mapped, so several server workers share one copy in
    the page cache; the catalogue is opened read-only.
    """

    path: Path
    manifest: dict[str, Any]
    catalog: Catalog
    vectors: Any  # faiss.Index
    locals: LocalStore
    logo_embeddings: np.ndarray | None = None  # (R, dim) float16 by reference position (index.embeddings)
    cover_thumbnails: np.ndarray | None = None  # (R, DIM) float16 by reference position (index.covers)

    @classmethod
    def open(cls, path: str | Path, mmap: bool = True) -> "Index":
        path = Path(path)
        manifest = read_manifest(path)
        try:
            catalog = Catalog.open(path / CATALOG, readonly=True)
        except CatalogError as exc:
            raise IndexFormatError(str(exc)) from exc
        store = LocalStore.load(path / LOCALS, manifest["locals"]["chunks"], mmap=mmap)
        index = vectors.load(path / VECTORS, mmap=mmap)
        if index.ntotal != store.total:
            raise IndexFormatError(f"{path}: the vector index holds {index.ntotal} descriptors but the keypoint "
                                   f"store {store.total}; the index is damaged, rebuild it")
        n = len(store.refs)
        return cls(path, manifest, catalog, index, store, embeddings.load(path, manifest, n),
                   covers.load(path, manifest, n))

    @property
    def media(self) -> Path:
        return self.path / MEDIA

    def kinds(self) -> np.ndarray:
        """(R,) str kind of each reference position."""
        return np.array(KINDS)[self.locals.refs["kind"]]

    def close(self) -> None:
        self.catalog.close()
