"""Turn nearest-neighbour search results into weighted correspondences and per-reference votes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Matches:
    """Tentative correspondences, one per (query keypoint, reference) pair.

    query: (M,) int32 query keypoint index; row: (M,) int64 global reference-descriptor row;
    ref: (M,) int32 reference position in the index; weight: (M,) float32 in (0, 1].
    """

    query: np.ndarray
    row: np.ndarray
    ref: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.query)

    def take(self, mask: np.ndarray) -> "Matches":
        return Matches(self.query[mask], self.row[mask], self.ref[mask], self.weight[mask])


def density_ratio_matches(distances: np.ndarray, rows: np.ndarray, starts: np.ndarray,
                          max_ratio: float = 0.9) -> Matches:
    """Correspondences from a k-NN search: each of the first k-1 neighbours is weighed by how much
    closer it is than the k-th neighbour.

    distances: (Q, k) float32 squared L2 distances, ascending; rows: (Q, k) int64 (-1 = none);
    starts: (R,) int64 ascending first descriptor row of each reference position.

    Lowe's ratio test (first vs second neighbour) throws a true match away whenever the catalogue
    holds the same pattern twice — a band's logo on its own album cover, a logo reissued in colour.
    Comparing with the k-th neighbour instead asks "is this closer than the crowd?", which lets up to
    k-1 references share a pattern. Each (query, reference) pair keeps its best neighbour only.
    """
    q, k = rows.shape
    if q == 0 or k < 2:
        return Matches(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
    d = np.sqrt(np.maximum(distances, 0.0))
    ratio = d[:, :-1] / np.maximum(d[:, -1:], 1e-6)
    ok = (ratio < max_ratio) & (rows[:, :-1] >= 0)
    qi, ni = np.nonzero(ok)
    row = rows[qi, ni].astype(np.int64)
    weight = (1.0 - ratio[qi, ni] / max_ratio).astype(np.float32)
    ref = (np.searchsorted(starts, row, side="right") - 1).astype(np.int32)
    # First occurrence per (query, ref) is the nearest one, since neighbours come sorted.
    key = qi.astype(np.int64) * (len(starts) + 1) + ref
    _, first = np.unique(key, return_index=True)
    return Matches(qi[first].astype(np.int32), row[first], ref[first], weight[first])


def merge(a: Matches, b: Matches) -> Matches:
    """Union of two match sets (e.g. normal and inverted polarity), best weight per (query, ref)."""
    query = np.concatenate([a.query, b.query])
    ref = np.concatenate([a.ref, b.ref])
    row = np.concatenate([a.row, b.row])
    weight = np.concatenate([a.weight, b.weight])
    order = np.lexsort((-weight, ref, query))
    key = query[order].astype(np.int64) * (int(ref.max(initial=0)) + 1) + ref[order]
    _, first = np.unique(key, return_index=True)
    pick = order[first]
    return Matches(query[pick], row[pick], ref[pick], weight[pick])


def tally(matches: Matches, n_refs: int) -> np.ndarray:
    """Summed vote weight per reference position -> (n_refs,) float64."""
    return np.bincount(matches.ref, weights=matches.weight, minlength=n_refs)
