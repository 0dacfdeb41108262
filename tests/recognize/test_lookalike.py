"""Naming a logo box by its glyph embedding when the crop's own votes agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np

from knowyourband.embed import photo_glyph, reference_glyph
from knowyourband.evaluate.metrics import iou
from knowyourband.features import Features, reference_gray
from knowyourband.imageio import load_image
from knowyourband.recognize import Recognizer
from knowyourband.recognize.lookalike import lookalike, outvoted, refit
from knowyourband.recognize.recognizer import Pass
from knowyourband.verify.vote import Matches

BOX = np.array([100.0, 50.0, 260.0, 98.0])
# A reference's own glyph leads every other band by far: these tests of the vote rule turn off
# naming on the margin alone.
VOTES_NEEDED = {"lookalike_sure_margin": 2.1}


def _pass(recognizer, votes_for: dict[int, float]) -> Pass:
    votes = np.zeros(len(recognizer.index.locals.refs))
    for ref, weight in votes_for.items():
        votes[ref] = weight
    empty = Matches(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
    return Pass(Features(np.zeros((0, 4), np.float32), np.zeros((0, 128), np.float32), 400, 300), empty, votes,
                np.zeros(0, np.int64), [])


def _logo(recognizer, n: int = 0) -> tuple[int, np.ndarray]:
    """The n-th logo reference position and its glyph's embedding."""
    index = recognizer.index
    position = int(np.nonzero(index.locals.refs["kind"] == 0)[0][n])
    image = load_image(index.catalog.reference(int(index.locals.refs["id"][position])).image)
    glyph = reference_glyph(reference_gray(image.rgb, image.alpha))
    return position, recognizer._embedder.embed(glyph[None])[0]


def test_the_nearest_logo_is_named_when_the_votes_rank_it_high(recognizer) -> None:
    ref, vector = _logo(recognizer)
    votes = {ref: 3.0, **{(ref + k) % len(recognizer.index.locals.refs): 5.0 - k * 0.1 for k in range(1, 4)}}
    # A 15-reference catalogue allows only the first by votes; one of 1,275 the first 5.
    conf = {**recognizer.config, **VOTES_NEEDED}
    small = {**conf, "lookalike_rank_share": 5 / 15}
    found = lookalike(_pass(recognizer, votes), vector, BOX, 0.9, recognizer._lookalikes, small)
    assert found is not None and found.ref == ref and found.model == "lookalike" and found.inliers == 0
    assert found.score == conf["lookalike_score"]
    assert lookalike(_pass(recognizer, votes), vector, BOX, 0.9, recognizer._lookalikes, conf) is None
    assert np.allclose(found.quad, [[100, 50], [260, 50], [260, 98], [100, 98]])


def test_no_name_without_votes_for_it_far_down_the_votes_or_too_close_to_another_band(recognizer) -> None:
    ref, vector = _logo(recognizer)
    conf, lookalikes = {**recognizer.config, **VOTES_NEEDED}, recognizer._lookalikes
    assert lookalike(_pass(recognizer, {(ref + 1) % 5: 2.0}), vector, BOX, 0.9, lookalikes, conf) is None
    n = len(recognizer.index.locals.refs)
    crowd = {(ref + k) % n: 10.0 for k in range(1, conf["lookalike_rank"] + 1)}
    assert lookalike(_pass(recognizer, {ref: 1.0, **crowd}), vector, BOX, 0.9, lookalikes, conf) is None
    far = {**conf, "lookalike_margin": 2.1}
    assert lookalike(_pass(recognizer, {ref: 1.0}), vector, BOX, 0.9, lookalikes, far) is None


def test_a_band_far_ahead_of_every_other_is_named_without_votes(recognizer) -> None:
    ref, vector = _logo(recognizer)
    conf, lookalikes = recognizer.config, recognizer._lookalikes
    _, _, margin = lookalikes.nearest(vector)
    assert margin >= conf["lookalike_margin"]
    at = {**conf, "lookalike_sure_margin": margin}
    found = lookalike(_pass(recognizer, {}), vector, BOX, 0.9, lookalikes, at)
    assert found is not None and found.ref == ref and found.score == conf["lookalike_score"]
    above = {**conf, "lookalike_sure_margin": margin + 0.01}
    assert lookalike(_pass(recognizer, {}), vector, BOX, 0.9, lookalikes, above) is None
    # The detector must still be sure of the box.
    unsure = conf["lookalike_box_score"] - 0.01
    assert lookalike(_pass(recognizer, {}), vector, BOX, unsure, lookalikes, at) is None


def _highest_rank_allowed(references: int) -> int:
    """The most references `outvoted` lets outvote the last of `references` with lookalike's settings."""
    votes = np.arange(references, 0, -1, dtype=np.float64)  # position k has k references above it
    return next(k for k in range(references) if outvoted(votes, k, 5, 0.004))


def test_a_small_catalogue_asks_for_a_higher_vote_rank() -> None:
    assert [_highest_rank_allowed(n) for n in (15, 250, 251, 1000, 1001, 1275, 101_275)] == [1, 1, 2, 4, 5, 5, 5]


def test_a_reference_without_votes_is_always_outvoted() -> None:
    assert outvoted(np.zeros(10), 3, 5, 1.0)
    assert not outvoted(np.eye(10)[3], 3, 5, 1.0)


def test_no_name_in_a_box_the_detector_is_unsure_of(recognizer) -> None:
    ref, vector = _logo(recognizer)
    conf, lookalikes = recognizer.config, recognizer._lookalikes
    sure = conf["lookalike_box_score"]
    assert lookalike(_pass(recognizer, {ref: 3.0}), vector, BOX, sure, lookalikes, conf) is not None
    assert lookalike(_pass(recognizer, {ref: 3.0}), vector, BOX, sure - 0.01, lookalikes, conf) is None


def test_embeddings_of_another_embedder_model_are_not_used(engine_index: Path, tmp_path: Path, caplog) -> None:
    copy = tmp_path / "index"
    shutil.copytree(engine_index, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["embeddings"]["model"] = "0" * 16
    (copy / "manifest.json").write_text(json.dumps(manifest))
    recognizer = Recognizer.open(copy)
    assert recognizer._lookalikes is None and "another embedder model" in caplog.text
    assert Recognizer.open(engine_index)._lookalikes is not None


def test_a_lookalikes_outline_drops_the_line_of_text_its_box_also_held(recognizer) -> None:
    ref, vector = _logo(recognizer)
    image = load_image(recognizer.index.catalog.reference(int(recognizer.index.locals.refs["id"][ref])).image)
    logo = reference_gray(image.rgb, image.alpha)
    gray = np.full((300, 400), 255, np.uint8)
    x0, y0, x1, y1 = BOX.astype(int)
    gray[y0:y1, x0:x1] = cv2.resize(logo, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    cv2.putText(gray, "TICKETS AT THE DOOR", (x0, y1 + 35), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    loose = np.array([x0, y0, x1, y1 + 56.0])  # the detector boxed the text line too
    gain, embedder = recognizer.config["lookalike_refit_gain"], recognizer._embedder

    def own(box: np.ndarray) -> np.ndarray:
        return embedder.embed(photo_glyph(gray, box)[None])[0]

    aspect = (x1 - x0) / (y1 - y0)
    fitted = refit(gray, loose, own(loose), embedder, vector, aspect, gain)
    assert iou(loose, BOX) < 0.5 <= iou(fitted, BOX)
    assert np.array_equal(refit(gray, BOX, own(BOX), embedder, vector, aspect, gain), BOX)  # a true box stays
    assert np.array_equal(refit(gray, loose, own(loose), embedder, vector, aspect, 2.0), loose)  # no view gains 2.0


def _logo_drawn_300_px_wide(recognizer) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """A white photo with the first logo reference drawn 300 px wide at its own shape: (the gray
    photo, the logo's box, the reference's width / height, its embedding)."""
    ref, vector = _logo(recognizer)
    row = recognizer.index.locals.refs[ref]
    aspect = float(row["width"]) / float(row["height"])
    image = load_image(recognizer.index.catalog.reference(int(row["id"])).image)
    gray = np.full((400, 500), 255, np.uint8)
    w = 300
    h = round(w / aspect)
    x0, y0 = 100, 200 - h // 2
    logo = reference_gray(image.rgb, image.alpha)
    gray[y0:y0 + h, x0:x0 + w] = cv2.resize(logo, (w, h), interpolation=cv2.INTER_AREA)
    return gray, np.array([x0, y0, x0 + w, y0 + h], np.float64), aspect, vector


def test_a_thin_lookalikes_outline_takes_its_references_shape_from_a_box_three_times_its_height(recognizer) -> None:
    gray, true, aspect, vector = _logo_drawn_300_px_wide(recognizer)
    x0, y0, x1, y1 = true
    w, h = x1 - x0, y1 - y0
    loose = np.array([x0, y0 - h, x1, y1 + h], np.float64)  # the logo in the middle third
    gain, embedder = recognizer.config["lookalike_refit_gain"], recognizer._embedder
    own = embedder.embed(photo_glyph(gray, loose)[None])[0]
    # Strips and growth alone cannot outline it; the box cut to the reference's shape does.
    assert iou(refit(gray, loose, own, embedder, vector, w / (3 * h), gain), true) < 0.5  # the box's own shape
    assert iou(refit(gray, loose, own, embedder, vector, aspect, gain), true) > 0.8


def test_the_named_references_shape_counts_when_the_glyph_alone_gains_too_little(recognizer) -> None:
    gray, true, aspect, vector = _logo_drawn_300_px_wide(recognizer)
    x0, y0, x1, y1 = true
    h = y1 - y0
    loose = np.array([x0, y0 - h / 2, x1, y1 + h / 2], np.float64)  # twice the logo's height
    embedder = recognizer._embedder
    own = embedder.embed(photo_glyph(gray, loose)[None])[0]
    cut = embedder.embed(photo_glyph(gray, true)[None])[0]
    # Ask the cut to the reference's shape for a glyph gain just over the one it has: on looks alone
    # the loose box stays; counting the shape (the loose box is ln 2 off it, the cut not at all) the
    # cut is taken, and a shape credit too small to cover the shortfall changes nothing.
    gain = float((cut - own) @ vector) + 0.02
    weight = recognizer.config["lookalike_refit_shape"]
    assert 0.02 < weight * np.log(2)
    assert np.array_equal(refit(gray, loose, own, embedder, vector, aspect, gain), loose)
    assert iou(refit(gray, loose, own, embedder, vector, aspect, gain, weight), true) > 0.8
    assert np.array_equal(refit(gray, loose, own, embedder, vector, aspect, gain, 0.01), loose)
