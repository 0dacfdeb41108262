"""Verification math: known homographies recovered, planted outliers rejected, implausible views refused."""

from __future__ import annotations

import numpy as np

from knowyourband.verify import geometry, hough
from knowyourband.verify.vote import density_ratio_matches, merge


def test_fit_recovers_a_known_homography_with_planted_outliers() -> None:
    rng = np.random.default_rng(0)
    w, h = 600.0, 400.0
    truth = np.array([[100, 80], [560, 140], [540, 430], [120, 470]], dtype=np.float32)
    import cv2

    H = cv2.getPerspectiveTransform(geometry.outline(w, h).astype(np.float32), truth)
    ref = np.stack([rng.uniform(0, w, 120), rng.uniform(0, h, 120)], axis=1)
    photo = geometry.project(H, ref) + rng.normal(0, 0.5, (120, 2))
    outliers = rng.uniform(0, 700, (80, 2))
    ref_all = np.vstack([ref, rng.uniform(0, w, (80, 2))]).astype(np.float32)
    photo_all = np.vstack([photo, outliers]).astype(np.float32)
    f = geometry.fit(ref_all, photo_all, w, h, threshold=3.0)
    assert f is not None and f.model == "homography"
    assert np.abs(f.quad - truth).max() < 1.5
    assert f.inliers[:120].mean() > 0.95 and f.inliers[120:].mean() < 0.1


def test_plausible_refuses_mirror_and_slivers() -> None:
    w, h = 200.0, 100.0
    good = np.array([[0, 0], [200, 10], [190, 110], [5, 100]], dtype=np.float64)
    mirrored = good[[1, 0, 3, 2]]
    sliver = np.array([[0, 0], [200, 100], [210, 110], [10, 10]], dtype=np.float64)
    import cv2

    def check(quad):
        H = cv2.getPerspectiveTransform(geometry.outline(w, h).astype(np.float32), quad.astype(np.float32))
        return geometry.plausible(quad, w, h, H)

    assert check(good)
    assert not check(mirrored)
    assert not check(sliver)


def test_fit_gives_up_on_random_points() -> None:
    rng = np.random.default_rng(1)
    ref = rng.uniform(0, 300, (60, 2)).astype(np.float32)
    photo = rng.uniform(0, 900, (60, 2)).astype(np.float32)
    assert geometry.fit(ref, photo, 300, 300, threshold=4.0) is None


def test_hough_separates_two_placements() -> None:
    rng = np.random.default_rng(2)
    n = 40
    ref = np.zeros((2 * n, 4), np.float32)
    ref[:, :2] = rng.uniform(0, 300, (2 * n, 2))
    ref[:, 2] = 4.0
    photo = ref.copy()
    photo[:n, :2] += [100, 100]  # first copy: shifted
    photo[n:, :2] = ref[n:, :2] * 0.5 + [800, 600]  # second copy: half size, elsewhere
    photo[n:, 2] = 2.0
    pose = hough.poses(photo, ref, 300, 300)
    groups = hough.clusters(pose, np.ones(2 * n), 300, 300, min_weight=5)
    assert len(groups) >= 2
    first, second = set(groups[0]), set(groups[1])
    assert first <= set(range(n)) or first <= set(range(n, 2 * n))
    assert not (first & second)


def test_hough_bin_labels_rank_rows_as_a_row_wise_unique_does() -> None:
    rng = np.random.default_rng(3)
    narrow = rng.integers(-40, 40, (500, 4))
    # Ranges too wide to pack into one 64-bit integer take the row-wise path.
    wide = np.concatenate([narrow[:, :2], rng.integers(-2**40, 2**40, (500, 2))], axis=1)
    for keys in (narrow, wide, narrow[:1]):
        expected = np.unique(keys, axis=0, return_inverse=True)[1].ravel()
        assert np.array_equal(hough._bin_labels(keys.astype(np.int64)), expected)


def test_density_ratio_keeps_shared_patterns_and_drops_the_crowd() -> None:
    starts = np.array([0, 10, 20], dtype=np.int64)  # three references of 10 rows each
    # Query 0: close to a row of ref 0 and one of ref 1 (a shared pattern), far from the crowd.
    # Query 1: everything equally far (nothing distinctive).
    dist = np.array([[0.04, 0.05, 0.80, 0.81], [0.50, 0.51, 0.52, 0.53]], dtype=np.float32)
    rows = np.array([[3, 12, 25, 26], [1, 2, 11, 21]], dtype=np.int64)
    m = density_ratio_matches(dist, rows, starts, max_ratio=0.8)
    assert sorted(zip(m.query.tolist(), m.ref.tolist())) == [(0, 0), (0, 1)]
    both = merge(m, m)
    assert len(both) == len(m)


def test_hull_area_of_a_square_with_inner_points_and_of_too_few_points():
    from knowyourband.verify.geometry import hull_area

    square = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [5, 5], [2, 7]], dtype=np.float32)
    assert abs(hull_area(square) - 100.0) < 1e-3
    assert hull_area(square[:2]) == 0.0
