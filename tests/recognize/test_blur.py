"""A photo's blur measured on the objects found in it, and the photo deconvolved by it."""

from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from engine_scenes import background, logo_gray, paste, rect_quad, save
from knowyourband.index.locals import REF_DTYPE
from knowyourband.recognize import Recognizer
from knowyourband.recognize import blur as blur_module
from knowyourband.recognize.blur import Blur, deconvolve, kernel, measure
from knowyourband.recognize.detections import Detection

REF_W, REF_H = 480, 160  # the reference's own pixels; its thumbnail is 240 x 80


def _lettering(width: int, height: int, seed: int) -> np.ndarray:
    """Black strokes on white: blocky 'letters' with edges in every direction."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 255, np.uint8)
    for i in range(8):
        x = int(width * (0.05 + 0.115 * i))
        pts = np.column_stack([x + rng.uniform(0, 0.1 * width, 5), rng.uniform(0.15, 0.85, 5) * height])
        cv2.polylines(img, [pts.astype(np.int32)], False, 0, max(2, height // 25))
    return img


def _scene(tmp_path: Path, blur: Blur | None, quads: list[np.ndarray]):
    """A gray photo with the reference printed through each quad (working pixels) and then blurred
    by `blur`, with an index whose media holds the reference's thumbnail, and a detection per quad."""
    thumb = _lettering(REF_W // 2, REF_H // 2, seed=5)
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    cv2.imwrite(str(media / "7.jpg"), thumb, [cv2.IMWRITE_JPEG_QUALITY, 95])
    refs = np.zeros(1, dtype=REF_DTYPE)
    refs[0] = (7, 0, 1, REF_W, REF_H, 0)
    index = SimpleNamespace(locals=SimpleNamespace(refs=refs), media=media)
    sharp = _lettering(REF_W, REF_H, seed=5)
    photo = np.full((600, 800), 200, np.float32)
    found = []
    for quad in quads:
        to_photo = cv2.getPerspectiveTransform(np.float32([[0, 0], [REF_W, 0], [REF_W, REF_H], [0, REF_H]]),
                                               np.float32(quad))
        ink = cv2.warpPerspective(255 - sharp, to_photo, (800, 600), flags=cv2.INTER_AREA).astype(np.float32) / 255
        photo = photo * (1 - ink) + 40 * ink  # dark ink on a light grey poster
        found.append(Detection(0, np.asarray(quad, np.float64), 30, 1.0, np.zeros(0, np.int32),
                               np.zeros((0, 2), np.float32), "homography"))
    if blur is not None:
        photo = cv2.filter2D(photo, -1, kernel(blur), borderType=cv2.BORDER_REFLECT)
    noise = np.random.default_rng(1).normal(0, 2.0, photo.shape)
    return np.clip(photo + noise, 0, 255).astype(np.uint8), found, index


QUADS = [np.array([[60, 60], [300, 70], [298, 150], [58, 140]]),
         np.array([[400, 300], [700, 290], [705, 390], [402, 398]])]


@pytest.mark.parametrize("angle", [0, 60, 135])
def test_a_motion_streak_is_measured_on_the_found_objects(tmp_path, angle):
    photo, found, index = _scene(tmp_path, Blur("motion", 12, angle), QUADS)
    blur = measure(photo, found, index, limit=4)
    assert blur.kind == "motion"
    assert abs(blur.size - 12) <= 2
    assert min(abs(blur.angle - angle), 180 - abs(blur.angle - angle)) <= 10


@pytest.mark.parametrize("angle", [30, 120])
def test_a_streak_is_measured_on_outlines_a_few_pixels_off_their_prints(tmp_path, angle):
    # Outlines placed on a few keypoints are often off by a pixel or two; a wide defocus tolerates
    # that better than the true streak does unless each outline is first laid on its print.
    photo, found, index = _scene(tmp_path, Blur("motion", 13, angle), QUADS)
    for d, off in zip(found, ([3, -2], [-2, 3])):
        d.quad = d.quad + off
    blur = measure(photo, found, index, limit=4)
    assert blur.kind == "motion"
    assert abs(blur.size - 13) <= 2
    assert min(abs(blur.angle - angle), 180 - abs(blur.angle - angle)) <= 10


def test_a_streak_between_the_grid_s_steps_is_refined_even_behind_a_defocus(monkeypatch):
    # How alike each kernel makes the found objects: the true streak (12 px at 120 degrees) lies
    # between the grid's lengths, whose nearest streak trails the best defocus by 0.01.
    def alike(_patch, blur: Blur) -> float:
        if blur.kind == "defocus":
            return 0.90 - 0.01 * abs(blur.size - 3.0)
        off = abs(blur.size - 12) / 12 + min(abs(blur.angle - 120), 180 - abs(blur.angle - 120)) / 90
        return 0.92 - 0.4 * off

    monkeypatch.setattr(blur_module, "patches", lambda *_: ["one patch"])
    monkeypatch.setattr(blur_module, "likeness", alike)
    assert measure(None, [], None, limit=4) == Blur("motion", 12.0, 120)


def test_defocus_is_measured_as_defocus(tmp_path):
    photo, found, index = _scene(tmp_path, Blur("defocus", 2.5), QUADS)
    blur = measure(photo, found, index, limit=4)
    assert blur == Blur("defocus", 2.5)


def test_a_sharp_photo_measures_little_blur(tmp_path):
    photo, found, index = _scene(tmp_path, None, QUADS)
    blur = measure(photo, found, index, limit=4)
    assert blur.spread <= 0.75


def test_only_geometric_outlines_of_a_useful_size_are_measured(tmp_path):
    photo, found, index = _scene(tmp_path, Blur("motion", 12, 0), QUADS)
    for d in found:
        d.model = "lookalike"  # its outline is the detector's box, not the print's
    assert measure(photo, found, index, limit=4) is None
    tiny = [np.array([[60, 60], [100, 60], [100, 72], [60, 72]])]
    photo, found, index = _scene(tmp_path, Blur("motion", 12, 0), tiny)
    assert measure(photo, found, index, limit=4) is None
    photo, found, index = _scene(tmp_path, Blur("motion", 12, 0), QUADS)
    found[0].quad = found[0].quad + [0, 2000]  # a candidate placed off the photo
    found[1].quad = found[1].quad - [3000, 0]
    assert measure(photo, found, index, limit=4) is None


def test_kernels_sum_to_one_and_grow_with_scale():
    for blur in (Blur("defocus", 1.5), Blur("motion", 9, 30)):
        assert kernel(blur).sum() == pytest.approx(1.0, abs=1e-5)
        assert kernel(blur, 2.0).shape[0] > kernel(blur).shape[0]
    streak = kernel(Blur("motion", 9, 0))
    assert streak[streak.shape[0] // 2].sum() > 0.9  # a horizontal streak lies on the middle row
    assert Blur("motion", 12, 0).spread == pytest.approx(12 / 12 ** 0.5)


def test_deconvolution_sharpens_inside_its_region_only():
    sharp = _lettering(400, 140, seed=2).astype(np.float32)
    k = kernel(Blur("motion", 9, 45))
    blurred = np.clip(cv2.filter2D(sharp, -1, k, borderType=cv2.BORDER_REFLECT), 0, 255).astype(np.uint8)
    out = deconvolve(blurred, k, 0.01, np.array([0, 0, 200, 140]))
    error_before = np.abs(blurred[:, 20:180].astype(np.float32) - sharp[:, 20:180]).mean()
    error_after = np.abs(out[:, 20:180].astype(np.float32) - sharp[:, 20:180]).mean()
    assert error_after < 0.6 * error_before
    assert np.array_equal(out[:, 200:], blurred[:, 200:])
    assert out.dtype == np.uint8 and out.shape == blurred.shape


def _shaken_poster(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    """A poster of twelve drawn logos (four large, eight smaller) under a 12 px streak and a little
    noise, saved as a JPEG, with each logo's true quad by its reference key."""
    photo = background(5, width=1600, height=1200)
    truth = {}
    for i in range(12):
        width = 420 if i < 4 else 240
        quad = rect_quad(230 + (i % 4) * 380, 170 + (i // 4) * 400, width, width / 2.9)
        paste(photo, np.repeat(logo_gray(None, i)[..., None], 3, axis=2), quad)
        truth[f"logo{i}"] = quad
    shaken = cv2.filter2D(photo.astype(np.float32), -1, kernel(Blur("motion", 12, 60)), borderType=cv2.BORDER_REFLECT)
    noise = np.random.default_rng(0).normal(0, 2, photo.shape)
    return save(np.clip(shaken + noise, 0, 255).astype(np.uint8), tmp_path / "shaken.jpg"), truth


def test_a_shaken_poster_is_looked_at_again_sharpened(recognizer, tmp_path):
    """Four large logos stay legible under a 12 px streak and measure it; of the eight smaller ones the
    closer look cannot name some, which the sharpened photo gives back."""
    path, truth = _shaken_poster(tmp_path)
    plain = {o.reference_key for o in Recognizer(recognizer.index, {"sharpen": False}).recognize(path).objects}
    result = recognizer.recognize(path)
    found = {o.reference_key: o for o in result.objects}
    assert set(found) <= set(truth), "nothing that is not on the poster may be named"
    assert set(found) > plain and len(found) >= len(plain) + 2
    for key, obj in found.items():
        assert np.abs(np.array(obj.quad) - truth[key]).max() < 30, key


def test_the_sharper_look_scans_its_own_number_of_inverted_lists(recognizer, tmp_path, monkeypatch):
    from knowyourband.recognize import recognizer as recognizer_module

    path, _ = _shaken_poster(tmp_path)
    scanned = []
    search = recognizer_module.vectors.search

    def counting(vectors, descriptors, k, nprobe, ef):
        scanned.append(nprobe)
        return search(vectors, descriptors, k, nprobe, ef)

    monkeypatch.setattr(recognizer_module.vectors, "search", counting)
    Recognizer(recognizer.index, {"nprobe": 16, "sharpen_nprobe": 5}).recognize(path)
    assert set(scanned) == {16, 5}
