"""colour-hist: the FAISS ranking equals OpenCV's compareHist, and the pasted card is found."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.baselines.colour_hist import ColourHist, hsv_histogram


def test_similarity_agrees_with_compare_hist(references, photo_with):
    method = ColourHist(references, None)
    hsv = cv2.cvtColor(photo_with(2)[250:610, 500:860], cv2.COLOR_RGB2HSV)
    query = hsv_histogram(hsv, method.conf["bins"])
    ids, scores = method.search(np.sqrt(query)[None], [None])
    hists = method.arrays()["hists"]
    # OpenCV's Bhattacharyya distance, one reference at a time: the slow trusted path.
    dists = np.array([cv2.compareHist(query, h, cv2.HISTCMP_BHATTACHARYYA) for h in hists])
    assert list(ids[0, : len(hists)]) == list(np.argsort(dists, kind="stable"))
    np.testing.assert_allclose(scores[0, : len(hists)], 1.0 - np.sort(dists) ** 2, atol=1e-4)
    assert ids[0, 0] == 2


def test_finds_the_pasted_card(references, photo_with):
    result = ColourHist(references, None).recognize(photo_with(4, at=(100, 400), side=300))
    assert result.objects and result.objects[0].reference_key == "ref00004"
    x0, y0, x1, y1 = result.objects[0].box
    assert x0 < 250 < x1 and y0 < 550 < y1


def test_histogram_is_normalised():
    hsv = np.zeros((10, 10, 3), np.uint8)
    h = hsv_histogram(hsv, [4, 4, 4])
    assert h.shape == (64,) and abs(h.sum() - 1.0) < 1e-6 and h[0] == 1.0


def test_a_region_of_known_kind_searches_only_that_kind(references, photo_with):
    """As the thesis searched a detector crop in its class's tree: the cards are all albums."""
    method = ColourHist(references, None)
    hsv = cv2.cvtColor(photo_with(2)[250:610, 500:860], cv2.COLOR_RGB2HSV)
    query = np.sqrt(hsv_histogram(hsv, method.conf["bins"]))[None]
    every, _ = method.search(query, [None])
    albums, _ = method.search(query, ["album"])
    logos, scores = method.search(query, ["logo"])
    np.testing.assert_array_equal(albums, every)
    assert (logos == -1).all() and not scores.any()
