"""A matrix with one row per reference position, saved beside the vector index: written whole
through a temporary file, read memory-mapped."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowyourband.errors import IndexFormatError


def save(path: Path, matrix: np.ndarray) -> None:
    """Save `matrix` as float16 (temp file + rename: a reader never sees half of it)."""
    tmp = path.with_name(path.stem + ".tmp.npy")
    np.save(tmp, matrix.astype(np.float16))
    tmp.replace(path)


def load(path: Path, references: int, dim: int) -> np.ndarray:
    """The first `references` rows of the (R, dim) float16 matrix at `path`, memory-mapped."""
    try:
        matrix = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise IndexFormatError(f"{path}: missing, truncated or damaged ({exc}); rebuild the index") from exc
    # More rows than references: an `add` wrote them and stopped before its manifest; they are not part
    # of the index yet.
    if matrix.ndim != 2 or matrix.shape[0] < references or matrix.shape[1] != dim:
        raise IndexFormatError(f"{path}: holds {matrix.shape} rows for {references} references; "
                               "the index is damaged, rebuild it")
    return matrix[:references]
