"""End to end on generated photos with known answers: perspective, polarity, rotation, posters, nothing."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import cv2
import numpy as np

from engine_scenes import background, cover_rgb, drawing, logo_gray, paste, rect_quad, save
from knowyourband.detect import Detection as Proposal
from knowyourband.imageio import load_image
from knowyourband.recognize.detections import quad_box
from knowyourband.recognize.proposals import look_closer


def corner_error(found: list[list[float]], truth: np.ndarray) -> float:
    return float(np.abs(np.array(found) - truth).max())


def test_cover_at_45_degrees(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(1)
    # A cover turned 45 degrees about its vertical axis: the far edge is ~30% shorter.
    truth = np.array([[285, 150], [570, 218], [570, 458], [285, 525]], dtype=np.float64)
    paste(photo, cover_rgb(engine_catalog, 1), truth)
    result = recognizer.recognize(save(photo, tmp_path / "cover.jpg"))
    assert [o.reference_key for o in result.objects] == ["cover1"]
    obj = result.objects[0]
    assert obj.kind == "album" and obj.release.key == "r1" and obj.band.key == "b1"
    assert obj.score >= 0.7 and obj.inliers >= 20
    assert corner_error(obj.quad, truth) < 8
    assert obj.box == [min(q[0] for q in obj.quad), min(q[1] for q in obj.quad),
                       max(q[0] for q in obj.quad), max(q[1] for q in obj.quad)]
    assert obj.candidates[0].reference_key == "cover1"
    assert result.timing_ms["total"] > 0


def test_white_on_black_print_of_a_black_on_white_logo(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(2, level=0.15)  # a black shirt
    ink = 1.0 - logo_gray(engine_catalog, 3) / 255.0
    truth = rect_quad(450, 338, 480, 165, angle_deg=8)
    paste(photo, np.full((220, 640, 3), 235, np.uint8), truth, ink=ink)
    result = recognizer.recognize(save(photo, tmp_path / "shirt.jpg"))
    assert [o.reference_key for o in result.objects] == ["logo3"]
    assert result.objects[0].kind == "logo" and result.objects[0].release is None
    assert corner_error(result.objects[0].quad, truth) < 10


def test_white_on_transparent_reference(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    # logo0 is stored as white ink on a transparent PNG; the print is white on a dark patch.
    photo = background(3, level=0.2)
    ink = 1.0 - logo_gray(engine_catalog, 0) / 255.0
    paste(photo, np.full((220, 640, 3), 245, np.uint8), rect_quad(450, 338, 420, 144, angle_deg=-5), ink=ink)
    result = recognizer.recognize(save(photo, tmp_path / "patch.jpg"))
    assert [o.reference_key for o in result.objects] == ["logo0"]


def test_any_in_plane_rotation(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    for angle in (137, 250):
        photo = background(4)
        rgb = np.repeat(logo_gray(engine_catalog, 5)[..., None], 3, axis=2)
        truth = rect_quad(450, 338, 420, 145, angle_deg=angle)
        paste(photo, rgb, truth)
        result = recognizer.recognize(save(photo, tmp_path / f"rot{angle}.jpg"))
        assert [o.reference_key for o in result.objects] == ["logo5"], angle
        assert corner_error(result.objects[0].quad, truth) < 10


def test_poster_of_twelve_logos(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(5, width=1600, height=1200)
    truth = {}
    for i in range(12):
        rgb = np.repeat(logo_gray(engine_catalog, i)[..., None], 3, axis=2)
        quad = rect_quad(210 + (i % 4) * 390, 170 + (i // 4) * 400, 330, 113, angle_deg=(i % 3 - 1) * 4)
        paste(photo, rgb, quad)
        truth[f"logo{i}"] = quad
    result = recognizer.recognize(save(photo, tmp_path / "poster.jpg"))
    found = {o.reference_key: o for o in result.objects}
    assert set(found) <= set(truth), "nothing that is not on the poster may be named"
    assert len(found) >= 10
    for key, obj in found.items():
        assert corner_error(obj.quad, truth[key]) < 12, key


def test_same_logo_twice(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(6)
    rgb = np.repeat(logo_gray(engine_catalog, 7)[..., None], 3, axis=2)
    paste(photo, rgb, rect_quad(250, 190, 360, 124))
    paste(photo, rgb, rect_quad(640, 490, 360, 124, angle_deg=20))
    result = recognizer.recognize(save(photo, tmp_path / "twice.jpg"))
    assert [o.reference_key for o in result.objects] == ["logo7", "logo7"]
    centres = sorted(round((o.box[0] + o.box[2]) / 2) for o in result.objects)
    assert abs(centres[0] - 250) < 12 and abs(centres[1] - 640) < 12


def test_photo_of_nothing_known(recognizer, tmp_path: Path) -> None:
    # Logos and a cover drawn the same way as the catalogue's, but not in it: the engine stays silent.
    photo = background(7)
    for i, (cx, cy) in enumerate([(250, 165), (650, 190), (250, 510)]):
        gray = drawing.draw_logo(90_000 + i)
        paste(photo, np.repeat(gray[..., None], 3, axis=2), rect_quad(cx, cy, 360, 124, angle_deg=10 * i))
    paste(photo, drawing.draw_cover(90_500), rect_quad(660, 490, 285, 285, angle_deg=-8))
    result = recognizer.recognize(save(photo, tmp_path / "unknown.jpg"))
    assert result.objects == []


def test_thread_safe_concurrent_calls(recognizer, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(8)
    paste(photo, cover_rgb(engine_catalog, 0), rect_quad(450, 338, 380, 380, angle_deg=12))
    path = save(photo, tmp_path / "threads.jpg")
    keys: list[list[str]] = []
    threads = [threading.Thread(target=lambda: keys.append([o.reference_key for o in recognizer.recognize(path).objects]))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert keys == [["cover0"]] * 2


def test_the_closer_look_reads_the_same_detail_whether_kept_or_decoded_again(recognizer, tmp_path: Path) -> None:
    # The 2000 px photo was decoded at full size on its way to the 1280 px working copy; keeping those
    # pixels spares the closer look a second decode and changes none of them.
    path = save(background(5, width=2000, height=1500), tmp_path / "big.jpg")
    kept = load_image(path, max_side=1280, detail_side=2560)
    plain = load_image(path, max_side=1280)
    from_kept, scale = recognizer._detail_gray(path, kept)
    decoded_again, scale_again = recognizer._detail_gray(path, plain)
    assert scale == scale_again == 2000 / 1280
    assert np.array_equal(from_kept, decoded_again)
    # Gray levels as decoded: each crop is stretched on its own range.
    assert np.array_equal(from_kept, cv2.cvtColor(load_image(path).rgb, cv2.COLOR_RGB2GRAY))

    class OneWay(io.RawIOBase):  # an upload stream that cannot be rewound
        def readable(self) -> bool:
            return True

    working, scale = recognizer._detail_gray(OneWay(), plain)
    assert np.array_equal(working, cv2.cvtColor(plain.rgb, cv2.COLOR_RGB2GRAY)) and scale == 1.0


def test_a_closer_look_reads_faint_lettering_on_a_dark_panel_of_a_bright_photo(recognizer,
                                                                               engine_catalog: Path) -> None:
    # The panel is darker than the photo's 1st percentile: the whole photo's stretch turns it black.
    photo = background(4, width=1280, height=960, level=1.4)
    ink = logo_gray(engine_catalog, 3).astype(np.float32) / 255
    quad = rect_quad(640, 480, 200, 200 * ink.shape[0] / ink.shape[1])
    paste(photo, np.repeat((18 + 22 * ink)[..., None], 3, axis=2).astype(np.uint8), quad)
    loaded = load_image(cv2.imencode(".png", cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))[1].tobytes())
    proposal = Proposal("logo", [*quad.min(axis=0), *quad.max(axis=0)], 0.9)
    refs, catalog = recognizer.index.locals.refs, recognizer.index.catalog

    def named(gray: np.ndarray) -> list[str]:
        found = look_closer(gray, [proposal], recognizer.config, recognizer.search_and_verify, recognizer.index)
        return [catalog.reference(int(refs["id"][d.ref])).key for d in found]

    assert named(recognizer._detail_gray(None, loaded)[0]) == ["logo3"]
    assert "logo3" not in named(recognizer.working_gray(loaded.rgb))


def test_the_stretched_look_sees_only_confident_logo_boxes_the_photo_stretch_clips(recognizer) -> None:
    photo = background(4, width=1280, height=960, level=1.4)
    refs, catalog = recognizer.index.locals.refs, recognizer.index.catalog

    def panel(i: int, ink_level: int, paper_level: int, cx: float, cy: float) -> list[float]:
        ink = logo_gray(None, i).astype(np.float32) / 255
        quad = rect_quad(cx, cy, 130, 130 * ink.shape[0] / ink.shape[1])
        paste(photo, np.repeat((ink_level + (paper_level - ink_level) * ink)[..., None], 3, axis=2).astype(np.uint8),
              quad)
        return [*quad.min(axis=0), *quad.max(axis=0)]

    # Two panels darker than the photo's 1st percentile, one inside its range; each names its logo in
    # a closer look.
    dark = panel(3, 130, 12, 400, 300)
    light = panel(5, 110, 200, 900, 300)
    unsure = panel(7, 130, 12, 400, 700)
    proposals = [Proposal("logo", dark, 0.9), Proposal("logo", light, 0.9), Proposal("logo", unsure, 0.4),
                 Proposal("album", dark, 0.9)]
    loaded = load_image(cv2.imencode(".png", cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))[1].tobytes())
    detail, scale = recognizer._detail_gray(None, loaded)

    found = recognizer._stretched_look(detail, scale, proposals, [])
    assert [catalog.reference(int(refs["id"][d.ref])).key for d in found] == ["logo3"]
    assert np.abs(quad_box(found[0].quad) - np.array(dark)).max() < 6  # in working pixels
    assert recognizer._stretched_look(detail, scale, proposals[:1], [found[0]]) == []  # already named
