"""RootSIFT extraction: normalisation, the keypoint cap's spread, polarity, transparent references."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.features import FeatureConfig, extract, invert_polarity, reference_gray, rootsift, stretch


def pattern(seed: int = 0, width: int = 640, height: int = 480) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 255, np.uint8)
    for _ in range(40):
        pts = np.stack([rng.uniform(0, width, 4), rng.uniform(0, height, 4)], axis=1).astype(np.int32)
        cv2.polylines(img, [pts], False, 0, int(rng.integers(2, 7)))
    return img


def test_rootsift_is_unit_norm_and_nonnegative() -> None:
    raw = np.random.default_rng(0).integers(0, 200, (50, 128)).astype(np.float32)
    d = rootsift(raw)
    assert d.dtype == np.float32 and (d >= 0).all()
    assert np.allclose(np.linalg.norm(d, axis=1), 1.0, atol=1e-5)


def test_extract_scales_keypoints_back_and_caps_with_spread() -> None:
    img = pattern(1, 1600, 1200)
    feats = extract(img, FeatureConfig(max_side=800, max_keypoints=300))
    assert 0 < len(feats) <= 300 and feats.descriptors.shape == (len(feats), 128)
    assert feats.keypoints[:, 0].max() > 1200, "positions must be in the input's pixels, not the working size"
    # Every quarter of the image keeps a share of the cap.
    quarters = (feats.keypoints[:, 0] > 800).astype(int) + 2 * (feats.keypoints[:, 1] > 600)
    assert np.bincount(quarters, minlength=4).min() >= 30
    # Coarse keypoints survive the cap (they are what a tiny copy of the image shares with it).
    assert (feats.keypoints[:, 2] > 8 * np.median(feats.keypoints[:, 2])).any() or feats.keypoints[:, 2].max() > 40


def test_describe_max_bounds_the_keypoints_described_and_changes_nothing_below_it() -> None:
    noise = np.random.default_rng(3).integers(0, 256, (600, 800), dtype=np.uint8)
    everything = cv2.SIFT_create(contrastThreshold=0.03).detect(noise, None)
    assert len(everything) > 2 * 900, "the test needs a photo with far more keypoints than are described"
    bounded = extract(noise, FeatureConfig(max_keypoints=300, describe_max=900))
    assert len(bounded) == 300
    # The spread picks from the 900 strongest, so every keypoint kept is one of them.
    strongest = {(round(k.pt[0], 1), round(k.pt[1], 1)) for k in sorted(everything, key=lambda k: -k.response)[:900]}
    assert all((round(float(x), 1), round(float(y), 1)) in strongest for x, y in bounded.keypoints[:, :2])
    img = pattern(4)
    plain = extract(img, FeatureConfig(max_keypoints=300))
    assert len(cv2.SIFT_create(contrastThreshold=0.03).detect(img, None)) < 3000
    same = extract(img, FeatureConfig(max_keypoints=300, describe_max=3000))
    assert np.array_equal(plain.keypoints, same.keypoints) and np.array_equal(plain.descriptors, same.descriptors)


def test_without_the_fine_octave_the_coarser_keypoints_stay_in_the_input_pixels() -> None:
    img = pattern(5, 800, 600)
    everything = FeatureConfig(max_keypoints=100_000)
    fine = extract(img, everything)
    coarse = extract(img, FeatureConfig(max_keypoints=100_000, fine_octave=False))
    assert 0 < len(coarse) < 0.7 * len(fine)
    assert coarse.keypoints[:, 2].min() > 1.5 * fine.keypoints[:, 2].min(), "nothing as fine as the doubled octave"
    # The keypoints found are the full extraction's coarser ones, at the same places and sizes.
    dist = np.linalg.norm(coarse.keypoints[:, None, :2] - fine.keypoints[None, :, :2], axis=2)
    nearest = dist.argmin(axis=1)
    ratio = coarse.keypoints[:, 2] / fine.keypoints[nearest, 2]
    same = (dist.min(axis=1) < 2.0) & (np.abs(np.log2(ratio)) < 0.35)
    assert same.mean() > 0.6
    capped = extract(img, FeatureConfig(max_keypoints=150, fine_octave=False))
    quarters = (capped.keypoints[:, 0] > 400).astype(int) + 2 * (capped.keypoints[:, 1] > 300)
    assert len(capped) == 150 and np.bincount(quarters, minlength=4).min() >= 15


def test_inverted_polarity_matches_the_inverted_image() -> None:
    img = pattern(2)
    a = extract(img)
    b = extract(255 - img)
    dist = np.linalg.norm(a.keypoints[:, None, :2] - b.keypoints[None, :, :2], axis=2)
    pairs = np.nonzero(dist.min(axis=1) < 0.5)[0]
    assert len(pairs) > 0.8 * len(a)  # the same extrema are found
    da, db = a.descriptors[pairs], b.descriptors[dist[pairs].argmin(axis=1)]
    plain = np.linalg.norm(da - db, axis=1).mean()
    flipped = np.linalg.norm(invert_polarity(da) - db, axis=1).mean()
    assert flipped < 0.5 * plain


def test_reference_gray_makes_ink_dark_on_white() -> None:
    ink = np.zeros((50, 80), np.uint8)
    ink[10:40, 10:70] = 255
    white = np.full((50, 80, 3), 255, np.uint8)
    gray = reference_gray(white, ink)  # white ink on transparency: the alpha is the ink
    assert gray[25, 40] < 10 and gray[2, 2] > 245
    black = np.zeros((50, 80, 3), np.uint8)
    gray = reference_gray(black, ink)  # dark ink composites over white
    assert gray[25, 40] < 10 and gray[2, 2] > 245
    assert (reference_gray(white, None) == 255).all()


def test_stretch_spreads_a_dark_photo() -> None:
    dark = (pattern(3) // 8).astype(np.uint8)  # 0..31
    out = stretch(dark)
    assert out.max() >= 250 and out.min() <= 5
    flat = np.full((40, 40), 17, np.uint8)
    assert (stretch(flat) == flat).all()


def test_art_of_little_luminance_contrast_is_described_again_stretched() -> None:
    # Blue lettering on a dark teal backdrop: plain to the eye, 12 gray levels apart in luminance.
    art = np.zeros((220, 640, 3), np.uint8)
    art[:] = (20, 40, 40)
    cv2.putText(art, "HARVEST", (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 4, (30, 30, 170), 6, cv2.LINE_AA)
    gray = reference_gray(art, None)
    assert int(gray.max()) - int(gray.min()) <= 12
    plain = FeatureConfig(max_keypoints=400, contrast_threshold=0.02, fine_octave=False)
    again = FeatureConfig(**{**plain.to_dict(), "stretch_below": 20})
    assert len(extract(gray, plain)) < 10
    spread = extract(gray, again)
    assert len(spread) > 50
    assert spread.keypoints[:, 0].max() < 640 and spread.keypoints[:, 1].min() > 30, "on the lettering, input pixels"
    # An image with enough keypoints of its own is described as it is.
    img = pattern(6)
    a, b = extract(img, plain), extract(img, again)
    assert len(a) >= 20 and np.array_equal(a.keypoints, b.keypoints) and np.array_equal(a.descriptors, b.descriptors)
