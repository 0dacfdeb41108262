"""The FAISS index of every reference descriptor: factory choice, training, search, mmap loading."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from knowyourband.errors import IndexFormatError

log = logging.getLogger(__name__)

DIM = 128
TRAIN_SAMPLE = 120_000  # at least this many training points (or 40 a list); more only costs build time
# FAISS's OpenMP threads spin while waiting; on a shared 2-core machine two threads made a small
# k-means 170x slower (8.5 s vs 0.05 s) than one. Parallelism comes from processes instead.
THREADS = 1


def _faiss():
    import faiss

    faiss.omp_set_num_threads(THREADS)
    return faiss


def factory_for(n_vectors: int, pca: int = 64) -> str:
    """FAISS factory string for `n_vectors` descriptors.

    PCA to 64 dimensions + 8-bit scalar codes: 64 bytes a descriptor. The inverted file's list count
    grows as 4 sqrt(N) so a probe scans a few hundred codes at any catalogue size.
    """
    nlist = int(2 ** round(np.log2(max(64.0, 4.0 * np.sqrt(max(n_vectors, 1))))))
    # k-means wants ~40 training points a centroid; tiny catalogues get fewer lists.
    while nlist > 1 and nlist * 40 > n_vectors:
        nlist //= 2
    return f"PCA{pca},IVF{nlist},SQ8"


def train(sample: np.ndarray, factory: str):
    """A trained, empty FAISS index for (M, 128) float32 descriptors."""
    faiss = _faiss()

    index = faiss.index_factory(DIM, factory, faiss.METRIC_L2)
    rng = np.random.default_rng(0)
    nlist = faiss.extract_index_ivf(index).nlist
    size = max(TRAIN_SAMPLE, 40 * nlist)  # k-means wants ~40 points a centroid
    if len(sample) > size:
        sample = sample[rng.choice(len(sample), size, replace=False)]
    if len(sample) < nlist:
        raise ValueError(f"{len(sample)} training descriptors cannot train {nlist} lists")
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index


def add(index, descriptors: np.ndarray, first_row: int) -> None:
    """Append (N, 128) descriptors as global rows first_row .. first_row + N - 1."""
    ids = np.arange(first_row, first_row + len(descriptors), dtype=np.int64)
    index.add_with_ids(np.ascontiguousarray(descriptors, dtype=np.float32), ids)


def save(index, path: Path) -> None:
    faiss = _faiss()

    tmp = path.with_suffix(".tmp")
    faiss.write_index(index, str(tmp))
    tmp.replace(path)


def load(path: Path, mmap: bool = True):
    """Read a FAISS index; with `mmap` its inverted lists stay on disk, shared by every process."""
    faiss = _faiss()

    if not path.is_file():
        raise IndexFormatError(f"{path}: missing vector index; the index is incomplete, rebuild it")
    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP if mmap else 0)
    except RuntimeError as exc:
        raise IndexFormatError(f"{path}: truncated or damaged vector index; rebuild the index ({exc})") from exc


def search(index, queries: np.ndarray, k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray]:
    """k nearest rows of (Q, 128) float32 queries -> squared distances (Q, k), rows (Q, k) int64."""
    faiss = _faiss()

    faiss.extract_index_ivf(index).nprobe = nprobe
    if len(queries) == 0:
        return np.zeros((0, k), np.float32), np.zeros((0, k), np.int64)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
