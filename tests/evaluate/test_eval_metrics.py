"""Hand-computed cases for the pure metrics: IoU edge cases, matching, AP of a known ranking."""

from __future__ import annotations

import numpy as np
import pytest

from knowyourband.evaluate.metrics import compute_ap, f1, greedy_match, iou, iou_matrix, percentiles, ratio


def test_iou_identical_disjoint_touching():
    assert iou([0, 0, 10, 10], [0, 0, 10, 10]) == pytest.approx(1.0)
    assert iou([0, 0, 10, 10], [20, 20, 30, 30]) == 0.0
    # Sharing an edge or a corner is no overlap.
    assert iou([0, 0, 10, 10], [10, 0, 20, 10]) == 0.0
    assert iou([0, 0, 10, 10], [10, 10, 20, 20]) == 0.0


def test_iou_half_overlap_and_containment():
    # 10×10 and 10×10 shifted by 5: intersection 50, union 150.
    assert iou([0, 0, 10, 10], [5, 0, 15, 10]) == pytest.approx(1 / 3)
    # A 5×5 box inside a 10×10 one: 25 / 100.
    assert iou([0, 0, 10, 10], [2, 2, 7, 7]) == pytest.approx(0.25)
    assert iou([2, 2, 7, 7], [0, 0, 10, 10]) == pytest.approx(0.25)


def test_iou_zero_area_and_inverted_boxes_overlap_nothing():
    assert iou([5, 5, 5, 5], [5, 5, 5, 5]) == 0.0
    assert iou([0, 0, 10, 0], [0, 0, 10, 10]) == 0.0
    assert iou([10, 10, 0, 0], [0, 0, 10, 10]) == 0.0


def test_iou_matrix_shape_and_empty():
    m = iou_matrix(np.array([[0, 0, 10, 10], [0, 0, 5, 10]]), np.array([[0, 0, 10, 10]]))
    assert m.shape == (2, 1)
    assert m[:, 0] == pytest.approx([1.0, 0.5])
    assert iou_matrix(np.zeros((0, 4)), np.zeros((3, 4))).shape == (0, 3)


def test_greedy_match_duplicate_is_false_positive():
    gt = np.array([[0, 0, 10, 10]])
    preds = np.array([[0, 0, 10, 10], [0, 0, 10, 9]])
    pred_to_gt, gt_to_pred = greedy_match(preds, np.array([0.6, 0.9]), gt)
    # The higher score takes the object even though it overlaps less; the other is a duplicate.
    assert pred_to_gt.tolist() == [-1, 0]
    assert gt_to_pred.tolist() == [1]


def test_greedy_match_takes_the_free_neighbour():
    gt = np.array([[0, 0, 10, 10], [6, 0, 16, 10]])
    preds = np.array([[1, 0, 11, 10], [5, 0, 15, 10]])
    pred_to_gt, _ = greedy_match(preds, np.array([0.9, 0.8]), gt)
    assert pred_to_gt.tolist() == [0, 1]


def test_greedy_match_threshold_is_inclusive_and_respects_allowed():
    gt = np.array([[0, 0, 10, 10]])
    half = np.array([[0, 0, 10, 5]])  # IoU exactly 0.5
    assert greedy_match(half, np.array([1.0]), gt)[0].tolist() == [0]
    assert greedy_match(half, np.array([1.0]), gt, allowed=np.array([[False]]))[0].tolist() == [-1]


def test_ap_of_a_known_ranking():
    # 3 objects; ranking TP FP TP FP TP → precisions 1, 1/2, 2/3, 1/2, 3/5 at recalls 1/3, 1/3, 2/3, 2/3, 1.
    # All-point interpolation: 1/3·1 + 1/3·(2/3) + 1/3·(3/5) = 0.7556.
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    tp = np.array([True, False, True, False, True])
    assert compute_ap(scores, tp, 3) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)
    # The order comes from the scores, not from the arrays' order.
    perm = np.array([4, 2, 0, 3, 1])
    assert compute_ap(scores[perm], tp[perm], 3) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)


def test_ap_edge_cases():
    assert compute_ap(np.array([0.9, 0.8]), np.array([True, True]), 2) == pytest.approx(1.0)
    # Half the objects never detected: recall stops at 0.5.
    assert compute_ap(np.array([0.9]), np.array([True]), 2) == pytest.approx(0.5)
    # A false positive ranked first: precision 1/2 at recall 1.
    assert compute_ap(np.array([0.9, 0.1]), np.array([False, True]), 1) == pytest.approx(0.5)
    assert compute_ap(np.array([]), np.array([], bool), 4) == 0.0
    assert compute_ap(np.array([0.5]), np.array([False]), 0) is None


def test_ratio_f1_percentiles_never_nan():
    assert ratio(0, 0) == 0.0 and ratio(0, 0, None) is None and ratio(1, 4) == 0.25
    assert f1(0.0, 0.0) == 0.0 and f1(None, 1.0) is None
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert percentiles([]) == [None, None]
    assert percentiles([1, 2, 3, 4, 5]) == pytest.approx([3.0, 4.8])
