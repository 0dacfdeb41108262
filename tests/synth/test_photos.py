"""KYB-Synth photos: annotation format, geometry, EXIF orientation, alignment, determinism, CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageOps

from knowyourband.cli import main
from knowyourband.synth import camera
from knowyourband.synth import geometry as geo
from knowyourband.synth.catalog import generate_catalog
from knowyourband.synth.photos import generate_photos, plan
from knowyourband.synth.scenes import SCENES

SMALL_MP = 0.25  # small photos keep the tests fast; the geometry is the same at any size


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_catalog(tmp_path_factory.mktemp("cat"), bands=4, albums_per_band=2, seed=2, distractors=3, workers=1)


@pytest.fixture(scope="module")
def bench(catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One photo of every scene (ten photos: the default mix gives each scene one)."""
    return generate_photos(tmp_path_factory.mktemp("bench"), catalog, count=10, seed=5, megapixels=SMALL_MP)


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_every_scene_generates_and_the_format_is_coco(bench: Path, catalog: Path) -> None:
    data = _load(bench)
    assert data["info"]["generator"] == "kyb synth photos" and data["info"]["seed"] == 5
    assert data["categories"] == [{"id": 1, "name": "album"}, {"id": 2, "name": "logo"}]
    assert (bench.parent / data["catalog"]).resolve() == catalog.resolve()
    assert sorted(im["scene"] for im in data["images"]) == sorted(SCENES)
    assert [im["id"] for im in data["images"]] == list(range(1, 11))
    assert [a["id"] for a in data["annotations"]] == list(range(1, len(data["annotations"]) + 1))
    refs = {r["id"]: r for r in _load(catalog)["references"]}
    per_image = {im["id"]: 0 for im in data["images"]}
    for ann in data["annotations"]:
        ref = refs[ann["reference_id"]]
        assert not ref["distractor"], "distractors never appear in photos"
        assert (ann["kind"], ann["band_id"], ann["release_id"]) == (ref["kind"], ref["band_id"], ref["release_id"])
        assert ann["category_id"] == {"album": 1, "logo": 2}[ann["kind"]]
        assert 0.0 <= ann["occluded"] <= 1.0 and ann["area"] > 0
        per_image[ann["image_id"]] += 1
    for im in data["images"]:
        assert im["difficulty"] in ("easy", "medium", "hard")
        assert (per_image[im["id"]] == 0) == (im["scene"] == "none"), im
        assert (bench.parent / im["file_name"]).is_file()


def test_bbox_is_the_clipped_quad_and_lies_in_the_photo(bench: Path) -> None:
    data = _load(bench)
    sizes = {im["id"]: (im["width"], im["height"]) for im in data["images"]}
    for ann in data["annotations"]:
        w, h = sizes[ann["image_id"]]
        clipped = geo.clip_polygon(np.array(ann["quad"]), w, h)
        np.testing.assert_allclose(ann["bbox"], geo.bbox(clipped), atol=0.02)
        x, y, bw, bh = ann["bbox"]
        assert 0 <= x and 0 <= y and x + bw <= w + 0.01 and y + bh <= h + 0.01 and bw > 0 and bh > 0
        assert abs(ann["area"] - geo.polygon_area(clipped)) < 0.01 * 2 * (bw + bh)  # quads are rounded to 0.01 px


def test_stored_pixels_turn_upright_with_their_exif_tag(bench: Path) -> None:
    for im in _load(bench)["images"]:
        with Image.open(bench.parent / im["file_name"]) as f:
            assert f.getexif().get(0x0112, 1) == im["exif_orientation"]
            upright = ImageOps.exif_transpose(f)
            assert upright.size == (im["width"], im["height"])


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_rotation_round_trip(tmp_path: Path, orientation: int) -> None:
    upright = np.zeros((60, 100, 3), np.uint8)
    upright[:20, :30] = 255  # a white block in the top-left corner
    path = tmp_path / "p.jpg"
    camera.write_jpeg(path, upright, 95, orientation)
    with Image.open(path) as f:
        assert f.size == ((60, 100) if orientation in (6, 8) else (100, 60))
        back = np.asarray(ImageOps.exif_transpose(f))
    assert back.shape == upright.shape
    assert back[:20, :30].mean() > 200 and back[40:, 70:].mean() < 30


def _rectified_ncc(photo: np.ndarray, quad: np.ndarray, ref: np.ndarray, side: int = 96) -> float:
    h = geo.homography(quad, geo.corners(side, side))
    patch = cv2.warpPerspective(photo, geo.to_opencv(h), (side, side), flags=cv2.INTER_AREA)
    target = cv2.resize(ref, (side, side), interpolation=cv2.INTER_AREA)
    a = patch.astype(np.float32).ravel() - patch.mean()
    b = target.astype(np.float32).ravel() - target.mean()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def test_quads_fall_exactly_on_the_covers(catalog: Path, tmp_path: Path) -> None:
    """Rectify each lightly occluded cover through its quad: it matches the reference, and a quad
    moved by 4 % of its size matches worse: the outline sits on the object, not beside it."""
    path = generate_photos(tmp_path, catalog, count=6, seed=8, scenes=["cd_table", "collage", "vinyl"],
                           difficulty="easy", megapixels=0.5)
    data = _load(path)
    refs = {r["id"]: r for r in _load(catalog)["references"]}
    files = {im["id"]: im["file_name"] for im in data["images"]}
    checked = 0
    for ann in data["annotations"]:
        if ann["kind"] != "album" or ann["occluded"] > 0.05:
            continue
        with Image.open(tmp_path / files[ann["image_id"]]) as f:
            photo = np.asarray(ImageOps.exif_transpose(f).convert("L"))
        with Image.open(catalog.parent / refs[ann["reference_id"]]["image"]) as f:
            ref = np.asarray(f.convert("L"))
        quad = np.array(ann["quad"])
        if geo.polygon_area(geo.clip_polygon(quad, photo.shape[1], photo.shape[0])) < 0.98 * geo.polygon_area(quad):
            continue  # partly outside the frame
        good = _rectified_ncc(photo, quad, ref)
        shift = 0.04 * np.linalg.norm(quad[1] - quad[0])
        moved = max(_rectified_ncc(photo, quad + d, ref) for d in ([shift, 0], [0, shift], [-shift, 0], [0, -shift]))
        assert good > 0.6, ann  # glare, white balance and noise keep it below 1
        assert good > moved, ann  # minimal covers (flat colour fields) make the margin small
        checked += 1
    assert checked >= 4


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


DETERMINISM_ARGS = dict(count=3, seed=21, scenes=["poster", "tshirt", "screen"], megapixels=0.12)


def test_same_arguments_same_bytes(catalog: Path, tmp_path: Path) -> None:
    generate_photos(tmp_path / "a", catalog, **DETERMINISM_ARGS)
    generate_photos(tmp_path / "b", catalog, **DETERMINISM_ARGS)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    generate_photos(tmp_path / "c", catalog, **{**DETERMINISM_ARGS, "seed": 22})
    assert _digests(tmp_path / "a") != _digests(tmp_path / "c")


@pytest.mark.slow  # two spawned workers each import OpenCV and scan the fonts: ~10 s on a busy machine
def test_same_bytes_with_two_workers(catalog: Path, tmp_path: Path) -> None:
    generate_photos(tmp_path / "a", catalog, **DETERMINISM_ARGS)
    generate_photos(tmp_path / "b", catalog, **DETERMINISM_ARGS, workers=2)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_plan_follows_the_mix_exactly() -> None:
    mix = plan(400, seed=11)
    scenes = [s for s, _ in mix]
    assert scenes.count("none") == 40 and scenes.count("poster") == 48
    assert {d for _, d in mix} == {"easy", "medium", "hard"}
    assert plan(400, seed=11) == mix


def test_cli_photos_and_preview(catalog: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "bench"
    result = runner.invoke(main, ["synth", "photos", str(out), "--catalog", str(catalog), "--count", "2", "--seed", "3",
                                  "--scenes", "collage,none", "--difficulty", "hard", "--megapixels", "0.1"])
    assert result.exit_code == 0, result.output
    data = _load(out / "annotations.json")
    assert {im["scene"] for im in data["images"]} == {"collage", "none"}
    assert {im["difficulty"] for im in data["images"]} == {"hard"}
    sheet = tmp_path / "sheet.png"
    result = runner.invoke(main, ["synth", "preview", str(out), "--out", str(sheet), "--count", "2", "--check"])
    assert result.exit_code == 0, result.output
    all_row = [line.split() for line in result.output.splitlines() if line.startswith("all")][0]
    covers, best = int(all_row[1]), int(all_row[4])
    assert covers >= 1 and best == covers  # every cover matches its reference best at the annotated quad
    assert Image.open(sheet).size[0] > 0
    bad = runner.invoke(main, ["synth", "photos", str(out), "--catalog", str(catalog), "--scenes", "beach"])
    assert bad.exit_code == 1 and "unknown scene" in bad.output


def test_every_scene_renders_at_hard_with_real_occlusion(catalog: Path, tmp_path: Path) -> None:
    data = _load(generate_photos(tmp_path, catalog, count=10, seed=13, difficulty="hard", megapixels=0.1))
    assert sorted(im["scene"] for im in data["images"]) == sorted(SCENES)
    hidden = [a["occluded"] for a in data["annotations"]]
    assert max(hidden) >= 0.1  # hard photos hide real parts of objects, not just a pixel or two
