"""The FAISS index of every reference descriptor: factory choice, training, search, mmap loading."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from knowyourband.errors import IndexFormatError

log = logging.getLogger(__name__)

DIM = 128
TRAIN_SAMPLE = 120_000  # at least this many training points (or 40 a list); more only costs build time
ADD_BLOCK = 1_000_000  # descriptors converted to float32 and added at a time (512 MB)
# Searches run one OpenMP thread: the recognizer already searches both polarities side by side, and
# servers run one request a core.
THREADS = 1


def _faiss():
    import faiss

    faiss.omp_set_num_threads(THREADS)
    return faiss


@contextmanager
def _threads(n: int):
    """FAISS with `n` OpenMP threads for one bulk step of a build (k-means, adding), then back."""
    faiss = _faiss()
    faiss.omp_set_num_threads(max(1, n))
    try:
        yield faiss
    finally:
        faiss.omp_set_num_threads(THREADS)


# Links per centroid of the HNSW coarse quantizer. With a flat quantizer, finding the lists to probe
# cost as much as scanning them at 10k references (41 of 85 ms for 2,000 query descriptors), and it
# grows with the list count; the graph finds them 2.5x faster (docs/engine.md).
QUANTIZER_LINKS = 32
MAX_LIST = 1024  # average codes a list, at most


def factory_for(n_vectors: int, pca: int = 64) -> str:
    """FAISS factory string for `n_vectors` descriptors.

    PCA to 64 dimensions + 8-bit scalar codes: 64 bytes a descriptor. The inverted file's list count
    grows as 4 sqrt(N), rounded to a power of two, and at least N / MAX_LIST so that a probe scans at
    most ~MAX_LIST codes on average: rounded alone, 27.9M descriptors (large-100k) got 16,384 lists of
    ~1,700 codes and searched ~4x slower per query than large-10k (docs/engine.md). The lists to
    probe are found through an HNSW graph of the centroids (k-means itself still assigns exactly).
    """
    nlist = int(2 ** round(np.log2(max(64.0, 4.0 * np.sqrt(max(n_vectors, 1))))))
    nlist = max(nlist, int(2 ** np.ceil(np.log2(max(n_vectors / MAX_LIST, 1.0)))))
    # k-means wants ~40 training points a centroid; tiny catalogues get fewer lists.
    while nlist > 1 and nlist * 40 > n_vectors:
        nlist //= 2
    return f"PCA{pca},IVF{nlist}_HNSW{QUANTIZER_LINKS},SQ8"


def train(sample: np.ndarray, factory: str, threads: int = THREADS):
    """A trained, empty FAISS index for (M, 128) descriptors (any float type), trained on a sample."""
    faiss = _faiss()

    index = faiss.index_factory(DIM, factory, faiss.METRIC_L2)
    rng = np.random.default_rng(0)
    nlist = faiss.extract_index_ivf(index).nlist
    size = max(TRAIN_SAMPLE, 40 * nlist)  # k-means wants ~40 points a centroid
    if len(sample) > size:
        sample = sample[rng.choice(len(sample), size, replace=False)]
    if len(sample) < nlist:
        raise ValueError(f"{len(sample)} training descriptors cannot train {nlist} lists")
    with _threads(threads):
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index


def add(index, descriptors: np.ndarray, first_row: int, threads: int = THREADS) -> None:
    """Append (N, 128) descriptors (any float type) as global rows first_row .. first_row + N - 1.

    In blocks, so that only one block at a time is converted to the float32 FAISS wants."""
    with _threads(threads):
        for start in range(0, len(descriptors), ADD_BLOCK):
            block = np.ascontiguousarray(descriptors[start: start + ADD_BLOCK], dtype=np.float32)
            ids = np.arange(first_row + start, first_row + start + len(block), dtype=np.int64)
            index.add_with_ids(block, ids)


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
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP if mmap else 0)
    except RuntimeError as exc:
        raise IndexFormatError(f"{path}: truncated or damaged vector index; rebuild the index ({exc})") from exc
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
    if isinstance(lists, faiss.OnDiskInvertedLists):
        # Mapped lists are read ahead of every search by 32 threads of FAISS's own, started per call.
        # A crop's search is a few hundred queries, and on 2 cores those threads cost far more than
        # the page faults they spare: at 10k references, 150-query searches on two threads took
        # 83 -> 45 us a query without them (docs/engine.md).
        lists.prefetch_nthread = 0
    return index


def search(index, queries: np.ndarray, k: int, nprobe: int, quantizer_ef: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """k nearest rows of (Q, 128) float32 queries -> squared distances (Q, k), rows (Q, k) int64.

    `quantizer_ef`: candidate list of the HNSW coarse quantizer's search (at least `nprobe`); indexes
    built with a flat quantizer ignore it. Parameters go with the call, so threads may differ.
    """
    faiss = _faiss()

    if len(queries) == 0:
        return np.zeros((0, k), np.float32), np.zeros((0, k), np.int64)
    # SWIG does not keep nested parameter objects alive: each one stays bound to a name until the search ends.
    ivf_params = faiss.SearchParametersIVF(nprobe=nprobe)
    hnsw_params = faiss.SearchParametersHNSW(efSearch=max(quantizer_ef, nprobe))
    if isinstance(faiss.downcast_index(faiss.extract_index_ivf(index).quantizer), faiss.IndexHNSW):
        ivf_params.quantizer_params = hnsw_params
    params = ivf_params
    if isinstance(index, faiss.IndexPreTransform):
        params = faiss.SearchParametersPreTransform(index_params=ivf_params)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
