"""Index build/add/open: the directory layout, atomic builds, growth, and every error a user can meet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from engine_drawing import write_catalog
from knowyourband.errors import CatalogError, IndexFormatError
from knowyourband.index import Index, add, build


def test_build_writes_the_documented_layout(small_catalog: Path, tmp_path: Path) -> None:
    report = build(small_catalog, tmp_path / "idx", workers=1)
    out = tmp_path / "idx"
    assert report.added == 5 and not report.skipped
    for part in ("manifest.json", "catalog.sqlite", "vectors/descriptors.faiss", "locals/references.npy",
                 "locals/keypoints-0000.npy"):
        assert (out / part).is_file(), part
    assert len(list((out / "media").glob("*.jpg"))) == 5
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "kyb-index" and manifest["version"] == 1
    assert manifest["counts"]["references"] == 5 and manifest["counts"]["logos"] == 3
    assert {"opencv", "faiss", "numpy"} <= set(manifest["libraries"])
    assert not list(tmp_path.glob(".idx.*")), "the temporary build folder must be gone"

    index = Index.open(out)
    assert index.vectors.ntotal == index.locals.total == manifest["counts"]["descriptors"]
    refs = index.locals.refs
    assert list(refs["count"].cumsum()[:-1]) == list(refs["start"][1:])
    ref = index.catalog.reference(int(refs["id"][0]))
    assert ref.thumbnail and (out / ref.thumbnail).is_file() and ref.sha256 and ref.width == 640


def test_unreadable_image_is_skipped_and_listed(tmp_path: Path) -> None:
    source = write_catalog(tmp_path / "cat", logos=2, covers=1)
    (tmp_path / "cat" / "images" / "logo1.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    report = build(source, tmp_path / "idx", workers=1)
    assert report.added == 2
    assert [s["key"] for s in report.skipped] == ["logo1"]
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["skipped"][0]["key"] == "logo1" and "not an image" in manifest["skipped"][0]["error"]
    index = Index.open(tmp_path / "idx")
    assert index.catalog.reference_by_key("logo1") is None


def test_a_logo_of_little_luminance_contrast_is_indexed(tmp_path: Path) -> None:
    source = write_catalog(tmp_path / "cat", logos=2, covers=1)
    # Blue lettering on dark teal: 12 gray levels apart, too faint for SIFT's contrast threshold as it is.
    art = np.zeros((220, 640, 3), np.uint8)
    art[:] = (40, 40, 20)  # BGR
    cv2.putText(art, "HARVEST", (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 4, (170, 30, 30), 6, cv2.LINE_AA)
    cv2.imwrite(str(tmp_path / "cat" / "images" / "logo1.png"), art)
    report = build(source, tmp_path / "idx", workers=1)
    assert report.added == 3 and not report.skipped
    index = Index.open(tmp_path / "idx")
    row = np.nonzero(index.locals.refs["id"] == index.catalog.reference_by_key("logo1").id)[0][0]
    assert index.locals.refs["count"][row] > 50
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["features"]["reference"]["stretch_below"] == 20


def test_empty_catalogue_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "catalog.json").write_text(json.dumps(
        {"format": "kyb-catalog", "version": 1, "bands": [], "releases": [], "references": []}))
    with pytest.raises(CatalogError, match="no reference images"):
        build(folder / "catalog.json", tmp_path / "idx")
    assert not (tmp_path / "idx").exists()


def test_existing_index_needs_force(small_catalog: Path, tmp_path: Path) -> None:
    build(small_catalog, tmp_path / "idx", workers=1)
    with pytest.raises(IndexFormatError, match="already exists"):
        build(small_catalog, tmp_path / "idx", workers=1)
    build(small_catalog, tmp_path / "idx", workers=1, force=True)
    Index.open(tmp_path / "idx")


@pytest.fixture
def built(small_catalog: Path, tmp_path: Path) -> Path:
    build(small_catalog, tmp_path / "idx", workers=1)
    return tmp_path / "idx"


def test_unknown_format_version_is_refused(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["version"] = 99
    (built / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="newer than this kyb"):
        Index.open(built)


def test_truncated_vector_file_is_refused(built: Path) -> None:
    path = built / "vectors" / "descriptors.faiss"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(IndexFormatError, match="truncated or damaged"):
        Index.open(built)


def test_truncated_keypoints_are_refused(built: Path) -> None:
    path = built / "locals" / "keypoints-0000.npy"
    path.write_bytes(path.read_bytes()[:-64])
    with pytest.raises(IndexFormatError, match="truncated|damaged"):
        Index.open(built)


def test_missing_catalogue_and_missing_dir(built: Path, tmp_path: Path) -> None:
    (built / "catalog.sqlite").unlink()
    with pytest.raises(IndexFormatError, match="missing"):
        Index.open(built)
    with pytest.raises(IndexFormatError, match="no such index directory"):
        Index.open(tmp_path / "nowhere")


def test_add_grows_without_rebuild(built: Path, tmp_path: Path) -> None:
    before = json.loads((built / "manifest.json").read_text())
    vectors_before = (built / "vectors" / "descriptors.faiss").stat().st_size
    more = write_catalog(tmp_path / "more", logos=2, covers=0, seed=5, prefix="x")
    report = add(built, more, workers=1)
    assert report.added == 2
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["counts"]["references"] == before["counts"]["references"] + 2
    assert len(manifest["locals"]["chunks"]) == 2
    assert manifest["vectors"]["factory"] == before["vectors"]["factory"]  # same trained quantiser
    assert (built / "vectors" / "descriptors.faiss").stat().st_size > vectors_before
    index = Index.open(built)
    assert index.vectors.ntotal == index.locals.total
    new = index.catalog.reference_by_key("xlogo1")
    row = np.nonzero(index.locals.refs["id"] == new.id)[0][0]
    start, count = index.locals.refs["start"][row], index.locals.refs["count"][row]
    kp = index.locals.keypoints(np.arange(start, start + count))
    assert kp[:, 0].max() <= 640 and kp[:, 1].max() <= 220
    # Adding the same source again adds nothing.
    assert add(built, more, workers=1).added == 0


def test_add_describes_new_references_as_the_index_was_built(built: Path, tmp_path: Path) -> None:
    assert json.loads((built / "manifest.json").read_text())["features"]["reference"]["fine_octave"] is False
    older = tmp_path / "older"
    shutil.copytree(built, older)
    # An index built before the setting existed had SIFT's doubled first octave, the default.
    manifest = json.loads((older / "manifest.json").read_text())
    del manifest["features"]["reference"]["fine_octave"]
    (older / "manifest.json").write_text(json.dumps(manifest))
    more = write_catalog(tmp_path / "more", logos=1, covers=0, seed=5, prefix="x")

    def smallest_new_keypoint(index_dir: Path) -> float:
        add(index_dir, more, workers=1)
        index = Index.open(index_dir)
        row = np.nonzero(index.locals.refs["id"] == index.catalog.reference_by_key("xlogo0").id)[0][0]
        start, count = index.locals.refs["start"][row], index.locals.refs["count"][row]
        return float(index.locals.keypoints(np.arange(start, start + count))[:, 2].min())

    assert smallest_new_keypoint(older) < 0.75 * smallest_new_keypoint(built)


def test_logo_references_get_embeddings_and_covers_none(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["embeddings"]["file"] == "vectors/logo-embeddings.npy"
    index = Index.open(built)
    vectors = np.asarray(index.logo_embeddings, dtype=np.float32)
    assert vectors.shape == (len(index.locals.refs), manifest["embeddings"]["dim"])
    is_logo = index.locals.refs["kind"] == 0
    assert np.allclose(np.linalg.norm(vectors[is_logo], axis=1), 1.0, atol=1e-2)
    assert not vectors[~is_logo].any()


@pytest.mark.parametrize("name", ["logo-embeddings.npy", "cover-thumbnails.npy"])
def test_a_truncated_file_of_rows_is_refused(built: Path, name: str) -> None:
    path = built / "vectors" / name
    path.write_bytes(path.read_bytes()[:-300])
    with pytest.raises(IndexFormatError, match=name):
        Index.open(built)


def test_an_index_without_embeddings_opens(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    del manifest["embeddings"]
    (built / "manifest.json").write_text(json.dumps(manifest))
    assert Index.open(built).logo_embeddings is None


def test_add_embeds_new_logos_and_ignores_rows_of_an_unfinished_add(built: Path, tmp_path: Path) -> None:
    before = Index.open(built).logo_embeddings.copy()
    more = write_catalog(tmp_path / "more", logos=2, covers=0, seed=5, prefix="x")
    add(built, more, workers=1)
    index = Index.open(built)
    assert len(index.logo_embeddings) == len(before) + 2
    assert np.array_equal(index.logo_embeddings[: len(before)], before)
    # Rows written by an add that stopped before its manifest are not part of the index.
    path = built / "vectors" / "logo-embeddings.npy"
    np.save(path, np.concatenate([np.load(path), np.ones((3, before.shape[1]), np.float16)]))
    assert len(Index.open(built).logo_embeddings) == len(before) + 2


def test_cover_references_get_thumbnails_made_again_alike_from_media(built: Path) -> None:
    from knowyourband.index.covers import thumbnails_again

    index = Index.open(built)
    made = np.asarray(index.cover_thumbnails, dtype=np.float32)
    is_cover = index.locals.refs["kind"] == 1
    assert is_cover.any() and made.shape == (len(index.locals.refs), 24 * 24 * 3)
    assert np.allclose(np.linalg.norm(made[is_cover], axis=1), 1.0, atol=1e-2)
    assert not made[~is_cover].any()
    # An index built before them gets the same rows from its own media thumbnails.
    manifest = json.loads((built / "manifest.json").read_text())
    del manifest["covers"]
    (built / "manifest.json").write_text(json.dumps(manifest))
    assert Index.open(built).cover_thumbnails is None
    assert thumbnails_again(built) == int(is_cover.sum())
    assert np.array_equal(np.asarray(Index.open(built).cover_thumbnails, dtype=np.float32), made)


def test_add_appends_the_thumbnails_of_new_covers(built: Path, tmp_path: Path) -> None:
    before = np.asarray(Index.open(built).cover_thumbnails).copy()
    add(built, write_catalog(tmp_path / "more", logos=0, covers=2, seed=5, prefix="x"), workers=1)
    after = np.asarray(Index.open(built).cover_thumbnails)
    assert len(after) == len(before) + 2 and np.array_equal(after[: len(before)], before)
    assert np.allclose(np.linalg.norm(after[len(before):].astype(np.float32), axis=1), 1.0, atol=1e-2)
