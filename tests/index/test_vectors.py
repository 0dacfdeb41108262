"""The FAISS layer: the HNSW coarse quantizer finds the neighbours the exact one does, and indexes
built before it (flat quantizer) still search."""

from __future__ import annotations

import numpy as np

from knowyourband.index import vectors


def _clustered(n: int, seed: int) -> np.ndarray:
    """SIFT-like data: non-negative, in clusters, so that lists and neighbours mean something."""
    rng = np.random.default_rng(seed)
    centres = rng.random((200, vectors.DIM), dtype=np.float32)
    points = centres[rng.integers(0, len(centres), n)] + 0.05 * rng.standard_normal((n, vectors.DIM)).astype(np.float32)
    return np.abs(points).astype(np.float32)


def test_factory_finds_lists_through_an_hnsw_graph() -> None:
    assert vectors.factory_for(480_000) == f"PCA64,IVF2048_HNSW{vectors.QUANTIZER_LINKS},SQ8"
    assert vectors.factory_for(4_100_000) == f"PCA64,IVF8192_HNSW{vectors.QUANTIZER_LINKS},SQ8"
    # At large-100k's size the nearest power of 4 sqrt(N) would leave ~1,700 codes a list.
    assert vectors.factory_for(27_934_564) == f"PCA64,IVF32768_HNSW{vectors.QUANTIZER_LINKS},SQ8"


def test_hnsw_quantizer_agrees_with_the_flat_one() -> None:
    data, queries = _clustered(20_000, 1), _clustered(500, 2)
    found = {}
    for factory in ("PCA64,IVF128,SQ8", f"PCA64,IVF128_HNSW{vectors.QUANTIZER_LINKS},SQ8"):
        index = vectors.train(data, factory)
        vectors.add(index, data, 0)
        D, I = vectors.search(index, queries, k=6, nprobe=8, quantizer_ef=16)
        assert I.shape == (500, 6) and (I >= 0).all() and (np.diff(D, axis=1) >= 0).all()
        found[factory] = I
    flat, graph = found.values()
    shared = np.mean([len(set(a) & set(b)) / 6 for a, b in zip(flat, graph)])
    assert shared >= 0.95


def test_no_queries_give_empty_results() -> None:
    index = vectors.train(_clustered(5_000, 3), "PCA64,IVF16_HNSW8,SQ8")
    D, I = vectors.search(index, np.zeros((0, vectors.DIM), np.float32), k=6, nprobe=8)
    assert D.shape == I.shape == (0, 6)


def test_a_mapped_index_reads_its_lists_without_prefetch_threads_and_finds_the_same(tmp_path) -> None:
    import faiss

    data, queries = _clustered(5_000, 4), _clustered(200, 5)
    index = vectors.train(data, "PCA64,IVF16_HNSW8,SQ8")
    vectors.add(index, data, 0)
    vectors.save(index, tmp_path / "v.faiss")
    mapped, loaded = vectors.load(tmp_path / "v.faiss"), vectors.load(tmp_path / "v.faiss", mmap=False)
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(mapped).invlists)
    assert isinstance(lists, faiss.OnDiskInvertedLists) and lists.prefetch_nthread == 0
    assert np.array_equal(vectors.search(mapped, queries, 6, 8)[1], vectors.search(loaded, queries, 6, 8)[1])
