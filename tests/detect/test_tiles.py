"""A second detector look, tile by tile, at photos crowded with small logos."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from crowd import crowd

from knowyourband.detect import Detector
from knowyourband.detect.boxes import iou_matrix
from knowyourband.detect.tiles import MERGE_IOU, cut_by_seam, tile_windows, with_tiles


@pytest.fixture(scope="module")
def shipped() -> Detector:
    return Detector.open()


def boxed(found, truth: np.ndarray) -> int:
    """How many true boxes a found logo box matches at IoU >= 0.5."""
    logos = np.array([d.box for d in found if d.kind == "logo"], np.float64).reshape(-1, 4)
    return int((iou_matrix(truth, logos).max(axis=1) >= 0.5).sum()) if len(logos) else 0


def test_tiles_cover_the_photo_and_overlap_their_neighbours() -> None:
    windows = tile_windows(1280, 960)
    assert len(windows) == 4
    covered = np.zeros((960, 1280), bool)
    for x0, y0, x1, y1 in windows:
        covered[y0:y1, x0:x1] = True
        assert (x1 - x0, y1 - y0) == (711, 533)  # 1280 / (2 - 0.2), 960 / (2 - 0.2)
    assert covered.all()
    (ax0, _, ax1, _), (bx0, _, bx1, _) = windows[:2]
    assert ax1 - bx0 == pytest.approx(0.2 * (ax1 - ax0), abs=1)


def test_tiles_box_small_lettering_the_whole_photo_misses(shipped: Detector) -> None:
    rgb, truth = crowd(seed=1)
    whole = shipped.detect(rgb, min_score=0.3)
    found = with_tiles(shipped, rgb, whole, 0.3)
    assert boxed(found, truth) >= boxed(whole, truth) + 5


def test_tiles_add_boxes_without_dropping_or_repeating_the_whole_photos(shipped: Detector) -> None:
    rgb, _ = crowd(seed=2, scale=0.7)
    whole = shipped.detect(rgb, min_score=0.3)
    found = with_tiles(shipped, rgb, whole, 0.3)
    key = lambda d: (d.kind, tuple(d.box), d.score)  # noqa: E731
    assert {key(d) for d in whole} <= {key(d) for d in found} and len(found) > len(whole)
    assert [d.score for d in found] == sorted((d.score for d in found), reverse=True)
    added = [d for d in found if key(d) not in {key(w) for w in whole}]
    for kind in ("album", "logo"):
        boxes = np.array([d.box for d in found if d.kind == kind], np.float64).reshape(-1, 4)
        for d in (d for d in added if d.kind == kind):
            overlaps = iou_matrix(np.array([d.box]), boxes)[0]
            assert (overlaps > MERGE_IOU).sum() == 1  # only itself


def test_a_box_on_a_seam_is_a_piece_and_one_on_the_photos_edge_is_not() -> None:
    left, right = tile_windows(1280, 960)[:2]  # top row: x 0-711 and 569-1280
    assert cut_by_seam(np.array([600.0, 100, 711, 150]), left, 1280, 960)  # runs into the right seam
    assert cut_by_seam(np.array([569.0, 100, 700, 150]), right, 1280, 960)  # starts on the left seam
    assert not cut_by_seam(np.array([0.0, 100, 200, 150]), left, 1280, 960)  # the photo's own edge
    assert not cut_by_seam(np.array([600.0, 100, 700, 150]), left, 1280, 960)


def test_tiles_side_by_side_find_what_they_find_one_by_one(shipped: Detector) -> None:
    rgb, _ = crowd(seed=3, scale=0.6)
    whole = shipped.detect(rgb, min_score=0.3)
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert with_tiles(shipped, rgb, whole, 0.3, pool) == with_tiles(shipped, rgb, whole, 0.3)
