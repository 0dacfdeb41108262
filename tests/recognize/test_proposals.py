"""The second pass: a closer look at detector proposals the first pass left unexplained."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from engine_scenes import background, logo_gray, paste, rect_quad
from knowyourband.detect import Detection as Proposal
from knowyourband.features import FeatureConfig
from knowyourband.recognize import proposals
from knowyourband.recognize.detections import Detection
from knowyourband.recognize.proposals import (
    clipped_share,
    crop_features,
    look_closer,
    mark_boxed,
    unexplained,
    without_covers_held_by_logos,
)

KINDS_OF_REFS = np.array([0, 1])  # reference 0 is a logo, 1 a cover (index.locals.KINDS)


def _small_logo_photo(engine_catalog: Path, width: float) -> tuple[np.ndarray, np.ndarray]:
    photo = background(11)
    truth = rect_quad(500, 300, width, width * 165 / 480, angle_deg=6)
    paste(photo, np.repeat(logo_gray(engine_catalog, 5)[..., None], 3, axis=2), truth)
    return cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY), truth


def _box(quad: np.ndarray) -> np.ndarray:
    return np.array([quad[:, 0].min(), quad[:, 1].min(), quad[:, 0].max(), quad[:, 1].max()])


def _proposal(quad: np.ndarray) -> Proposal:
    return Proposal("logo", _box(quad).tolist(), 0.9)


def test_a_small_print_is_placed_in_working_pixels(recognizer, engine_catalog: Path) -> None:
    gray, truth = _small_logo_photo(engine_catalog, 110)
    found = look_closer(gray, [_proposal(truth)], recognizer.config, recognizer.search_and_verify, recognizer.index)
    refs = recognizer.index.locals.refs
    keys = [recognizer.index.catalog.reference(int(refs["id"][d.ref])).key for d in found]
    assert keys == ["logo5"]
    # The crop was enlarged about 2.6x; the outline comes back in the photo's own pixels.
    assert np.abs(found[0].quad - truth).max() < 6
    inside = (found[0].points >= _box(truth)[:2] - 6).all(axis=1) & (found[0].points <= _box(truth)[2:] + 6).all(axis=1)
    assert inside.all()


def test_a_box_the_detector_is_unsure_of_names_only_the_photo_top_voted_reference(recognizer,
                                                                                  engine_catalog: Path) -> None:
    gray, truth = _small_logo_photo(engine_catalog, 110)
    refs, catalog = recognizer.index.locals.refs, recognizer.index.catalog
    keys = [catalog.reference(int(i)).key for i in refs["id"]]
    weak = Proposal("logo", _box(truth).tolist(), 0.25)
    assert recognizer.config["weak_proposal_score"] <= weak.score < recognizer.config["proposal_min_score"]
    votes = np.zeros(len(keys))
    votes[keys.index("logo5")] = 3.0
    found = recognizer._closer_look(gray, 1.0, [weak], {}, votes)
    assert [keys[d.ref] for d in found] == ["logo5"]
    votes[keys.index("logo2")] = 4.0  # the whole photo voted for another logo
    assert recognizer._closer_look(gray, 1.0, [weak], {}, votes) == []
    confident = weak._replace(score=0.9)
    assert [keys[d.ref] for d in recognizer._closer_look(gray, 1.0, [confident], {}, votes)] == ["logo5"]


def test_a_sharper_copy_of_the_photo_is_cropped_in_its_own_pixels(recognizer, engine_catalog: Path) -> None:
    gray, truth = _small_logo_photo(engine_catalog, 110)
    sharper = cv2.resize(gray, (gray.shape[1] * 2, gray.shape[0] * 2), interpolation=cv2.INTER_CUBIC)
    found = look_closer(sharper, [_proposal(truth)], recognizer.config, recognizer.search_and_verify,
                        recognizer.index, scale=2.0)
    assert len(found) == 1
    assert np.abs(found[0].quad - truth).max() < 6  # back in the working photo's pixels


def test_crop_is_enlarged_to_the_asked_side_and_no_further_than_four_times() -> None:
    gray = (np.random.default_rng(0).random((400, 600)) * 255).astype(np.uint8)
    config = FeatureConfig(max_side=4096, max_keypoints=500)
    _, origin, enlarge = crop_features(gray, np.array([100.0, 100.0, 300.0, 150.0]), 100, config)
    assert enlarge == 2.0 and origin.tolist() == [50.0, 87.0]  # 25 % margin on each side, whole pixels
    _, _, enlarge = crop_features(gray, np.array([10.0, 10.0, 60.0, 15.0]), 100, config)
    assert enlarge == 4.0


def test_clipped_share_counts_a_box_pixels_outside_the_gray_range() -> None:
    gray = np.full((100, 200), 100, np.uint8)
    gray[:, :50] = 10  # darker than the range
    gray[:50, 150:] = 250  # brighter
    assert clipped_share(gray, np.array([0.0, 0.0, 100.0, 100.0]), 20, 240) == 0.5
    assert clipped_share(gray, np.array([100.0, 0.0, 200.0, 100.0]), 20, 240) == 0.25
    assert clipped_share(gray, np.array([60.0, 10.0, 140.0, 90.0]), 20, 240) == 0.0
    assert clipped_share(gray, np.array([-50.0, -50.0, 50.0, 50.0]), 20, 240) == 1.0  # cut to the photo
    assert clipped_share(gray, np.array([300.0, 0.0, 400.0, 50.0]), 20, 240) == 0.0  # outside it


def test_only_confident_boxes_outside_found_objects_get_a_closer_look() -> None:
    square = np.array([[0, 0], [100, 0], [100, 100], [0, 100]], dtype=np.float64)
    found = Detection(ref=0, quad=square, inliers=30, ratio=1.0, query=np.zeros(0, np.int32),
                      points=np.zeros((0, 2), np.float32), model="homography")
    proposals = [Proposal("logo", [10, 10, 90, 60], 0.9),  # inside the found object
                 Proposal("logo", [200, 10, 300, 60], 0.2),  # not confident
                 Proposal("logo", [200, 100, 300, 160], 0.5),
                 Proposal("album", [400, 100, 600, 300], 0.8)]
    boxes = unexplained(proposals, [found], KINDS_OF_REFS, min_score=0.3, max_covered=0.5, min_iou=0.6, limit=5)
    assert [b.box for b in boxes] == [[400, 100, 600, 300], [200, 100, 300, 160]]
    assert len(unexplained(proposals, [found], KINDS_OF_REFS, min_score=0.3, max_covered=0.5, min_iou=0.6,
                           limit=1)) == 1


def test_a_cover_box_around_a_found_logo_still_gets_a_closer_look() -> None:
    # The logo printed on a blurred cover is found; the cover around it is not explained by it.
    logo = np.array([[40, 40], [100, 40], [100, 70], [40, 70]], dtype=np.float64)
    found = Detection(ref=0, quad=logo, inliers=30, ratio=1.0, query=np.zeros(0, np.int32),
                      points=np.zeros((0, 2), np.float32), model="homography")
    cover = Proposal("album", [0, 0, 200, 200], 0.9)
    assert unexplained([cover], [found], KINDS_OF_REFS, min_score=0.3, max_covered=0.5, min_iou=0.6,
                       limit=5) == [cover]


def test_the_box_of_a_turned_cover_already_found_gets_no_closer_look() -> None:
    # Turned by 45 degrees, the cover's outline fills half its axis-aligned box, less of a loose one: the
    # box is its box all the same, and a second look would only trade its homography for a rougher outline.
    diamond = np.array([[100, 0], [200, 100], [100, 200], [0, 100]], dtype=np.float64)
    found = Detection(ref=1, quad=diamond, inliers=30, ratio=1.0, query=np.zeros(0, np.int32),
                      points=np.zeros((0, 2), np.float32), model="homography")
    cover, logo = Proposal("album", [-10, -10, 210, 210], 0.9), Proposal("logo", [-10, -10, 210, 210], 0.9)
    assert unexplained([cover, logo], [found], KINDS_OF_REFS, min_score=0.3, max_covered=0.5, min_iou=0.6,
                       limit=5) == [logo]


def test_detections_are_marked_boxed_by_a_proposal_of_their_kind(recognizer) -> None:
    index = recognizer.index
    kinds = index.locals.refs["kind"]
    logo_ref, album_ref = int(np.nonzero(kinds == 0)[0][0]), int(np.nonzero(kinds == 1)[0][0])
    square = np.array([[0, 0], [100, 0], [100, 100], [0, 100]], dtype=np.float64)

    def placed(ref: int) -> Detection:
        return Detection(ref=ref, quad=square, inliers=30, ratio=1.0, query=np.zeros(0, np.int32),
                         points=np.zeros((0, 2), np.float32), model="homography")

    cover, logo, elsewhere = placed(album_ref), placed(logo_ref), placed(album_ref)
    elsewhere.quad = square + 300
    mark_boxed([cover, logo, elsewhere], [Proposal("album", [5, 0, 100, 95], 0.9)], index, 0.3, 0.6)
    assert (cover.boxed, logo.boxed, elsewhere.boxed) == (True, False, False)
    mark_boxed([cover], [Proposal("album", [5, 0, 100, 95], 0.2)], index, 0.3, 0.6)
    assert not cover.boxed


def test_a_cover_hung_on_a_boxed_logo_is_dropped(recognizer) -> None:
    # A band's logo printed on a poster matches its cover too: the cover's outline, hung on the logo's
    # points alone, would spread over the poster and explain away the logos beside it.
    index = recognizer.index
    kinds = index.locals.refs["kind"]
    logo_ref, album_ref = int(np.nonzero(kinds == 0)[0][0]), int(np.nonzero(kinds == 1)[0][0])
    poster = np.array([[0, 0], [600, 0], [600, 600], [0, 600]], dtype=np.float64)
    on_logo = np.random.default_rng(0).uniform([100, 100], [300, 160], (24, 2)).astype(np.float32)

    def placed(ref: int, points: np.ndarray, boxed: bool = False) -> Detection:
        return Detection(ref=ref, quad=poster, inliers=len(points), ratio=1.0, query=np.zeros(0, np.int32),
                         points=points, model="affine", boxed=boxed)

    logo_box = [Proposal("logo", [90, 90, 310, 170], 0.8)]
    hung, logo = placed(album_ref, on_logo), placed(logo_ref, on_logo)
    boxed_cover = placed(album_ref, on_logo, boxed=True)  # the detector saw a cover there
    spread = placed(album_ref, np.concatenate([on_logo, on_logo + 300]))
    kept = without_covers_held_by_logos([hung, boxed_cover, logo, spread], logo_box, index, 0.3)
    assert kept == [boxed_cover, logo, spread]
    assert without_covers_held_by_logos([hung], [Proposal("logo", [90, 90, 310, 170], 0.2)], index, 0.3) == [hung]
    assert without_covers_held_by_logos([hung], [Proposal("logo", [0, 0, 500, 500], 0.8)], index, 0.3) == [hung]


def test_only_logo_boxes_search_for_inverted_prints(recognizer, engine_catalog: Path) -> None:
    gray, truth = _small_logo_photo(engine_catalog, 110)
    polarity = []

    def search(features, conf, **schedule):
        polarity.append(conf["polarity"])
        return recognizer.search_and_verify(features, conf, **schedule)

    box = _box(truth).tolist()
    look_closer(gray, [Proposal("logo", box, 0.9), Proposal("album", box, 0.8)], recognizer.config, search,
                recognizer.index)
    assert polarity == [True, False]


def test_only_crops_that_are_enlarged_keep_the_doubled_octave(recognizer, engine_catalog: Path, monkeypatch) -> None:
    # Small prints live at the doubled octave's scales; a box already `proposal_side` px tall needs no
    # enlargement, and SIFT's doubled octave on it would cost four times the pixels.
    octaves = []
    real = proposals.crop_features

    def spy(gray, box, side, config, shrink=False):
        octaves.append(config.fine_octave)
        return real(gray, box, side, config, shrink)

    monkeypatch.setattr(proposals, "crop_features", spy)
    refs = recognizer.index.locals.refs
    for width in (420, 110):  # 144 and 38 px tall
        gray, truth = _small_logo_photo(engine_catalog, width)
        found = look_closer(gray, [_proposal(truth)], recognizer.config, recognizer.search_and_verify,
                            recognizer.index)
        assert [recognizer.index.catalog.reference(int(refs["id"][d.ref])).key for d in found] == ["logo5"]
    assert octaves == [False, True]
    # A large logo box the detector is sure of that names nothing is looked at again with the doubled
    # octave, where thin or soft strokes keep their keypoints; an unsure box or an album box is not.
    octaves.clear()
    gray = cv2.cvtColor(background(11), cv2.COLOR_RGB2GRAY)
    box = [200.0, 200.0, 620.0, 340.0]
    sure = recognizer.config["fine_look_box_score"]
    for proposal in (Proposal("logo", box, sure), Proposal("logo", box, sure - 0.01), Proposal("album", box, 0.9)):
        assert look_closer(gray, [proposal], recognizer.config, recognizer.search_and_verify, recognizer.index) == []
    assert octaves == [False, True, False, False]


def _print_of_logo3(white_on_black: bool) -> np.ndarray:
    """A gray photo of logo3 printed 480 px wide, black on a light shirt or white on a black one."""
    photo = background(2, level=0.15 if white_on_black else 1.0)
    ink = 1.0 - logo_gray(None, 3) / 255.0
    colour = 235 if white_on_black else 20
    paste(photo, np.full((220, 640, 3), colour, np.uint8), rect_quad(450, 338, 480, 165, angle_deg=8), ink=ink)
    return cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)


def _named(recognizer, found) -> list[str]:
    refs = recognizer.index.locals.refs
    return sorted(recognizer.index.catalog.reference(int(refs["id"][d.ref])).key for d in found)


def test_a_logo_crop_searches_inverted_only_when_its_plain_matches_name_no_logo(recognizer, monkeypatch) -> None:
    inverted_searches = []
    real = recognizer._inverted_matches

    def spy(descriptors, conf):
        inverted_searches.append(len(descriptors))
        return real(descriptors, conf)

    monkeypatch.setattr(recognizer, "_inverted_matches", spy)
    conf = proposals.crop_search_conf(recognizer.config, "logo")
    plain_print = recognizer.photo_features(_print_of_logo3(white_on_black=False))
    found = recognizer.search_and_verify(plain_print, conf, logo_first=True, eager=False)
    assert _named(recognizer, found.passing(conf)) == ["logo3"] and inverted_searches == []

    inverted_print = recognizer.photo_features(_print_of_logo3(white_on_black=True))
    lazy = recognizer.search_and_verify(inverted_print, conf, logo_first=True, eager=False)
    assert _named(recognizer, lazy.passing(conf)) == ["logo3"] and len(inverted_searches) == 1
    # Started beside the plain search or after its verdict, the inverted matches give the same answer.
    eager = recognizer.search_and_verify(inverted_print, conf, logo_first=True, eager=True)
    assert [(d.ref, d.inliers) for d in eager.verified] == [(d.ref, d.inliers) for d in lazy.verified]
    assert np.array_equal(eager.matches.query, lazy.matches.query)


def test_the_closer_look_hands_back_its_crops_of_album_boxes_it_named_nothing_in(recognizer):
    gray = cv2.cvtColor(background(11), cv2.COLOR_RGB2GRAY)  # nothing of the catalogue in it
    empty, logo = [100.0, 100.0, 400.0, 400.0], [500.0, 100.0, 800.0, 200.0]
    unnamed = {}
    found = look_closer(gray, [Proposal("album", empty, 0.9), Proposal("logo", logo, 0.9)], recognizer.config,
                        recognizer.search_and_verify, recognizer.index, unnamed=unnamed)
    assert found == []
    assert list(unnamed) == [tuple(empty)]  # album boxes only: a logo box has no later look of this kind
    crop = unnamed[tuple(empty)]
    assert np.allclose(crop.box, empty) and crop.enlarge == 1.0  # 300 px: no enlargement
    assert np.allclose(crop.origin, [25.0, 25.0])  # the box less its 25 % margin
    assert len(crop.seen.features) > 0
