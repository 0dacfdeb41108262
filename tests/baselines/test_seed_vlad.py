"""seed-vlad end to end on generated cards: the right reference first, in the right place."""

from __future__ import annotations

import numpy as np

from knowyourband.baselines.seed_vlad import SeedVlad
from knowyourband.result import Result

CONF = {"k": 16, "threshold": 0.2}  # six small references: a few thousand descriptors, enough for 16 words


def test_finds_the_pasted_cover(references, photo_with, tmp_path):
    method = SeedVlad(references, tmp_path / "cache", CONF)
    result = method.recognize(photo_with(3))
    assert isinstance(result, Result) and (result.width, result.height) == (1200, 900)
    assert result.objects, "nothing reported"
    best = result.objects[0]
    assert best.reference_key == "ref00003" and best.release.key == "r00003"
    assert best.kind == "album" and best.inliers == 0 and 0.0 <= best.score <= 1.0
    x0, y0, x1, y1 = best.box
    assert x0 < 700 and x1 > 700 and y0 < 430 and y1 > 430  # the box holds the cover's centre
    assert best.quad == [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    assert len(best.candidates) == len(references)  # top-10 capped by the catalogue's size
    assert best.candidates[0].reference_key == best.reference_key
    assert [c.score for c in best.candidates] == sorted((c.score for c in best.candidates), reverse=True)
    assert result.timing_ms["total"] > 0


def test_reference_arrays_are_cached_and_reused(references, tmp_path):
    first = SeedVlad(references, tmp_path, CONF)
    vlads = first.arrays()["vlads"]
    assert vlads.shape == (len(references), 16 * 128)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    second = SeedVlad(references, tmp_path, {**CONF, "threshold": 0.9})  # a query-side setting: same cache
    second.compute_arrays = None  # would fail if called: the arrays must come from the file
    np.testing.assert_array_equal(second.arrays()["vlads"], vlads)
    third = SeedVlad(references, tmp_path, {"k": 8})  # a reference-side setting: new arrays
    assert third.arrays()["vlads"].shape == (len(references), 8 * 128)
    for k in (10, 12, 14):  # more settings: only the three most recently used sets stay
        SeedVlad(references, tmp_path, {"k": k}).arrays()
    assert len(list(tmp_path.glob("*.npz"))) == 3


def test_blank_photo_gives_no_objects(references, tmp_path):
    method = SeedVlad(references, tmp_path, CONF)
    result = method.recognize(np.full((600, 800, 3), 127, np.uint8))
    assert result.objects == []


def test_result_survives_json(references, photo_with, tmp_path):
    import json

    result = SeedVlad(references, tmp_path, CONF).recognize(photo_with(0))
    again = Result.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.objects == result.objects
