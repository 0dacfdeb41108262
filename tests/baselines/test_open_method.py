"""open_method on a real index built from generated cards: identities from the catalogue, caching."""

from __future__ import annotations

import pytest

from knowyourband.baselines import open_method
from knowyourband.errors import KybError
from knowyourband.index import Index


@pytest.mark.parametrize("name, conf", [("seed-vlad", {"k": 16, "threshold": 0.2}), ("colour-hist", {})])
def test_method_names_the_catalogue_identity(index_dir, photo_with, name, conf):
    index = Index.open(index_dir)
    method = open_method(name, index, {**conf, "proposals": "grid"})
    assert method.config["method"] == name and method.config["proposals"] == "grid"
    best = method.recognize(photo_with(1)).objects[0]
    assert best.reference_key == "ref00001"
    assert (best.band.key, best.band.name, best.band.country) == ("b00001", "Band 1", "Norway")
    assert (best.release.key, best.release.title, best.release.year) == ("r00001", "Album 1", 1991)
    assert list((index_dir / "baselines" / name).glob("*.npz"))


def test_unwritable_index_caches_in_user_folder(index_dir, tmp_path, monkeypatch, photo_with):
    """A path that cannot become a folder stands in for a read-only index (root ignores chmod)."""
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy, ignore=shutil.ignore_patterns("baselines"))
    (copy / "baselines").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    method = open_method("colour-hist", Index.open(copy), {"proposals": "grid"})
    assert method.recognize(photo_with(2)).objects[0].reference_key == "ref00002"
    assert list((tmp_path / "cache" / "knowyourband" / "baselines").glob("*/colour-hist/*.npz"))


def test_unknown_method_is_refused(index_dir):
    with pytest.raises(KybError, match="seed-vlad"):
        open_method("sift-magic", Index.open(index_dir))


def test_detector_boxes_as_regions(index_dir, photo_with):
    """With the shipped detector its boxes are the regions and the detector threshold applies."""
    from knowyourband.detect.detector import default_model_path

    if not default_model_path().is_file():
        pytest.skip("no detector model shipped in this checkout")
    method = open_method("seed-vlad", Index.open(index_dir), {"k": 16, "proposals": "detector"})
    assert method.config["proposals"] == "detector"
    assert method.config["threshold"] == method.config["thresholds"]["detector"]
    boxes, kinds = method.propose(photo_with(1))
    assert boxes.shape == (len(kinds), 4) and set(kinds) <= {"album", "logo"}
    result = method.recognize(photo_with(1))
    assert all(o.kind == "album" for o in result.objects)  # every card is an album reference
