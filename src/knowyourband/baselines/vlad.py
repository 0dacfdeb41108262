"""VLAD aggregation (Jégou et al. 2010) as the thesis used it: residual sums, power and L2 normalisation."""

from __future__ import annotations

import numpy as np

POWER = 0.5  # signed square root, the usual "power normalisation" of VLAD


def assign(descriptors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Nearest centroid of each descriptor (squared L2).

    descriptors: (N, D) float32; centroids: (K, D) float32 -> (N,) int64 in [0, K).
    """
    descriptors = np.asarray(descriptors, dtype=np.float32)
    centroids = np.asarray(centroids, dtype=np.float32)
    if len(descriptors) == 0:
        return np.zeros(0, dtype=np.int64)
    # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2; the ||x||^2 term does not change the argmin.
    scores = descriptors @ centroids.T
    scores *= -2.0
    scores += (centroids * centroids).sum(axis=1)[None, :]
    return scores.argmin(axis=1).astype(np.int64)


def vlad(
    descriptors: np.ndarray,
    centroids: np.ndarray,
    assignment: np.ndarray | None = None,
) -> np.ndarray:
    """The VLAD vector of one set of local descriptors.

    descriptors: (N, D) float32; centroids: (K, D) float32; assignment: optional (N,) int
    nearest-centroid index of each descriptor (computed when absent, pass it to reuse one
    assignment across many regions of one photo). Returns (K*D,) float32, power- and
    L2-normalised; all zeros when N == 0 (an empty region matches nothing).
    """
    descriptors = np.asarray(descriptors, dtype=np.float32)
    centroids = np.asarray(centroids, dtype=np.float32)
    k, d = centroids.shape
    if descriptors.ndim != 2 or descriptors.shape[1] != d:
        raise ValueError(f"descriptors must be (N, {d}), got {descriptors.shape}")
    if assignment is None:
        assignment = assign(descriptors, centroids)
    residuals = descriptors - centroids[assignment]
    sums = np.zeros((k, d), dtype=np.float64)
    np.add.at(sums, assignment, residuals)
    return normalise(sums.reshape(-1))


def vlad_many(
    descriptors: np.ndarray,
    centroids: np.ndarray,
    members: np.ndarray,
    assignment: np.ndarray | None = None,
) -> np.ndarray:
    """VLAD vectors of many subsets of one descriptor set (e.g. the regions of one photo).

    descriptors: (N, D) float32; centroids: (K, D) float32; members: (R, N) bool, row r
    selects the descriptors of subset r. Returns (R, K*D) float32, each row as `vlad` gives it.
    """
    descriptors = np.asarray(descriptors, dtype=np.float32)
    centroids = np.asarray(centroids, dtype=np.float32)
    members = np.asarray(members, dtype=bool)
    k, d = centroids.shape
    r, n = members.shape
    if n != len(descriptors):
        raise ValueError(f"members has {n} columns for {len(descriptors)} descriptors")
    if assignment is None:
        assignment = assign(descriptors, centroids)
    residuals = descriptors - centroids[assignment]
    # Spread each residual into its cluster's slot of a (N, K*D) layout would cost N*K*D memory;
    # instead sum per cluster with one (R, N) @ (N, D) product for each cluster present.
    out = np.zeros((r, k, d), dtype=np.float32)
    weights = members.astype(np.float32)
    for cluster in np.unique(assignment):
        rows = assignment == cluster
        out[:, cluster, :] = weights[:, rows] @ residuals[rows]
    return normalise(out.reshape(r, k * d))


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Signed power normalisation then L2, row-wise; zero rows stay zero.

    vectors: (K*D,) or (R, K*D) -> float32 of the same shape.
    """
    v = np.asarray(vectors, dtype=np.float64)
    v = np.sign(v) * np.abs(v) ** POWER
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    v = np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)
    return v.astype(np.float32)
