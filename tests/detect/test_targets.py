"""Training targets: a perfect prediction of them decodes back to the ground-truth boxes."""

from __future__ import annotations

import numpy as np
import pytest

from knowyourband.detect.boxes import decode
from knowyourband.detect.train.targets import encode

torch = pytest.importorskip("torch", reason="the train extra (torch) is not installed")


def _ltrb_of(box_target: np.ndarray, stride: int) -> np.ndarray:
    centres = (np.arange(box_target.shape[-1]) + 0.5) * stride
    cx, cy = centres[None, :], centres[:, None]
    return np.stack([cx - box_target[0], cy - box_target[1], box_target[2] - cx, box_target[3] - cy])


def test_encoded_targets_decode_to_the_ground_truth() -> None:
    boxes = np.array([[10, 20, 200, 150], [220, 40, 300, 70], [100, 300, 130, 320]], np.float32)
    classes = np.array([0, 1, 1])
    t = encode(boxes, classes, size=384, stride=8, num_classes=2)
    assert t["heat"].shape == (2, 48, 48) and t["heat"].max() == 1.0
    assert int((t["heat"] == 1).sum()) == 3  # one positive per object
    found, scores, kinds = decode(t["heat"], _ltrb_of(t["box"], 8), 8, min_score=0.5)
    order = np.argsort(found[:, 0])
    assert found[order].tolist() == boxes[np.argsort(boxes[:, 0])].tolist()
    assert sorted(kinds.tolist()) == [0, 1, 1]


def test_each_object_weighs_log_of_its_area() -> None:
    boxes = np.array([[0, 0, 64, 64], [200, 200, 232, 216]], np.float32)
    t = encode(boxes, np.array([0, 1]), size=256, stride=8, num_classes=2)
    assert t["weight"].sum() == pytest.approx(np.log(64 * 64) + np.log(32 * 16), rel=1e-4)


def test_an_empty_photo_has_no_positives() -> None:
    t = encode(np.zeros((0, 4), np.float32), np.zeros(0, np.int64), size=128, stride=8, num_classes=2)
    assert t["heat"].max() == 0 and t["weight"].sum() == 0


def test_losses_vanish_for_a_perfect_box_and_grow_with_error() -> None:
    from knowyourband.detect.train.loss import focal_loss, giou_loss

    target = torch.tensor([[10.0, 10.0, 50.0, 30.0]]).view(1, 4, 1, 1)
    weight = torch.ones(1, 1, 1)
    assert float(giou_loss(target, target, weight)) == pytest.approx(0.0, abs=1e-6)
    shifted = target + torch.tensor([20.0, 0.0, 20.0, 0.0]).view(1, 4, 1, 1)
    assert float(giou_loss(shifted, target, weight)) > 0.4
    heat_t = torch.zeros(1, 1, 3, 3)
    heat_t[0, 0, 1, 1] = 1
    good = torch.full((1, 1, 3, 3), -8.0)
    good[0, 0, 1, 1] = 8.0
    assert float(focal_loss(good, heat_t)) < 0.01 < float(focal_loss(-good, heat_t))
