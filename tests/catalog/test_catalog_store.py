"""Catalogue sources and the SQLite store, on real files."""

from __future__ import annotations

import json
import sqlite3

import pytest

from knowyourband.catalog import Catalog, load_source
from knowyourband.errors import CatalogError


def _write_catalog(folder, references=None, **extra):
    data = {
        "format": "kyb-catalog",
        "version": 1,
        "name": "test",
        "bands": [
            {"id": "b1", "name": "Dünedain", "country": "Spain", "genres": ["Heavy Metal"], "formed": 1997},
            {"id": "b2", "name": "Death", "country": "United States", "status": "Split-up"},
            {"id": "b3", "name": "Death", "country": "Germany"},
        ],
        "releases": [
            {"id": "r1", "band_id": "b1", "title": "Buscando El Norte II: La Tierra De Los Sueños", "year": 2009},
            {"id": "r2", "band_id": "b2", "title": "Human", "year": 1991, "type": "Full-length"},
        ],
        "references": references if references is not None else [
            {"id": "ref1", "kind": "logo", "band_id": "b1", "release_id": None, "image": "images/l1.png"},
            {"id": "ref2", "kind": "album", "band_id": "b1", "release_id": "r1", "image": "images/c1.jpg",
             "style": "gradient"},
            {"id": "ref3", "kind": "album", "band_id": "b2", "release_id": "r2", "image": "images/c2.jpg"},
        ],
        **extra,
    }
    path = folder / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_json_source_resolves_images_against_its_folder(tmp_path):
    source = load_source(_write_catalog(tmp_path))
    assert len(source.bands) == 3 and len(source.references) == 3
    assert source.references[0]["image"] == str((tmp_path / "images/l1.png").resolve())
    assert load_source(tmp_path).path == tmp_path / "catalog.json"  # a folder works too


def test_csv_source_groups_bands_and_releases(tmp_path):
    (tmp_path / "catalog.csv").write_text(
        "image,kind,band,release,year,country,genres\n"
        "logos/death.png,logo,Death,,,United States,Death Metal;Progressive Death Metal\n"
        "covers/human.jpg,album,Death,Human,1991,United States,\n"
        "covers/scream.jpg,album,Death,Scream Bloody Gore,1987,United States,\n"
        "logos/death_de.png,logo,Death,,,Germany,\n",
        encoding="utf-8",
    )
    source = load_source(tmp_path / "catalog.csv")
    assert len(source.bands) == 2  # same name, different country: two bands
    assert len(source.releases) == 2 and len(source.references) == 4
    us = next(b for b in source.bands if b["country"] == "United States")
    assert us["genres"] == ["Death Metal", "Progressive Death Metal"]
    assert {r["year"] for r in source.releases} == {1991, 1987}


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(format="other"), "not a Know Your Band catalogue"),
        (lambda d: d.update(version=99), "newer than this kyb"),
        (lambda d: d.update(references=[]), "no reference images"),
        (lambda d: d["references"].append(dict(d["references"][0])), "appears twice"),
        (lambda d: d["references"][0].update(band_id="nope"), "unknown band"),
        (lambda d: d["references"][1].update(release_id=None), "unknown release"),
        (lambda d: d["references"][0].update(kind="poster"), "expected logo or album"),
    ],
)
def test_invalid_sources_say_what_is_wrong(tmp_path, mutate, message):
    path = _write_catalog(tmp_path)
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))
    with pytest.raises(CatalogError, match=message):
        load_source(path)


def test_truncated_json_is_a_clear_error(tmp_path):
    path = _write_catalog(tmp_path)
    path.write_text(path.read_text()[:50])
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_source(path)


def test_store_round_trip_and_idempotent_add(tmp_path):
    source = load_source(_write_catalog(tmp_path))
    catalog = Catalog.create(tmp_path / "catalog.sqlite")
    new = catalog.add_source(source)
    assert [r.key for r in new] == ["ref1", "ref2", "ref3"]
    assert catalog.add_source(source) == []  # nothing new the second time
    assert catalog.count("bands") == 3 and catalog.count("refs") == 3

    cover = catalog.reference_by_key("ref2")
    assert cover.kind == "album" and catalog.release_ref(cover.release_id).title.startswith("Buscando")
    band = catalog.band(cover.band_id)
    assert band["name"] == "Dünedain" and band["genres"] == ["Heavy Metal"] and band["formed"] == 1997
    assert catalog.band_ref(cover.band_id).key == "b1"
    assert [r["title"] for r in catalog.band_releases(cover.band_id)] == [
        "Buscando El Norte II: La Tierra De Los Sueños"]
    catalog.set_image_info(cover.id, sha256="ab" * 32, phash="ff00", width=600, height=600, thumbnail="media/2.jpg")
    catalog.close()

    reopened = Catalog.open(tmp_path / "catalog.sqlite")
    assert reopened.reference(cover.id).thumbnail == "media/2.jpg"
    with pytest.raises(sqlite3.OperationalError):  # read-only by default
        reopened._conn.execute("DELETE FROM refs")


def test_search_folds_case_accents_and_punctuation(tmp_path):
    catalog = Catalog.create(tmp_path / "catalog.sqlite")
    catalog.add_source(load_source(_write_catalog(tmp_path)))
    assert [b["name"] for b in catalog.search("DUNEDAIN")["bands"]] == ["Dünedain"]
    assert len(catalog.search("death")["bands"]) == 2
    hits = catalog.search("buscando el norte ii (la tierra")["releases"]
    assert [r["year"] for r in hits] == [2009]
    assert catalog.search("%")["bands"] == []  # LIKE wildcards are literal


def test_open_refuses_missing_corrupt_and_newer(tmp_path):
    with pytest.raises(CatalogError, match="missing"):
        Catalog.open(tmp_path / "nope.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(CatalogError, match="not a readable catalogue"):
        Catalog.open(tmp_path / "junk.sqlite")
    catalog = Catalog.create(tmp_path / "c.sqlite")
    catalog._conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    catalog._conn.commit()
    catalog.close()
    with pytest.raises(CatalogError, match="newer than this kyb"):
        Catalog.open(tmp_path / "c.sqlite")
