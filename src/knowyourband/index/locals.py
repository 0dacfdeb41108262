"""Compact per-reference keypoints, memory-mapped: what verification needs besides the descriptors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowyourband.errors import IndexFormatError

KINDS = ("logo", "album")
REF_DTYPE = np.dtype([("id", "<i8"), ("start", "<i8"), ("count", "<i4"),
                      ("width", "<i4"), ("height", "<i4"), ("kind", "u1")])
# float16 keeps x, y within half a pixel below 2048 px, ample for a RANSAC tolerance of several pixels.
KEYPOINT_DTYPE = np.float16


def _load(path: Path, mmap: bool) -> np.ndarray:
    if not path.is_file():
        raise IndexFormatError(f"{path}: missing index file; the index is incomplete, rebuild it")
    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise IndexFormatError(f"{path}: truncated or damaged index file ({exc}); rebuild the index") from exc


class LocalStore:
    """Keypoints of every indexed reference descriptor, addressed by global descriptor row.

    Rows are handed out in order as references are added, so each reference owns a contiguous run
    [start, start + count); each build or add writes one more chunk file, so growing never rewrites.
    """

    def __init__(self, refs: np.ndarray, chunks: list[tuple[int, np.ndarray]]) -> None:
        self.refs = refs  # (R,) REF_DTYPE sorted by start
        self.chunks = chunks  # [(first row, (n, 4) float16 keypoints)]
        self.starts = np.ascontiguousarray(refs["start"])

    @property
    def total(self) -> int:
        return int(self.refs["start"][-1] + self.refs["count"][-1]) if len(self.refs) else 0

    @classmethod
    def load(cls, folder: Path, chunk_files: list[dict], mmap: bool = True) -> "LocalStore":
        refs = _load(folder / "references.npy", mmap=False)
        if refs.dtype != REF_DTYPE:
            raise IndexFormatError(f"{folder / 'references.npy'}: unexpected layout {refs.dtype}; rebuild the index")
        chunks = []
        for entry in chunk_files:
            kp = _load(folder / entry["file"], mmap=mmap)
            if kp.shape != (entry["count"], 4):
                raise IndexFormatError(f"{folder / entry['file']}: holds {kp.shape[0]} keypoints, the manifest says "
                                       f"{entry['count']}; the index is damaged, rebuild it")
            chunks.append((int(entry["start"]), kp))
        return cls(refs, chunks)

    def keypoints(self, rows: np.ndarray) -> np.ndarray:
        """Keypoints of global descriptor rows (M,) int64 -> (M, 4) float32 x, y, size, angle."""
        out = np.empty((len(rows), 4), dtype=np.float32)
        firsts = np.array([start for start, _ in self.chunks], dtype=np.int64)
        which = np.searchsorted(firsts, rows, side="right") - 1
        for c in np.unique(which):
            sel = which == c
            start, kp = self.chunks[c]
            out[sel] = kp[rows[sel] - start]
        return out

    def position(self, rows: np.ndarray) -> np.ndarray:
        """Reference position (index into `refs`) owning each global descriptor row -> (M,) int32."""
        return (np.searchsorted(self.starts, rows, side="right") - 1).astype(np.int32)


def write_chunk(folder: Path, number: int, keypoints: np.ndarray) -> str:
    """Save one chunk of keypoints (n, 4) as float16; returns its file name."""
    name = f"keypoints-{number:04d}.npy"
    np.save(folder / name, keypoints.astype(KEYPOINT_DTYPE))
    return name


def write_refs(folder: Path, refs: np.ndarray) -> None:
    tmp = folder / "references.tmp.npy"
    np.save(tmp, refs.astype(REF_DTYPE))
    tmp.replace(folder / "references.npy")
