"""KYB-Synth photo geometry: projections, clipping, pasting onto canvases, occlusion, cloth deformation."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from knowyourband.synth import geometry as geo
from knowyourband.synth.photos import _annotate
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import References


def _texture(w: int, h: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = cv2.resize(rng.uniform(0.3, 1.0, (h // 8, w // 8, 3)).astype(np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    return img


def test_perspective_quad_without_tilt_is_the_scaled_rectangle() -> None:
    quad = geo.perspective_quad(200, 100, center=(500, 400), size=300)
    np.testing.assert_allclose(quad, [[350, 325], [650, 325], [650, 475], [350, 475]], atol=1e-9)


def test_tilt_foreshortens_and_keeps_corner_order() -> None:
    quad = geo.perspective_quad(100, 100, center=(0, 0), size=100, rotation_deg=30, tilt_deg=45, tilt_axis_deg=0)
    # Clockwise in image coordinates (y down): positive shoelace sum.
    x, y = quad[:, 0], quad[:, 1]
    assert np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)) > 0
    assert geo.polygon_area(quad) < 100 * 100 * 0.85  # cos(45°) ≈ 0.71 plus perspective


def test_clip_polygon_and_bbox() -> None:
    quad = np.array([[-10.0, -10.0], [50.0, -10.0], [50.0, 30.0], [-10.0, 30.0]])
    clipped = geo.clip_polygon(quad, 40, 20)
    assert geo.bbox(clipped) == [0.0, 0.0, 40.0, 20.0]
    assert geo.polygon_area(clipped) == 800.0
    assert len(geo.clip_polygon(quad + 1000, 40, 20)) == 0


def test_pasted_reference_lands_exactly_inside_its_quad() -> None:
    src = _texture(160, 120)
    quad = geo.perspective_quad(160, 120, (200, 150), 220, rotation_deg=17, tilt_deg=35, tilt_axis_deg=60)
    h = geo.homography(geo.corners(160, 120), quad)
    canvas = Canvas(400, 300, color=(0.0, 0.0, 0.0))
    canvas.paste(src, None, h, ref={"id": "r", "kind": "album"})
    np.testing.assert_allclose(canvas.objects[0].quad(), quad, atol=1e-6)
    painted = canvas.rgb.max(axis=2) > 0.05
    inside = np.zeros((300, 400), np.uint8)
    cv2.fillPoly(inside, [np.round(quad * 16).astype(np.int32)], 1, shift=4)
    grown = cv2.dilate(inside, np.ones((3, 3), np.uint8))
    shrunk = cv2.erode(inside, np.ones((3, 3), np.uint8))
    assert not (painted & (grown == 0)).any(), "paint outside the quad"
    assert painted[shrunk > 0].all(), "holes inside the quad"


def test_half_pixel_convention_is_exact() -> None:
    """A linear ramp survives bilinear warping exactly, so any half-pixel slip would show."""
    w, h = 160, 120
    jj, ii = np.meshgrid(np.arange(w), np.arange(h))
    # The value at continuous (edge) coordinate (x, y) is (x / w, y / h); pixel centres sit at +0.5.
    src = np.dstack([(jj + 0.5) / w, (ii + 0.5) / h, np.full((h, w), 0.5)]).astype(np.float32)
    quad = geo.perspective_quad(w, h, (200, 150), 200, rotation_deg=-23, tilt_deg=30, tilt_axis_deg=20)
    hom = geo.homography(geo.corners(w, h), quad)
    canvas = Canvas(400, 300)
    canvas.paste(src, None, hom)
    inside = np.zeros((300, 400), np.uint8)
    cv2.fillPoly(inside, [np.round(quad * 16).astype(np.int32)], 1, shift=4)
    ys, xs = np.nonzero(cv2.erode(inside, np.ones((5, 5), np.uint8)))
    back = geo.project(np.linalg.inv(hom), np.column_stack([xs + 0.5, ys + 0.5]))
    np.testing.assert_allclose(canvas.rgb[ys, xs, 0], back[:, 0] / w, atol=2e-3)
    np.testing.assert_allclose(canvas.rgb[ys, xs, 1], back[:, 1] / h, atol=2e-3)


def test_big_sources_are_shrunk_but_quads_stay_exact() -> None:
    src = _texture(1200, 1200)
    quad = geo.perspective_quad(1200, 1200, (100, 100), 120, rotation_deg=5)
    canvas = Canvas(200, 200)
    canvas.paste(src, None, geo.homography(geo.corners(1200, 1200), quad), ref={"id": "r", "kind": "album"})
    np.testing.assert_allclose(canvas.objects[0].quad(), quad, atol=1e-6)
    assert canvas.objects[0].size == (1200, 1200)


def test_nested_canvases_compose_homographies_and_track_occlusion() -> None:
    inner = Canvas(100, 100, color=(1.0, 1.0, 1.0))
    inner.paste(_texture(64, 64), None, geo.translation(18, 18) @ geo.scaling(1.0), ref={"id": "a", "kind": "album"})
    outer = Canvas(300, 300)
    h = geo.translation(50, 60) @ geo.scaling(2.0)
    outer.paste_canvas(inner, h)
    np.testing.assert_allclose(outer.objects[0].quad(), [[86, 96], [214, 96], [214, 224], [86, 224]], atol=1e-6)
    # Cover the left half of the object: about half of it is hidden.
    mask = np.zeros((300, 300), np.float32)
    mask[:, :150] = 1
    outer.occlude(mask, (0.5, 0.5, 0.5))
    [ann] = _annotate(outer)
    assert abs(ann["occluded"] - 64 / 128) < 0.03
    assert ann["bbox"] == [86.0, 96.0, 128.0, 128.0]


def test_cloth_deformation_refits_a_near_projection() -> None:
    canvas = Canvas(300, 300, color=(0.1, 0.1, 0.1))
    canvas.paste(_texture(120, 80), None, geo.translation(90, 110), ref={"id": "l", "kind": "logo"})
    yy, xx = np.mgrid[0:300, 0:300].astype(np.float32)
    disp = np.stack([3 * np.sin(yy / 25), 3 * np.sin(xx / 30)], axis=-1).astype(np.float32)
    canvas.deform(disp)
    fitted = canvas.objects[0].quad()
    true_corners = geo.forward_map(disp, geo.corners(120, 80) + [90, 110])
    assert np.abs(fitted - true_corners).max() < 4.0  # the fold amplitude is 3 px
    # The forward map really inverts the warp: sampling back lands where we started.
    back = true_corners + geo.sample_field(disp, true_corners)
    np.testing.assert_allclose(back, geo.corners(120, 80) + [90, 110], atol=0.05)


def test_logo_ink_is_the_same_for_both_reference_polarities(tmp_path) -> None:
    ink = np.zeros((40, 90), np.uint8)
    ink[10:30, 10:80] = 255
    Image.fromarray(255 - ink).convert("RGB").save(tmp_path / "black.png")
    white = np.dstack([np.full_like(ink, 255)] * 3 + [ink])
    Image.fromarray(white, "RGBA").save(tmp_path / "white.png")
    refs = References.__new__(References)
    refs.root = tmp_path
    a = refs.logo_ink({"image": "black.png"})
    b = refs.logo_ink({"image": "white.png"})
    np.testing.assert_allclose(a, ink / 255, atol=1e-6)
    np.testing.assert_allclose(b, ink / 255, atol=1e-6)


def test_a_tiny_unhidden_logo_is_not_called_occluded() -> None:
    canvas = Canvas(100, 100)
    h = geo.translation(40.3, 50.7) @ geo.rotation(11) @ geo.scaling(0.05)
    canvas.paste((1.0, 1.0, 1.0), np.ones((80, 240), np.float32), h, ref={"id": "l", "kind": "logo"})
    [ann] = _annotate(canvas)
    assert ann["occluded"] == 0.0
    assert 40 < ann["area"] < 56  # 12 x 4 px
