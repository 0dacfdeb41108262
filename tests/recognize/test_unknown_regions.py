"""Unknown regions: the real shipped detector's boxes, minus what identified objects explain."""

from __future__ import annotations

import numpy as np
import pytest

from knowyourband.recognize.unknown import open_detector, unknown_regions
from knowyourband.result import BandRef, RecognizedObject


def _photo() -> np.ndarray:
    """A grey table with a busy square 'cover' on it, at half the size of the original photo."""
    rng = np.random.default_rng(3)
    rgb = np.full((480, 640, 3), 90, np.uint8)
    rgb[120:360, 200:440] = rng.integers(0, 255, (240, 240, 3), dtype=np.uint8)
    return rgb


def _object(box: list[float]) -> RecognizedObject:
    band = BandRef(id=1, key="b1", name="Band")
    return RecognizedObject(kind="album", score=0.9, inliers=40, box=box, quad=[[0, 0]] * 4,
                            reference_id=1, reference_key="r1", band=band, release=None)


@pytest.fixture(scope="module")
def detector():
    found = open_detector(True)
    if found is None:
        pytest.skip("the shipped detector model is not in this checkout")
    return found


def test_boxes_come_back_in_original_photo_pixels(detector):
    regions = unknown_regions(detector.detect(_photo(), min_score=0.0), 0.5, [], max_covered=0.5)
    assert regions, "the detector should propose something at score 0"
    for r in regions:
        assert r.kind in ("album", "logo") and 0.0 <= r.score <= 1.0
        x0, y0, x1, y1 = r.box
        assert 0 <= x0 < x1 <= 1280 and 0 <= y0 < y1 <= 960  # scaled back by 1 / 0.5


def test_regions_inside_identified_objects_are_not_unknown(detector):
    everything = _object([0, 0, 1280, 960])
    assert unknown_regions(detector.detect(_photo(), min_score=0.0), 0.5, [everything], max_covered=0.5) == []


def test_disabled_detector_is_none():
    assert open_detector(False) is None
