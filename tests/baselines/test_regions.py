"""Region proposals and box helpers for the baselines."""

from __future__ import annotations

import numpy as np

import cv2

from knowyourband.baselines.regions import grid, inside, iou, outlines, propose, suppress


def test_whole_photo_first_and_all_inside():
    boxes = grid(1600, 1200)
    np.testing.assert_allclose(boxes[0], [0, 0, 1600, 1200])
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 1] >= 0).all()
    assert (boxes[:, 2] <= 1600).all() and (boxes[:, 3] <= 1200).all()
    assert len(np.unique(boxes, axis=0)) == len(boxes)
    assert 50 < len(boxes) < 400  # cheap enough to describe every region per photo


def test_grid_covers_an_object_anywhere():
    """Every square object of a fifth of the short side, wherever it sits, is hit at IoU >= 0.4."""
    boxes = grid(1600, 1200)
    rng = np.random.default_rng(0)
    for _ in range(50):
        s = 0.25 * 1200
        x, y = rng.uniform(0, 1600 - s), rng.uniform(0, 1200 - s)
        assert iou(np.array([x, y, x + s, y + s]), boxes).max() >= 0.4


def test_outlines_fit_a_cover_and_a_logo():
    gray = np.full((600, 800), 40, np.uint8)
    cv2.rectangle(gray, (100, 120), (340, 360), 200, -1)  # a cover
    cv2.putText(gray, "NECROTIC", (420, 480), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 230, 3)  # a logo, letters apart
    boxes = outlines(gray)
    assert iou(np.array([100, 120, 341, 361]), boxes).max() > 0.9
    word = np.array([420, 440, 420 + cv2.getTextSize("NECROTIC", cv2.FONT_HERSHEY_SIMPLEX, 1.6, 3)[0][0], 485])
    assert iou(word, boxes).max() > 0.6  # the dilation joined the letters into one box
    all_boxes = propose(gray)
    np.testing.assert_allclose(all_boxes[0], [0, 0, 800, 600])
    assert len(all_boxes) == len(np.unique(all_boxes, axis=0)) >= len(grid(800, 600))


def test_inside_and_iou_by_hand():
    boxes = np.array([[0, 0, 10, 10], [5, 5, 15, 15]], np.float32)
    pts = np.array([[1, 1], [7, 7], [12, 12]], np.float32)
    np.testing.assert_array_equal(inside(pts, boxes), [[1, 1, 0], [0, 1, 1]])
    np.testing.assert_allclose(iou(boxes[0], boxes), [1.0, 25 / 175])


def test_suppress_keeps_best_non_overlapping():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], np.float32)
    assert suppress(boxes, np.array([0.9, 0.95, 0.1]), max_iou=0.3, limit=5) == [1, 2]
    assert suppress(boxes, np.array([0.9, 0.95, 0.1]), max_iou=0.3, limit=1) == [1]
