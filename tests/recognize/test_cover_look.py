"""Naming a blurred, turned cover box from a step back, or by its picture as a whole when the photo's
votes agree."""

from __future__ import annotations

import cv2
import numpy as np

from engine_scenes import drawing
from knowyourband.features import stretch
from knowyourband.recognize.covers import (CoverThumbnails, at_frame, cover_look, inscribed, outlines, sharpened,
                                          step_back, view)
from knowyourband.recognize.proposals import Crop, crop_feature_config, crop_features, crop_search_conf

TURN = 25.0  # degrees


def _laid(cover: np.ndarray, quad: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """A 900 x 700 photo of a plain `colour` with the square `cover` warped onto `quad` (4, 2)."""
    side = cover.shape[0]
    corners = np.float32([[0, 0], [side, 0], [side, side], [0, side]])
    photo = np.full((700, 900, 3), colour, np.uint8)
    warped = cv2.warpPerspective(cover, cv2.getPerspectiveTransform(corners, quad), (900, 700))
    inside = cv2.fillConvexPoly(np.zeros((700, 900), np.uint8), quad.astype(np.int32), 1).astype(bool)
    photo[inside] = warped[inside]
    return photo


def _turned_blurred_photo(cover: np.ndarray, blur: int = 31) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 900 x 700 photo of `cover` turned by TURN degrees and smeared by a `blur`-px motion blur, with
    its true quad (4, 2) and its axis-aligned box [x0, y0, x1, y1]."""
    side = 300
    centred = np.float32([[0, 0], [side, 0], [side, side], [0, side]]) - side / 2
    a = np.deg2rad(TURN)
    quad = centred @ np.float32([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) + np.float32([450, 350])
    photo = _laid(cv2.resize(cover, (side, side), interpolation=cv2.INTER_AREA), quad, (60, 45, 30))
    kernel = np.zeros((blur, blur), np.float32)
    kernel[blur // 2, :] = 1 / blur
    photo = cv2.filter2D(photo, -1, kernel)
    return photo, quad, np.concatenate([quad.min(axis=0), quad.max(axis=0)])


def _slanted_blurred_photo(cover: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 900 x 700 photo of `cover` lying on a pale table seen at a slant (its far side 30 % shorter:
    a trapezoid, no parallelogram), defocused, with its true quad (4, 2) and its box [x0, y0, x1, y1]."""
    quad = np.float32([[340, 200], [620, 200], [680, 520], [280, 520]])
    photo = _laid(cover, quad, (205, 195, 175))
    return cv2.GaussianBlur(photo, (0, 0), 4), quad, np.concatenate([quad.min(axis=0), quad.max(axis=0)])


def _cover(recognizer, n: int = 0) -> tuple[int, np.ndarray]:
    """The n-th cover reference position and its image (RGB)."""
    index = recognizer.index
    position = int(np.nonzero(index.locals.refs["kind"] == 1)[0][n])
    bgr = cv2.imread(index.catalog.reference(int(index.locals.refs["id"][position])).image)
    return position, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _votes(recognizer, votes_for: dict[int, float]) -> np.ndarray:
    votes = np.zeros(len(recognizer.index.locals.refs))
    for ref, weight in votes_for.items():
        votes[ref] = weight
    return votes


def test_a_turned_blurred_cover_is_named_and_outlined_when_the_votes_rank_it_first(recognizer) -> None:
    ref, cover = _cover(recognizer)
    photo, quad, box = _turned_blurred_photo(cover)
    conf = recognizer.config
    found = cover_look(photo, box, _votes(recognizer, {ref: 2.0}), recognizer._covers, conf)
    assert found is not None and found.ref == ref and found.model == "cover look" and found.inliers == 0
    assert found.score == conf["cover_score"]
    # The outline is the cover's, turned, corners in the reference's order (within a tenth of its side).
    assert np.abs(found.quad - quad).max() < 30


def test_a_cover_at_a_slant_is_named_through_the_outline_its_edges_trace_when_sure(recognizer) -> None:
    ref, cover = _cover(recognizer)
    photo, quad, box = _slanted_blurred_photo(cover)
    assert any(np.abs(q[:, None] - quad[None]).sum(axis=2).min(axis=1).max() < 20 for q in outlines(photo, box))
    # Its inscribed views are not sure of it: every corner of theirs sits on a side of the box.
    _, _, similarity, margin = recognizer._covers.nearest(np.stack([view(photo, q) for q in inscribed(box)]))
    conf = {**recognizer.config, "cover_sure_similarity": similarity + 0.02, "cover_sure_margin": 0.0}
    no_votes = _votes(recognizer, {})
    found = cover_look(photo, box, no_votes, recognizer._covers, conf)
    assert found is not None and found.ref == ref and found.model == "cover look"
    assert np.abs(found.quad - quad).max() < 15
    # A cover the catalogue lacks, at the same slant, is no reference's by the default sure rule.
    stranger, _, _ = _slanted_blurred_photo(drawing.draw_cover(99_999))
    assert cover_look(stranger, box, no_votes, recognizer._covers, recognizer.config) is None
    # Nothing traced in a featureless box, and never for a box at the photo's edge.
    assert outlines(np.full((700, 900, 3), 90, np.uint8), box) == []
    assert cover_look(photo[198:], box - np.float64([0, 198, 0, 198]), no_votes, recognizer._covers, conf) is None


def test_no_name_when_the_votes_do_not_rank_it_first_in_a_small_catalogue(recognizer) -> None:
    ref, cover = _cover(recognizer)
    photo, _, box = _turned_blurred_photo(cover)
    votes_needed = {**recognizer.config, "cover_sure_similarity": 1.01}  # its look alone never sure
    assert cover_look(photo, box, _votes(recognizer, {}), recognizer._covers, votes_needed) is None
    outvoted = _votes(recognizer, {ref: 2.0, (ref + 1) % len(recognizer.index.locals.refs): 3.0})
    assert cover_look(photo, box, outvoted, recognizer._covers, votes_needed) is None


def test_a_cover_its_thumbnail_is_sure_of_needs_no_vote_unless_its_box_meets_the_frame(recognizer) -> None:
    ref, cover = _cover(recognizer)
    photo, _, box = _turned_blurred_photo(cover)
    _, nearest, similarity, margin = recognizer._covers.nearest(np.stack([view(photo, q) for q in inscribed(box)]))
    assert nearest == ref
    no_votes = _votes(recognizer, {})
    sure = {**recognizer.config, "cover_margin": 0.0, "cover_sure_margin": margin - 0.01,
            "cover_sure_similarity": similarity - 0.01}
    found = cover_look(photo, box, no_votes, recognizer._covers, sure)
    assert found is not None and found.ref == ref
    for short in ({"cover_sure_margin": margin + 0.01}, {"cover_sure_similarity": similarity + 0.01}):
        assert cover_look(photo, box, no_votes, recognizer._covers, {**sure, **short}) is None
    # The same cover moved up until its box meets the photo's top edge: it may be cut there, so the
    # margin alone no longer names it.
    lift = int(box[1]) - 2
    raised = np.vstack([photo[lift:], np.repeat(photo[-1:], lift, axis=0)])
    at_top = box - np.float64([0, lift, 0, lift])
    assert at_frame(at_top, raised.shape) and not at_frame(box, photo.shape)
    assert cover_look(raised, at_top, no_votes, recognizer._covers, sure) is None


def test_a_cover_the_catalogue_lacks_is_not_named_even_with_votes(recognizer) -> None:
    stranger = drawing.draw_cover(99_999)
    photo, _, box = _turned_blurred_photo(stranger)
    covers = np.nonzero(recognizer.index.locals.refs["kind"] == 1)[0]
    everyone = _votes(recognizer, {int(r): 2.0 for r in covers})  # whichever it is nearest, it ranks first
    assert cover_look(photo, box, everyone, recognizer._covers, recognizer.config) is None


def test_a_step_back_places_a_cover_too_blurred_for_the_first_pass(recognizer) -> None:
    ref, cover = _cover(recognizer)
    photo, quad, box = _turned_blurred_photo(cover, blur=35)
    gray = stretch(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    conf, index = recognizer.config, recognizer.index
    assert recognizer.search_and_verify(recognizer.photo_features(gray)).passing(conf) == []
    found = step_back(gray, photo, box, recognizer.search_and_verify, index, recognizer._covers, conf)
    assert found is not None and found.ref == ref and found.model == "step back"
    assert found.inliers >= conf["step_back_inliers"] and found.score == conf["cover_score"]
    assert np.abs(found.quad - quad).max() < 30  # in the photo's pixels, corners in the reference's order
    # The same placement is refused when the picture read through its outline is not nearest that cover.
    thumbnails = np.array(index.cover_thumbnails)
    thumbnails[ref] = 0
    elsewhere = CoverThumbnails(thumbnails, index.locals.refs["kind"] == 1, index.catalog, index.locals.refs)
    assert step_back(gray, photo, box, recognizer.search_and_verify, index, elsewhere, conf) is None


def _closer_crop(recognizer, gray: np.ndarray, box: np.ndarray) -> Crop:
    """The closer look's crop of an album `box` (over 100 px: no enlargement) and what its search saw."""
    conf = recognizer.config
    feats, origin, enlarge = crop_features(gray, box, conf["proposal_side"], crop_feature_config(conf, False))
    return Crop(recognizer.search_and_verify(feats, crop_search_conf(conf, "album")), box, origin, enlarge)


def test_a_cover_alone_in_a_shaken_photo_is_placed_once_sharpened_by_its_own_candidate(recognizer) -> None:
    ref, cover = _cover(recognizer, 2)
    photo, quad, box = _turned_blurred_photo(cover, blur=39)
    photo = np.clip(photo + np.random.default_rng(0).normal(0, 4, photo.shape), 0, 255).astype(np.uint8)
    gray = stretch(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    conf, index, search = recognizer.config, recognizer.index, recognizer.search_and_verify
    assert search(recognizer.photo_features(gray)).passing(conf) == []
    crop = _closer_crop(recognizer, gray, box)
    assert crop.seen.passing(crop_search_conf(conf, "album")) == []
    found = sharpened(gray, gray, 1.0, crop, search, index, conf)
    assert found is not None and found.ref == ref and found.model == "homography"
    assert found.score >= conf["min_score"] and found.inliers >= conf["min_inliers"]
    assert np.abs(found.quad - quad).max() < 20
    # Without blur to take away there is nothing to sharpen: the crop as it is was the closer look's.
    still, _, _ = _turned_blurred_photo(cover, blur=1)
    still_gray = stretch(cv2.cvtColor(still, cv2.COLOR_RGB2GRAY))
    crop = _closer_crop(recognizer, still_gray, box)
    assert sharpened(still_gray, still_gray, 1.0, crop, search, index, conf) is None


def test_the_views_of_a_box_include_the_box_itself_turns_both_ways_and_a_tighter_box() -> None:
    quads = inscribed(np.array([0.0, 0.0, 100.0, 100.0]))
    assert len(quads) == 120
    assert any(np.allclose(q, [[0, 0], [100, 0], [100, 100], [0, 100]]) for q in quads)
    assert any(np.allclose(q, [[5, 5], [95, 5], [95, 95], [5, 95]]) for q in quads)
    assert any(np.allclose(q, [[20, 0], [100, 20], [80, 100], [0, 80]]) for q in quads)
    assert any(np.allclose(q, [[80, 0], [100, 80], [20, 100], [0, 20]]) for q in quads)


def test_the_recognizer_names_a_cover_blurred_past_its_keypoints_by_its_look(engine_index) -> None:
    from knowyourband.imageio import load_image
    from knowyourband.recognize import Recognizer

    recognizer = Recognizer.open(engine_index)
    ref, cover = _cover(recognizer)
    # At 45 px a few of its keypoints still place it (its box's crop is stretched on its own range).
    photo, quad, _ = _turned_blurred_photo(cover, blur=51)
    png = cv2.imencode(".png", cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))[1].tobytes()
    found = recognizer.recognize(load_image(png)).objects
    assert [(o.kind, o.reference_id, o.inliers) for o in found] == [
        ("album", int(recognizer.index.locals.refs["id"][ref]), 0)]
    # The detector's box grows by the smear (51 px); corners stay in the reference's order.
    assert np.abs(np.array(found[0].quad) - quad).max() < 60
    without = Recognizer.open(engine_index, conf={"cover_look": False})
    assert without.recognize(load_image(png)).objects == []
