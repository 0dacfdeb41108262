"""KYB-Synth catalogue: format, determinism, distractors, deliberate name clashes, CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from knowyourband.cli import main
from knowyourband.synth import fonts, names
from knowyourband.synth.catalog import generate_catalog, plan_catalog
from knowyourband.text import normalize


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_catalog(tmp_path_factory.mktemp("cat"), bands=6, albums_per_band=2, seed=3, distractors=5,
                            workers=1)


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_format_is_valid(small: Path) -> None:
    cat = json.loads(small.read_text())
    assert cat["format"] == "kyb-catalog" and cat["version"] == 1
    assert cat["generator"] == {"command": "kyb synth catalog", "seed": 3, "bands": 6, "albums_per_band": 2,
                                "distractors": 5}
    ids = [x["id"] for key in ("bands", "releases", "references") for x in cat[key]]
    assert len(ids) == len(set(ids))
    bands = {b["id"]: b for b in cat["bands"]}
    releases = {r["id"]: r for r in cat["releases"]}
    for band in bands.values():
        assert band["name"] and band["formed"] >= 1980
        assert all(v != "" for v in band.values())
    for rel in releases.values():
        assert rel["band_id"] in bands and rel["year"] >= bands[rel["band_id"]]["formed"]
    for ref in cat["references"]:
        assert ref["band_id"] in bands
        if ref["kind"] == "album":
            assert releases[ref["release_id"]]["band_id"] == ref["band_id"]
            assert ref["image"].startswith("images/covers/") and ref["image"].endswith(".jpg")
        else:
            assert ref["kind"] == "logo" and ref["release_id"] is None
            assert ref["polarity"] in ("black-on-white", "white-on-transparent", "color")
        assert ref["style"]
        with Image.open(small.parent / ref["image"]) as img:
            w, h = img.size
            if ref["kind"] == "album":
                assert w == h and 400 <= w <= 1400
            else:
                assert 400 <= w <= 3600 and w / h >= 1.4
    main_bands = [b for b in cat["bands"] if any(r["band_id"] == b["id"] and not r["distractor"]
                                                 for r in cat["references"])]
    assert len(main_bands) == 6
    covers = [r for r in cat["references"] if r["kind"] == "album" and not r["distractor"]]
    assert len(covers) == 12


def test_distractor_count_and_main_catalogue_unchanged(small: Path, tmp_path: Path) -> None:
    cat = json.loads(small.read_text())
    assert sum(r["distractor"] for r in cat["references"]) == 5
    plain = json.loads(generate_catalog(tmp_path, 6, 2, seed=3, workers=1).read_text())
    # Adding distractors appends; the main catalogue (and so every benchmark photo) stays the same.
    assert plain["references"] == cat["references"][: len(plain["references"])]
    assert plain["bands"] == cat["bands"][: len(plain["bands"])]
    assert _digests(tmp_path / "images").items() <= _digests(small.parent / "images").items()


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    a = generate_catalog(tmp_path / "a", 3, 1, seed=11, distractors=2, workers=1).parent
    b = generate_catalog(tmp_path / "b", 3, 1, seed=11, distractors=2, workers=1).parent
    assert _digests(a) == _digests(b)
    c = generate_catalog(tmp_path / "c", 3, 1, seed=12, workers=1).parent
    assert _digests(a) != _digests(c)


def test_name_clashes_on_purpose() -> None:
    cat, _ = plan_catalog(5, 300, 3, 0, fonts.discover())
    seen: dict[str, set[str]] = {}
    for band in cat["bands"]:
        seen.setdefault(band["name"], set()).add(band["country"])
    assert any(len(countries) > 1 for countries in seen.values())
    titles = [r["title"] for r in cat["releases"]]
    folded: dict[str, set[str]] = {}
    for title in titles:
        folded.setdefault(normalize(title), set()).add(title)
    assert any(len(spellings) > 1 for spellings in folded.values())
    logos = [r for r in cat["references"] if r["kind"] == "logo"]
    assert any(r.get("multi") for r in logos)
    per_band: dict[str, int] = {}
    for r in logos:
        per_band[r["band_id"]] = per_band.get(r["band_id"], 0) + 1
    assert 0.08 < sum(n > 1 for n in per_band.values()) / len(per_band) < 0.25
    assert len({r["style"] for r in logos}) >= 7


def test_cli_writes_catalogue(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["synth", "catalog", str(tmp_path / "out"), "--bands", "2",
                                       "--albums-per-band", "1", "--seed", "4"])
    assert result.exit_code == 0, result.output
    cat = json.loads((tmp_path / "out" / "catalog.json").read_text())
    assert len(cat["bands"]) == 2 and len(cat["releases"]) == 2
    assert all((tmp_path / "out" / r["image"]).is_file() for r in cat["references"])


def test_two_workers_draw_the_same_bytes_as_one(tmp_path: Path) -> None:
    one = generate_catalog(tmp_path / "one", 0, 0, seed=9, distractors=30, workers=1).parent
    two = generate_catalog(tmp_path / "two", 0, 0, seed=9, distractors=30, workers=2).parent
    assert _digests(one) == _digests(two)


def test_missing_fonts_say_which_packages_to_install(tmp_path: Path) -> None:
    with pytest.raises(fonts.FontError, match="fonts-aenigma"):
        fonts.discover(tmp_path)


def test_releases_fall_within_the_bands_active_years() -> None:
    cat, _ = plan_catalog(2, 80, 3, 20, fonts.discover())
    bands = {b["id"]: b for b in cat["bands"]}
    for rel in cat["releases"]:
        band = bands[rel["band_id"]]
        assert band["formed"] <= rel["year"] <= names.active_until(band)
