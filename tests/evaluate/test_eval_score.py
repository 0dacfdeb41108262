"""The scorer on hand-made predictions whose metrics are worked out by hand."""

from __future__ import annotations

import json
import math

import pytest

from knowyourband.evaluate.score import Prediction, score


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def _no_nan(metrics: dict) -> None:
    json.dumps(metrics, allow_nan=False)
    assert not any(isinstance(v, float) and math.isnan(v) for v in _walk(metrics))


def test_perfect_predictions_score_one(make):
    photos = [make.photo(1, ("album", [0, 0, 100, 100], "r00001"), ("logo", [200, 0, 400, 50], "b00002"))]
    preds = {
        1: Prediction(
            make.result(make.obj("album", [0, 0, 100, 100], "r00001"), make.obj("logo", [200, 0, 400, 50], "b00002")),
            latency_ms=100.0,
        )
    }
    m = score(photos, preds)
    assert m["detection"]["map50"] == pytest.approx(1.0)
    assert m["retrieval"]["album"]["top1"] == 1.0 and m["retrieval"]["logo"]["top10"] == 1.0
    assert m["end_to_end"]["precision"] == 1.0 and m["end_to_end"]["recall"] == 1.0
    assert m["end_to_end"]["photo_accuracy"] == 1.0 and m["end_to_end"]["thesis_accuracy"] == 1.0
    assert m["latency_ms"]["p50"] == 100.0 and m["latency_ms"]["max"] == 100.0


def test_duplicate_detection_is_a_false_positive(make):
    photos = [make.photo(1, ("logo", [0, 0, 100, 40], "b00001"))]
    preds = {
        1: Prediction(
            make.result(
                make.obj("logo", [0, 0, 100, 40], "b00001", score=0.9),
                make.obj("logo", [2, 0, 100, 40], "b00001", score=0.8),
            )
        )
    }
    m = score(photos, preds)
    assert m["detection"]["precision"] == pytest.approx(0.5)
    assert m["detection"]["recall"] == pytest.approx(1.0)
    assert m["detection"]["ap_logo"] == pytest.approx(1.0)  # the TP ranks first
    assert m["end_to_end"]["precision"] == pytest.approx(0.5)
    assert m["end_to_end"]["recall"] == pytest.approx(1.0)
    assert m["end_to_end"]["photo_accuracy"] == 0.0  # something was reported twice


def test_wrong_identity_counts_for_detection_not_end_to_end(make):
    photos = [make.photo(1, ("album", [0, 0, 100, 100], "r00001"))]
    wrong = make.obj("album", [0, 0, 100, 100], "r00009", candidates=["r00009", "r00005", "r00001"])
    m = score(photos, {1: Prediction(make.result(wrong))})
    assert m["detection"]["ap_album"] == pytest.approx(1.0)
    assert m["retrieval"]["album"]["top1"] == 0.0
    assert m["retrieval"]["album"]["top10"] == 1.0  # third candidate
    assert m["end_to_end"]["precision"] == 0.0 and m["end_to_end"]["recall"] == 0.0
    assert m["end_to_end"]["f1"] == 0.0 and m["end_to_end"]["photo_accuracy"] == 0.0
    assert m["end_to_end"]["thesis_accuracy"] == 1.0  # the thesis counts a top-10 hit


def test_right_identity_wrong_kind_or_place(make):
    photos = [make.photo(1, ("logo", [0, 0, 100, 40], "b00001"))]
    # Right band, but reported as an album of it; and a right logo far from the annotated one.
    as_album = make.obj("album", [0, 0, 100, 40], "r00003", band_key="b00001")
    elsewhere = make.obj("logo", [500, 500, 600, 540], "b00001", score=0.95)
    m = score(photos, {1: Prediction(make.result(elsewhere, as_album))})
    assert m["detection"]["ap_logo"] == 0.0 and m["detection"]["precision"] == 0.0
    assert m["retrieval"]["logo"]["top1"] == 0.0  # best overlap is the album box
    assert m["end_to_end"]["precision"] == 0.0 and m["end_to_end"]["recall"] == 0.0


def test_unknown_regions_count_for_detection_only(make):
    photos = [make.photo(1, ("logo", [0, 0, 100, 40], "b00001"), ("album", [200, 200, 300, 300], "r00002"))]
    res = make.result(
        make.obj("album", [200, 200, 300, 300], "r00002", score=0.9),
        unknowns=[make.unknown("logo", [0, 0, 100, 40], 0.4)],
    )
    m = score(photos, {1: Prediction(res)})
    assert m["detection"]["recall"] == 1.0 and m["detection"]["map50"] == pytest.approx(1.0)
    assert m["detection_identified"]["recall"] == pytest.approx(0.5)
    assert m["retrieval"]["logo"]["top10"] == 0.0
    assert m["end_to_end"]["precision"] == 1.0 and m["end_to_end"]["recall"] == pytest.approx(0.5)


def test_photo_with_nothing_known(make):
    photos = [make.photo(1, scene="none"), make.photo(2, ("album", [0, 0, 50, 50], "r00001"), scene="cd_hand")]
    quiet = {1: Prediction(make.result()), 2: Prediction(make.result(make.obj("album", [0, 0, 50, 50], "r00001")))}
    m = score(photos, quiet)
    none = m["by_scene"]["none"]
    assert none["end_to_end"]["precision"] == 1.0  # nothing to find, nothing wrong said
    assert none["end_to_end"]["recall"] is None and none["detection"]["ap_album"] is None
    assert none["end_to_end"]["photo_accuracy"] == 1.0
    assert m["end_to_end"]["photo_accuracy"] == 1.0
    talkative = {**quiet, 1: Prediction(make.result(make.obj("logo", [0, 0, 10, 10], "b00004")))}
    m = score(photos, talkative)
    assert m["by_scene"]["none"]["end_to_end"]["precision"] == 0.0
    assert m["end_to_end"]["precision"] == pytest.approx(0.5)
    assert m["end_to_end"]["photo_accuracy"] == pytest.approx(0.5)
    _no_nan(m)


def test_empty_predictions_give_zeros_not_nan(make):
    photos = [make.photo(1, ("album", [0, 0, 50, 50], "r00001")), make.photo(2, ("logo", [0, 0, 50, 20], "b00001"))]
    for preds in ({}, {1: Prediction(make.result()), 2: Prediction(None, error="boom")}):
        m = score(photos, preds)
        _no_nan(m)
        assert m["detection"]["ap_album"] == 0.0 and m["detection"]["map50"] == 0.0
        assert m["detection"]["precision"] == 0.0 and m["detection"]["recall"] == 0.0
        assert m["retrieval"]["logo"]["top1"] == 0.0
        assert m["end_to_end"] == pytest.approx(
            {
                "precision": 0.0,
                "recall": 0.0,
                "f1": 0.0,
                "photo_accuracy": 0.0,
                "thesis_accuracy": 0.0,
                "reported": 0,
                "correct": 0,
            }
        )
        assert m["latency_ms"]["p50"] is None
    assert m["errors"] == [{"file_name": "000002.png", "error": "boom"}]
    _no_nan(score([], {}))


def test_groups_by_scene_and_difficulty(make):
    photos = [
        make.photo(1, ("album", [0, 0, 50, 50], "r00001"), scene="cd_hand", difficulty="easy"),
        make.photo(2, ("album", [0, 0, 50, 50], "r00002"), scene="shelf", difficulty="hard"),
    ]
    preds = {
        1: Prediction(make.result(make.obj("album", [0, 0, 50, 50], "r00001")), latency_ms=10.0),
        2: Prediction(make.result(), latency_ms=30.0),
    }
    m = score(photos, preds)
    assert set(m["by_scene"]) == {"cd_hand", "shelf"} and set(m["by_difficulty"]) == {"easy", "hard"}
    assert m["by_scene"]["cd_hand"]["end_to_end"]["recall"] == 1.0
    assert m["by_difficulty"]["hard"]["end_to_end"]["recall"] == 0.0
    assert m["by_difficulty"]["hard"]["latency_ms"]["p50"] == 30.0
    assert m["latency_ms"]["p50"] == 20.0
    assert m["curves"]["pr"]["album"] == [[0.5, 1.0]]
    assert sum(m["curves"]["latency_histogram"]["counts"]) == 2
