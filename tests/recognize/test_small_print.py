"""A small print's few true correspondences are verified even when no Hough bin holds enough of them."""

from types import SimpleNamespace

import numpy as np

from knowyourband.index.locals import REF_DTYPE, LocalStore
from knowyourband.recognize.detections import detect
from knowyourband.recognize.recognizer import default_conf
from knowyourband.verify.vote import Matches

WIDTH, HEIGHT = 600.0, 150.0


def _small_print_matches() -> tuple[SimpleNamespace, np.ndarray, Matches, np.ndarray]:
    """12 exact correspondences of a 600×150 logo printed 5× smaller and upside down (a white-on-black
    print matched through flipped descriptors turns by 180°), with the noisy keypoint sizes and
    angles and the small vote weights of real small prints."""
    rng = np.random.default_rng(3)
    ref_xy = np.column_stack([rng.uniform(20, WIDTH - 20, 12), rng.uniform(15, HEIGHT - 15, 12)])
    angle = np.deg2rad(180.0)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    photo_xy = (0.2 * ref_xy) @ rot.T + [700.0, 500.0]
    ref_kp = np.column_stack([ref_xy, np.full(12, 12.0), np.zeros(12)]).astype(np.float32)
    # Sizes off by ±0.6 octave and orientations by ±20°: the pose votes scatter over several bins.
    size_error = np.exp2(np.tile([0.6, -0.6, 0.0], 4))
    angle_error = np.tile([20.0, -20.0, 0.0, 10.0], 3)
    photo_kp = np.column_stack([photo_xy, 12.0 * 0.2 * size_error, 180.0 + angle_error]).astype(np.float32)
    refs = np.zeros(1, dtype=REF_DTYPE)
    refs[0] = (1, 0, 12, WIDTH, HEIGHT, 0)
    index = SimpleNamespace(locals=LocalStore(refs, [(0, ref_kp.astype(np.float16))]))
    matches = Matches(query=np.arange(12, dtype=np.int32), row=np.arange(12, dtype=np.int64),
                      ref=np.zeros(12, dtype=np.int32), weight=np.full(12, 0.15, dtype=np.float32))
    return index, photo_kp, matches, photo_xy


def test_few_scattered_true_matches_are_found_by_direct_verification():
    index, photo_kp, matches, photo_xy = _small_print_matches()
    found = detect(index, photo_kp, matches, np.array([0]), default_conf)
    assert len(found) == 1
    assert found[0].inliers == 12
    # The outline is the reference's, turned by 180° and 5× smaller: its corners land within a pixel.
    expected_tl = np.array([700.0, 500.0])
    assert np.allclose(found[0].quad[0], expected_tl, atol=1.0)


def test_the_same_matches_fail_through_hough_groups_alone():
    index, photo_kp, matches, _ = _small_print_matches()
    found = detect(index, photo_kp, matches, np.array([0]), {**default_conf, "direct_max": 0})
    assert found == []
