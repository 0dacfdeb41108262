"""Unknown regions: the real shipped detector's boxes, minus what identified objects explain."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

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


def _crowd_photo(path):
    """tests/detect/crowd.py's photo of 30 short words of small lettering, saved as a JPEG."""
    spec = importlib.util.spec_from_file_location("crowd_drawing", Path(__file__).parents[1] / "detect" / "crowd.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rgb, _ = module.crowd(seed=1)
    Image.fromarray(rgb).save(path, quality=92)
    return path


def test_a_crowded_photo_is_looked_at_again_tile_by_tile(engine_index, tmp_path):
    from knowyourband.recognize import Recognizer

    photo = _crowd_photo(tmp_path / "crowd.jpg")
    tiled = Recognizer.open(engine_index).recognize(photo)
    whole_only = Recognizer.open(engine_index, conf={"tile_min_logos": 0}).recognize(photo)
    # None of the lettering is in the catalogue: what the tiles add shows as unknown logos.
    assert tiled.objects == [] and whole_only.objects == []
    assert len(tiled.unknown) > len(whole_only.unknown)
    assert all(r.kind == "logo" for r in tiled.unknown)
