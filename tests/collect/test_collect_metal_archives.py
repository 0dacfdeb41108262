"""`kyb collect metal-archives` end to end against the recorded pages served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from collect_replay import ReplayServer

from knowyourband.catalog.source import load_source
from knowyourband.cli import main
from knowyourband.collect.http import FetchConfig, Fetcher
from knowyourband.collect.metal_archives import MaSelection, find_bands


def _collect(server: ReplayServer, out: Path, *args: str) -> tuple[int, str, dict]:
    result = CliRunner().invoke(main, ["collect", "metal-archives", *args, "--base-url", server.url,
                                       "--delay", "0", "--out", str(out)])
    catalog = json.loads((out / "catalog.json").read_text()) if (out / "catalog.json").is_file() else {}
    return result.exit_code, result.output, catalog


def test_death_facts_discography_logo_and_recorded_cover(replay: ReplayServer, tmp_path: Path) -> None:
    code, output, catalog = _collect(replay, tmp_path / "X", "--band-id", "141")
    assert code == 0, output
    [band] = catalog["bands"]
    assert band["id"] == "ma-band-141" and band["name"] == "Death" and band["country"] == "United States"
    assert band["formed"] == 1984 and band["status"] == "Split-up" and band["label"] == "Nuclear Blast"
    assert band["sources"][0]["url"].endswith("/bands/Death/141") and band["sources"][0]["fetched"].endswith("Z")
    assert len(catalog["releases"]) == 58
    assert all(r["band_id"] == "ma-band-141" and r["sources"] for r in catalog["releases"])
    refs = {r["id"]: r for r in catalog["references"]}
    assert set(refs) == {"ma-logo-141", "ma-cover-618"}
    assert refs["ma-cover-618"]["release_id"] == "ma-release-618"
    assert refs["ma-logo-141"]["source_url"] == "https://www.metal-archives.com/images/1/4/1/141_logo.png?3006"
    assert (tmp_path / "X" / refs["ma-cover-618"]["image"]).is_file()
    perseverance = next(r for r in catalog["releases"] if r["id"] == "ma-release-618")
    assert perseverance["label"] == "Nuclear Blast" and perseverance["year"] == 1998
    source = load_source(tmp_path / "X" / "catalog.json")  # what `kyb index build` reads
    assert len(source.references) == 2


def test_missing_album_pages_are_listed_and_the_run_goes_on(replay: ReplayServer, tmp_path: Path) -> None:
    code, output, catalog = _collect(replay, tmp_path / "X", "--band-id", "141")
    assert code == 0
    missing = {m["url"] for m in catalog["missing"]}
    assert len(missing) == 57 and "https://www.metal-archives.com/albums/view/id/35807" in missing
    assert "57 pages or images were missing" in output


def test_multi_logo_image_is_split_and_missing_logo_listed(replay: ReplayServer, tmp_path: Path) -> None:
    code, output, catalog = _collect(replay, tmp_path / "X", "--band-id", "122302", "--band-id", "32")
    assert code == 0, output
    logos = sorted(r["id"] for r in catalog["references"] if r["kind"] == "logo")
    assert logos == ["ma-logo-122302-1", "ma-logo-122302-2"]
    assert all((tmp_path / "X" / r["image"]).is_file() for r in catalog["references"])
    assert "https://www.metal-archives.com/images/3/2/32_logo.jpg?1943" in {m["url"] for m in catalog["missing"]}
    assert {b["name"] for b in catalog["bands"]} == {"Pathfinder", "Rhapsody of Fire"}


def test_changed_layout_stops_with_a_clear_message(replay: ReplayServer, sources: Path, tmp_path: Path) -> None:
    page = (sources / "metal_archives" / "ios_band_page_death_141.html").read_bytes()
    replay.overrides["/band/view/id/141"] = (200, page.replace(b"<dt>Status:</dt>", b"<dt>State:</dt>"), "text/html")
    code, output, catalog = _collect(replay, tmp_path / "X", "--band-id", "122302", "--band-id", "141")
    assert code == 1
    assert "no 'Status' field" in output and "layout has changed" in output and "Traceback" not in output
    assert [b["id"] for b in catalog["bands"]] == ["ma-band-122302"]  # the work before it is kept
    assert catalog["generator"]["partial"] is True


def test_band_name_and_genre_lists(replay: ReplayServer, tmp_path: Path) -> None:
    with Fetcher(FetchConfig(delay=0, base_url=replay.url), tmp_path / "cache") as fetcher:
        assert find_bands(fetcher, MaSelection(band_name="slayer")) == [7315, 72]  # two same-name bands
        assert find_bands(fetcher, MaSelection(genre="black", limit=5)) == [3540355748, 3540353044, 3540525033,
                                                                              3540553292, 3540409614]
    code, output, _ = _collect(replay, tmp_path / "Y", "--band", "Slayerr")
    assert code == 1 and "no band named 'Slayerr'" in output


def test_rerun_fetches_only_a_deleted_image_again(replay: ReplayServer, tmp_path: Path) -> None:
    assert _collect(replay, tmp_path / "X", "--band-id", "141")[0] == 0
    (tmp_path / "X" / "images" / "covers" / "ma-cover-618.jpg").unlink()
    first = len(replay.log)
    code, output, catalog = _collect(replay, tmp_path / "X", "--band-id", "141")
    assert code == 0, output
    assert replay.log[first:] == ["/images/6/1/8/618.jpg?5800"]
    assert {r["id"] for r in catalog["references"]} == {"ma-logo-141", "ma-cover-618"}


def test_letter_list_is_read_page_by_page(replay: ReplayServer, sources: Path, tmp_path: Path) -> None:
    # No letter page was recorded; the genre page has the same row format, so it stands in (count raised).
    body = (sources / "metal_archives" / "pymetal_ajax_genre_black_EXCERPT_first13rows.json").read_text()
    body = body.replace('"iTotalRecords": 57154', '"iTotalRecords": 900')
    replay.overrides["/browse/ajax-letter/l/D/json/1"] = (200, body.encode(), "application/json")
    with Fetcher(FetchConfig(delay=0, base_url=replay.url), tmp_path / "cache") as fetcher:
        ids = find_bands(fetcher, MaSelection(letter="d"))
    assert len(ids) == 13  # both pages gave the same rows: each band once
    pages = [p for p in replay.log if p.startswith("/browse/ajax-letter/l/D/json/1")]
    assert [p.split("iDisplayStart=")[1].split("&")[0] for p in pages] == ["0", "500"]
