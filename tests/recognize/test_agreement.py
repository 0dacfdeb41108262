"""Naming a detector box from a handful of correspondences whose similarity outlines that box."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine_scenes import drawing
from knowyourband.features import Features
from knowyourband.recognize.agreement import box_agreement, printed_on_cover
from knowyourband.recognize.recognizer import Pass, Recognizer
from knowyourband.verify.vote import Matches

SCALE, SHIFT = 0.2, np.array([300.0, 200.0])  # the reference printed at a fifth of its size


def _logo_position(recognizer) -> int:
    return int(np.nonzero(recognizer.index.locals.refs["kind"] == 0)[0][0])


def _pass(recognizer, ref: int, n: int, runner_up: float = 1.0, rival: int | None = None,
          rows: np.ndarray | None = None) -> Pass:
    """A closer look whose only correspondences are n true ones of reference position `ref` (its first
    n keypoints, or its keypoint `rows`); reference position `rival` (the next one by default) has
    `runner_up` votes."""
    locals_ = recognizer.index.locals
    if rows is None:
        rows = np.arange(locals_.refs["start"][ref], locals_.refs["start"][ref] + n, dtype=np.int64)
    photo = locals_.keypoints(rows).copy()
    photo[:, :2] = photo[:, :2] * SCALE + SHIFT
    matches = Matches(np.arange(n, dtype=np.int32), rows, np.full(n, ref, np.int32), np.ones(n, np.float32))
    votes = np.zeros(len(locals_.refs))
    votes[ref] = n
    votes[(ref + 1) % len(votes) if rival is None else rival] = runner_up
    feats = Features(photo, np.zeros((n, 128), np.float32), 1000, 800)
    return Pass(feats, matches, votes, np.array([ref]), [])


def _true_box(recognizer, ref: int) -> np.ndarray:
    refs = recognizer.index.locals.refs
    return np.array([*SHIFT, *(SHIFT + SCALE * np.array([refs["width"][ref], refs["height"][ref]]))])


def test_four_correspondences_name_the_box_their_outline_fills(recognizer) -> None:
    ref = _logo_position(recognizer)
    found = box_agreement(_pass(recognizer, ref, 4), _true_box(recognizer, ref), "logo", recognizer.index,
                          recognizer.config)
    assert found is not None and found.ref == ref and found.inliers == 4 and found.model == "similarity"
    assert np.abs(found.quad[0] - SHIFT).max() < 1.0
    assert found.score == recognizer.config["agreement_score"]


def test_no_name_when_the_outline_misses_the_box(recognizer) -> None:
    ref = _logo_position(recognizer)
    elsewhere = _true_box(recognizer, ref) + 150.0
    assert box_agreement(_pass(recognizer, ref, 6), elsewhere, "logo", recognizer.index, recognizer.config) is None


def test_no_name_for_a_box_of_the_other_class_too_few_points_or_a_close_runner_up(recognizer) -> None:
    ref = _logo_position(recognizer)
    box, conf, index = _true_box(recognizer, ref), recognizer.config, recognizer.index
    assert box_agreement(_pass(recognizer, ref, 6), box, "album", index, conf) is None
    assert box_agreement(_pass(recognizer, ref, 3), box, "logo", index, conf) is None
    assert box_agreement(_pass(recognizer, ref, 6, runner_up=3.5), box, "logo", index, conf) is None


def test_only_a_runner_up_of_the_box_kind_can_be_too_close(recognizer) -> None:
    # A cover's votes are shared with the logo printed on it, and a logo's with the covers carrying it.
    kinds = recognizer.index.locals.refs["kind"]
    ref = _logo_position(recognizer)
    album, other_logo = int(np.nonzero(kinds == 1)[0][0]), int(np.nonzero(kinds == 0)[0][1])
    box, conf, index = _true_box(recognizer, ref), recognizer.config, recognizer.index
    assert box_agreement(_pass(recognizer, ref, 6, 5.0, rival=album), box, "logo", index, conf) is not None
    assert box_agreement(_pass(recognizer, ref, 6, 5.0, rival=other_logo), box, "logo", index, conf) is None


def test_a_print_cut_by_the_frame_names_the_box_of_what_the_photo_shows(recognizer) -> None:
    # The detector boxes only the part inside the photo; the outline runs on past the frame.
    index, conf, ref = recognizer.index, recognizer.config, _logo_position(recognizer)
    locals_ = index.locals
    width = float(locals_.refs["width"][ref])
    start, count = int(locals_.refs["start"][ref]), int(locals_.refs["count"][ref])
    rows = np.arange(start, start + count, dtype=np.int64)
    rows = rows[locals_.keypoints(rows)[:, 0] < 0.4 * width][:6]
    p = _pass(recognizer, ref, len(rows), rows=rows)
    whole = _true_box(recognizer, ref)
    edge = SHIFT[0] + 0.45 * SCALE * width  # the photo's right edge
    shown = np.array([whole[0], whole[1], edge, whole[3]])
    assert box_agreement(p, shown, "logo", index, conf) is None
    found = box_agreement(p, shown, "logo", index, conf, bounds=np.array([0.0, 0.0, edge, 2000.0]))
    assert found is not None and found.ref == ref
    assert np.abs(found.quad - [[whole[0], whole[1]], [whole[2], whole[1]], [whole[2], whole[3]],
                                [whole[0], whole[3]]]).max() < 1.0  # the whole outline, off the photo too


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Recognizer:
    """The engine of a catalogue whose first band has two logo versions (logo0 and logo1)."""
    from knowyourband.index import build

    folder = tmp_path_factory.mktemp("versions")
    path = drawing.write_catalog(folder / "catalog", 3, 1, seed=5)
    catalog = json.loads(path.read_text())
    catalog["references"][1]["band_id"] = catalog["references"][0]["band_id"]
    path.write_text(json.dumps(catalog))
    build(path, folder / "index", workers=1)
    return Recognizer.open(folder / "index")


def _position(recognizer: Recognizer, key: str) -> int:
    index = recognizer.index
    wanted = index.catalog.reference_by_key(key).id
    return int(np.nonzero(index.locals.refs["id"] == wanted)[0][0])


def test_the_band_other_logo_version_is_no_rival(two_versions: Recognizer) -> None:
    # A print matches each version of its band's logo about as well; either names the band.
    index, conf = two_versions.index, two_versions.config
    first, second, other = (_position(two_versions, key) for key in ("logo0", "logo1", "logo2"))
    box = _true_box(two_versions, first)
    found = box_agreement(_pass(two_versions, first, 6, 5.0, rival=second), box, "logo", index, conf)
    assert found is not None and found.ref == first
    assert box_agreement(_pass(two_versions, first, 6, 5.0, rival=other), box, "logo", index, conf) is None


def _cover_print(recognizer, part: tuple[float, float], n: int = 8, runner_up: float = 1.0,
                 rival: int | None = None) -> tuple[Pass, np.ndarray, int]:
    """A logo box's closer look whose correspondences are n true ones of the first cover, all in its
    top-left `part` (width and height fractions: where a logo is printed on it), reference position
    `rival` (the next one by default) with `runner_up` votes; the pass, a box around those points and
    the cover's position."""
    locals_ = recognizer.index.locals
    cover = int(np.nonzero(locals_.refs["kind"] == 1)[0][0])
    start, count = int(locals_.refs["start"][cover]), int(locals_.refs["count"][cover])
    rows = np.arange(start, start + count, dtype=np.int64)
    xy = locals_.keypoints(rows)[:, :2]
    inside = (xy[:, 0] < part[0] * locals_.refs["width"][cover]) & (xy[:, 1] < part[1] * locals_.refs["height"][cover])
    rows = rows[inside][:: max(1, int(inside.sum()) // n)][:n]
    p = _pass(recognizer, cover, len(rows), runner_up, rival, rows=rows)
    photo = p.features.keypoints[:, :2]
    box = np.array([*(photo.min(axis=0) - 5), *(photo.max(axis=0) + 5)])
    return p, box, cover


def test_a_logo_box_matching_the_part_of_its_band_cover_that_carries_the_logo_is_that_band_logo(recognizer) -> None:
    index, conf = recognizer.index, recognizer.config
    p, box, cover = _cover_print(recognizer, (0.4, 0.2))
    found = printed_on_cover(p, box, 0.9, index, conf)
    assert found is not None and found.model == "cover-print" and found.inliers >= conf["agreement_inliers"]
    named = index.catalog.reference(int(index.locals.refs["id"][found.ref]))
    carried = index.catalog.reference(int(index.locals.refs["id"][cover]))
    assert named.kind == "logo" and named.band_id == carried.band_id
    assert np.allclose(found.quad, [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]])
    assert found.score == conf["cover_print_score"]


def test_no_band_logo_from_the_whole_cover_a_spot_of_it_an_unsure_box_or_a_close_other_band(recognizer) -> None:
    index, conf = recognizer.index, recognizer.config
    p, box, _ = _cover_print(recognizer, (1.0, 1.0), n=40)
    assert printed_on_cover(p, box, 0.9, index, conf) is None  # the picture, not a print on it
    p, box, _ = _cover_print(recognizer, (0.4, 0.2))
    centre = (box[:2] + box[2:]) / 2
    wide = np.array([*(centre - 4 * (box[2:] - box[:2])), *(centre + 4 * (box[2:] - box[:2]))])
    assert printed_on_cover(p, wide, 0.9, index, conf) is None  # a few strokes in a box many times their size
    assert printed_on_cover(p, box, 0.4, index, conf) is None
    other_band_logo = int(np.nonzero(index.locals.refs["kind"] == 0)[0][5])
    p, box, _ = _cover_print(recognizer, (0.4, 0.2), runner_up=5.0, rival=other_band_logo)
    assert printed_on_cover(p, box, 0.9, index, conf) is None
