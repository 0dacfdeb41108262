"""The thesis's method (§5): SIFT, a k-means vocabulary, one VLAD per image, exact L2 top-10, no verification."""

from __future__ import annotations

import logging

import cv2
import faiss
import numpy as np

from knowyourband.baselines.method import RegionBaseline
from knowyourband.baselines.references import gray_images
from knowyourband.baselines.regions import inside
from knowyourband.baselines.vlad import assign, vlad, vlad_many
from knowyourband.errors import KybError

log = logging.getLogger(__name__)


def sift(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain OpenCV SIFT with its default settings, as the thesis ran it.

    gray: (H, W) uint8 -> points (N, 2) float32 (x, y), descriptors (N, 128) float32.
    """
    keypoints, descriptors = cv2.SIFT_create().detectAndCompute(gray, None)
    if descriptors is None:
        return np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32)
    points = np.array([kp.pt for kp in keypoints], dtype=np.float32).reshape(-1, 2)
    return points, descriptors.astype(np.float32)


def train_vocabulary(descriptors: np.ndarray, k: int, iters: int, max_points: int, seed: int) -> np.ndarray:
    """k-means words of SIFT space. descriptors: (N, 128) float32 -> centroids (k, 128) float32."""
    if len(descriptors) < k:
        raise KybError(f"seed-vlad: the reference images give only {len(descriptors)} SIFT descriptors, "
                       f"fewer than the k={k} vocabulary words; use a smaller k or more references")
    kmeans = faiss.Kmeans(descriptors.shape[1], k, niter=iters, seed=seed,
                          max_points_per_centroid=max(1, max_points // k), verbose=False)
    kmeans.train(np.ascontiguousarray(descriptors, dtype=np.float32))
    return kmeans.centroids.astype(np.float32)


class SeedVlad(RegionBaseline):
    """`--method seed-vlad`: each photo region's VLAD against every reference's VLAD, nearest first."""

    name = "seed-vlad"
    metric = "l2"  # exact Euclidean search: a ball tree, as the thesis used, returns exactly these neighbours
    reference_conf = ("k", "kmeans_iters", "kmeans_max_points", "seed", "reference_max_side")
    default_conf = {
        "k": 64,  # vocabulary words; the thesis used 512 (65,536-dim VLAD), see docs/baselines.md
        "kmeans_iters": 20,
        "kmeans_max_points": 200_000,  # descriptors sampled to train k-means
        "seed": 1234,
        "reference_max_side": 512,  # the thesis's Discogs covers were about 300 px
        "photo_max_side": 1024,  # SIFT once on the photo, regions pool its descriptors
        "min_descriptors": 8,  # a region with fewer SIFT points is not searched
        # Per proposal source: the best end-to-end F1 on a separate 60-photo set (seed 5), docs/baselines.md.
        "thresholds": {"grid": 0.4, "detector": 0.2},
    }

    def compute_arrays(self) -> dict[str, np.ndarray]:
        # SIFT values are integers in [0, 255]: uint8 keeps every reference's set in memory at once.
        sets = [sift(g)[1].astype(np.uint8) for g in gray_images(self.references, self.conf["reference_max_side"])]
        empty = [r.key for r, d in zip(self.references, sets) if len(d) == 0]
        if empty:
            log.warning("seed-vlad: %d references have no SIFT points (e.g. %s); they can never match",
                        len(empty), ", ".join(empty[:3]))
        pooled = np.concatenate(sets).astype(np.float32)
        centroids = train_vocabulary(pooled, self.conf["k"], self.conf["kmeans_iters"],
                                     self.conf["kmeans_max_points"], self.conf["seed"])
        del pooled
        vlads = np.stack([vlad(d.astype(np.float32), centroids) for d in sets])
        return {"centroids": centroids, "vlads": vlads}

    def reference_vectors(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        return arrays["vlads"]

    def describe(self, rgb: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        centroids = self.arrays()["centroids"]
        points, descriptors = sift(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
        members = inside(points, boxes)
        valid = np.flatnonzero(members.sum(axis=1) >= self.conf["min_descriptors"])
        if len(valid) == 0:
            return np.zeros((0, centroids.size), np.float32), valid
        vectors = vlad_many(descriptors, centroids, members[valid], assign(descriptors, centroids))
        return vectors, valid

    def similarity(self, raw: np.ndarray) -> np.ndarray:
        # Unit vectors: |a - b|^2 = 2 - 2 cos, so the cosine is the similarity (clipped to [0, 1]).
        return np.clip(1.0 - raw / 2.0, 0.0, 1.0)
