"""Naming a detector box from a handful of correspondences whose similarity outlines that box."""

from __future__ import annotations

import numpy as np

from knowyourband.features import Features
from knowyourband.recognize.agreement import box_agreement
from knowyourband.recognize.recognizer import Pass
from knowyourband.verify.vote import Matches

SCALE, SHIFT = 0.2, np.array([300.0, 200.0])  # the reference printed at a fifth of its size


def _logo_position(recognizer) -> int:
    return int(np.nonzero(recognizer.index.locals.refs["kind"] == 0)[0][0])


def _pass(recognizer, ref: int, n: int, runner_up: float = 1.0, rival: int | None = None) -> Pass:
    """A closer look whose only correspondences are n true ones of reference position `ref`; reference
    position `rival` (the next one by default) has `runner_up` votes."""
    locals_ = recognizer.index.locals
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


def test_six_correspondences_name_the_box_their_outline_fills(recognizer) -> None:
    ref = _logo_position(recognizer)
    found = box_agreement(_pass(recognizer, ref, 6), _true_box(recognizer, ref), "logo", recognizer.index,
                          recognizer.config)
    assert found is not None and found.ref == ref and found.inliers == 6 and found.model == "similarity"
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
    assert box_agreement(_pass(recognizer, ref, 4), box, "logo", index, conf) is None
    assert box_agreement(_pass(recognizer, ref, 6, runner_up=3.5), box, "logo", index, conf) is None


def test_only_a_runner_up_of_the_box_kind_can_be_too_close(recognizer) -> None:
    # A cover's votes are shared with the logo printed on it, and a logo's with the covers carrying it.
    kinds = recognizer.index.locals.refs["kind"]
    ref = _logo_position(recognizer)
    album, other_logo = int(np.nonzero(kinds == 1)[0][0]), int(np.nonzero(kinds == 0)[0][1])
    box, conf, index = _true_box(recognizer, ref), recognizer.config, recognizer.index
    assert box_agreement(_pass(recognizer, ref, 6, 5.0, rival=album), box, "logo", index, conf) is not None
    assert box_agreement(_pass(recognizer, ref, 6, 5.0, rival=other_logo), box, "logo", index, conf) is None
