"""VLAD math: the vectorised code against a plain loop written straight from the paper's definition."""

from __future__ import annotations

import numpy as np
import pytest

from knowyourband.baselines.vlad import assign, normalise, vlad, vlad_many


def vlad_loop(descriptors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Oracle: one descriptor at a time, nearest word by explicit distances, then power + L2."""
    k, d = centroids.shape
    v = [[0.0] * d for _ in range(k)]
    for x in descriptors:
        dists = [sum((float(a) - float(b)) ** 2 for a, b in zip(x, c)) for c in centroids]
        j = dists.index(min(dists))
        for t in range(d):
            v[j][t] += float(x[t]) - float(centroids[j][t])
    flat = [val for row in v for val in row]
    flat = [(1 if val > 0 else -1 if val < 0 else 0) * abs(val) ** 0.5 for val in flat]
    norm = sum(val * val for val in flat) ** 0.5
    return np.array([val / norm if norm else 0.0 for val in flat])


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    centroids = rng.random((8, 16), dtype=np.float32) * 100
    descriptors = rng.random((60, 16), dtype=np.float32) * 100
    return descriptors, centroids


def test_vlad_matches_plain_loop(data):
    descriptors, centroids = data
    fast = vlad(descriptors, centroids)
    slow = vlad_loop(descriptors, centroids)
    assert fast.shape == (8 * 16,) and fast.dtype == np.float32
    np.testing.assert_allclose(fast, slow, atol=1e-5)
    assert abs(np.linalg.norm(fast) - 1.0) < 1e-5


def test_vlad_many_matches_vlad_on_each_subset(data):
    descriptors, centroids = data
    rng = np.random.default_rng(4)
    members = rng.random((5, len(descriptors))) < 0.4
    members[4] = False  # an empty region
    many = vlad_many(descriptors, centroids, members)
    for r in range(4):
        np.testing.assert_allclose(many[r], vlad_loop(descriptors[members[r]], centroids), atol=1e-5)
    assert not many[4].any()


def test_assign_is_nearest_centroid(data):
    descriptors, centroids = data
    dists = ((descriptors[:, None, :] - centroids[None, :, :]) ** 2).sum(-1)
    np.testing.assert_array_equal(assign(descriptors, centroids), dists.argmin(1))


def test_empty_set_gives_zero_vector(data):
    _, centroids = data
    assert not vlad(np.zeros((0, 16), np.float32), centroids).any()


def test_wrong_descriptor_width_is_refused(data):
    _, centroids = data
    with pytest.raises(ValueError, match=r"\(N, 16\)"):
        vlad(np.zeros((3, 128), np.float32), centroids)


def test_normalise_rows_independently():
    v = normalise(np.array([[4.0, 0.0, -9.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_allclose(v[0], np.array([2.0, 0.0, -3.0]) / np.sqrt(13), atol=1e-6)
    assert not v[1].any()
