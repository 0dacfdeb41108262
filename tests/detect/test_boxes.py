"""Letterboxing, peak decoding and NMS, checked on hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from knowyourband.detect.boxes import PAD_VALUE, decode, iou_matrix, letterbox, nms, peaks


def test_letterbox_keeps_aspect_and_pads_bottom_right() -> None:
    rgb = np.full((300, 600, 3), 7, np.uint8)
    canvas, scale = letterbox(rgb, 384)
    assert canvas.shape == (384, 384, 3) and scale == pytest.approx(0.64)
    assert (canvas[:192] == 7).all() and (canvas[192:] == PAD_VALUE).all()


def test_letterbox_refuses_grey_images() -> None:
    with pytest.raises(ValueError, match="RGB"):
        letterbox(np.zeros((10, 10), np.uint8), 64)


def test_peaks_are_local_maxima_above_threshold_best_first() -> None:
    heat = np.zeros((2, 6, 6), np.float32)
    heat[0, 1, 1], heat[0, 1, 2] = 0.9, 0.8  # 0.8 is beside a higher value: not a peak
    heat[1, 4, 4] = 0.95
    heat[1, 0, 5] = 0.1  # below threshold
    cls, rows, cols = peaks(heat, min_score=0.3, top_k=10)
    assert cls.tolist() == [1, 0] and rows.tolist() == [4, 1] and cols.tolist() == [4, 1]


def test_nms_drops_the_weaker_of_two_overlapping_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], np.float32)
    keep = nms(boxes, np.array([0.5, 0.9, 0.7], np.float32), iou_threshold=0.5)
    assert keep.tolist() == [1, 2]
    assert iou_matrix(boxes[:1], boxes[1:2])[0, 0] == pytest.approx(81 / 119)


def test_decode_places_a_box_from_edge_distances() -> None:
    heat = np.zeros((2, 4, 4), np.float32)
    heat[1, 2, 1] = 0.8  # cell centre (12, 20) at stride 8
    ltrb = np.zeros((4, 4, 4), np.float32)
    ltrb[:, 2, 1] = [10, 5, 6, 3]
    boxes, scores, classes = decode(heat, ltrb, 8, min_score=0.3)
    assert boxes.tolist() == [[2.0, 15.0, 18.0, 23.0]]
    assert scores.tolist() == pytest.approx([0.8]) and classes.tolist() == [1]


def test_letterbox_of_a_large_photo_averages_like_a_direct_area_resize() -> None:
    import cv2

    rgb = np.random.default_rng(0).integers(0, 255, size=(3024, 4032, 3), dtype=np.uint8)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 8)  # photo-like: no energy at the pixel frequency
    canvas, scale = letterbox(rgb, 320)
    direct = cv2.resize(rgb, (320, 240), interpolation=cv2.INTER_AREA)
    assert scale == pytest.approx(320 / 4032)
    assert np.abs(canvas[:240].astype(int) - direct).mean() < 1.0


@pytest.mark.parametrize("shape", [(3000, 3, 3), (3, 3000, 3), (1, 1, 3)])
def test_letterbox_of_extreme_aspect_ratios(shape) -> None:
    canvas, scale = letterbox(np.full(shape, 200, np.uint8), 320)
    assert canvas.shape == (320, 320, 3)
    assert scale == pytest.approx(320 / max(shape[:2]))
    assert canvas[0, 0, 0] == 200  # the photo's own pixels are in the top-left corner
