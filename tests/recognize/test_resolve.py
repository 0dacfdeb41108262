"""Multi-object resolution: one identity per region, the cover wins over the logo printed on it."""

import numpy as np

from knowyourband.recognize.detections import Detection, resolve


def _square(x: float, y: float, side: float) -> np.ndarray:
    return np.array([[x, y], [x + side, y], [x + side, y + side], [x, y + side]], dtype=np.float64)


def _detection(ref: int, quad: np.ndarray, points: np.ndarray, score: float) -> Detection:
    return Detection(ref=ref, quad=quad, inliers=len(points), ratio=1.0, query=np.arange(len(points), dtype=np.int32),
                     points=points.astype(np.float32), model="homography", score=score)


def _grid(x: float, y: float, side: float, n: int) -> np.ndarray:
    g = np.linspace(0.1, 0.9, n)
    return np.array([(x + a * side, y + b * side) for a in g for b in g])


def test_cover_with_more_inliers_outside_replaces_a_higher_scored_logo_printed_on_it():
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 6), score=0.95)  # 36 inliers
    cover = _detection(2, _square(0, 0, 200), np.vstack([_grid(20, 20, 40, 6), _grid(0, 0, 200, 8)]), score=0.9)
    kept, rivals = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [2]
    assert [d.ref for d in rivals[0]] == [1]


def test_logo_alone_still_beats_a_cover_whose_inliers_all_sit_on_the_logo():
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 6), score=0.95)
    cover = _detection(2, _square(0, 0, 200), _grid(22, 22, 36, 7), score=0.9)  # 49 inliers, all on the logo
    kept, _ = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [1]


def test_separate_objects_are_both_kept():
    a = _detection(1, _square(0, 0, 50), _grid(0, 0, 50, 4), score=0.9)
    b = _detection(2, _square(100, 100, 50), _grid(100, 100, 50, 4), score=0.8)
    kept, _ = resolve([a, b], 0.5, 8)
    assert sorted(d.ref for d in kept) == [1, 2]


def test_cover_with_fewer_inliers_than_its_logo_still_wins_with_enough_of_them_outside_it():
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 7), score=0.95)  # 49 inliers
    # 36 of the cover's inliers sit on the logo, 9 on the rest of the sleeve: the photo shows the cover.
    outside = np.array([(100 + 10 * i, 150.0) for i in range(9)])
    cover = _detection(2, _square(0, 0, 200), np.vstack([_grid(20, 20, 40, 6), outside]), score=0.9)
    kept, _ = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [2]


def test_a_higher_scored_cover_is_not_replaced_by_the_logo_holding_most_of_its_inliers():
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 5), score=0.8)
    outside = np.array([(100 + 10 * i, 150.0) for i in range(8)])
    cover = _detection(2, _square(0, 0, 200), np.vstack([_grid(20, 20, 40, 5), outside]), score=0.95)
    kept, rivals = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [2] and [d.ref for d in rivals[0]] == [1]


def test_seven_inliers_outside_the_logo_are_not_enough_to_name_the_cover():
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 5), score=0.8)
    outside = np.array([(100 + 10 * i, 150.0) for i in range(7)])
    cover = _detection(2, _square(0, 0, 200), np.vstack([_grid(20, 20, 40, 5), outside]), score=0.95)
    kept, _ = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [1]


def test_a_cover_the_detector_boxed_wins_over_its_logo_even_when_all_its_inliers_sit_on_the_logo():
    # A blurred sleeve matches only through its sharp logo; the detector's cover box vouches for it.
    logo = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 6), score=0.95)
    cover = _detection(2, _square(0, 0, 200), _grid(22, 22, 36, 7), score=0.6)
    cover.boxed = True
    kept, rivals = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [2] and [d.ref for d in rivals[0]] == [1]
    logo.boxed = True  # the detector boxed both: the inliers decide again
    kept, _ = resolve([logo, cover], 0.5, 8)
    assert [d.ref for d in kept] == [1]


def test_a_cover_placed_through_a_poster_logo_does_not_push_out_the_logos_around_it():
    # On a poster a band's logo also matches its album cover, whose outline then spreads over the
    # neighbouring logos. Beating a neighbour must not let the cover past the logo its points lie on.
    neighbour = _detection(1, _square(10, 150, 30), _grid(10, 150, 30, 4), score=0.97)
    logo = _detection(2, _square(60, 60, 60), _grid(60, 60, 60, 5), score=0.85)
    cover = _detection(3, _square(0, 0, 200), _grid(62, 62, 56, 6), score=0.45)  # all 36 inliers on the logo
    kept, rivals = resolve([neighbour, logo, cover], 0.5, 8)
    assert sorted(d.ref for d in kept) == [1, 2]
    assert [d.ref for d in rivals[[d.ref for d in kept].index(2)]] == [3]


def test_a_cover_seen_whole_replaces_every_logo_printed_on_it():
    band = _detection(1, _square(20, 20, 40), _grid(20, 20, 40, 5), score=0.95)
    title = _detection(2, _square(120, 120, 40), _grid(120, 120, 40, 5), score=0.9)
    cover = _detection(3, _square(0, 0, 200), np.vstack([_grid(20, 20, 40, 5), _grid(0, 0, 200, 8)]), score=0.8)
    kept, rivals = resolve([band, title, cover], 0.5, 8)
    assert [d.ref for d in kept] == [3]
    assert sorted(d.ref for d in rivals[0]) == [1, 2]


def test_of_two_outlines_of_one_reference_the_one_held_by_more_inliers_wins_over_a_higher_score():
    # A lookalike named on a detector box that cut the logo, and a similarity fitted on the whole logo.
    cut = _detection(3, _square(40, 0, 60), np.zeros((0, 2)), score=0.98)
    fitted = _detection(3, _square(0, 0, 100), _grid(0, 0, 100, 3), score=0.97)
    kept, rivals = resolve([cut, fitted], 0.5, 8)
    assert len(kept) == 1 and kept[0] is fitted and rivals[0] == [cut]
    # Another reference in the same place is judged by score as before.
    other = _detection(4, _square(40, 0, 60), _grid(40, 0, 60, 3), score=0.97)
    kept, _ = resolve([cut, other], 0.5, 8)
    assert [d.ref for d in kept] == [3]
