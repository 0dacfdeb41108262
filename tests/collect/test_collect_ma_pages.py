"""Parsing every recorded Metal Archives page type, and refusing pages whose layout changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowyourband.collect.ma_pages import (
    LayoutError,
    parse_album_page,
    parse_band_list,
    parse_band_page,
    parse_discography,
)


def _read(sources: Path, name: str) -> str:
    return (sources / "metal_archives" / name).read_text("utf-8")


def test_band_page_facts_death(sources: Path) -> None:
    band = parse_band_page(_read(sources, "ios_band_page_death_141.html"), "u")
    assert (band.id, band.name, band.country) == (141, "Death", "United States")
    assert band.location == "Altamonte Springs, Florida"
    assert (band.status, band.formed, band.label) == ("Split-up", 1984, "Nuclear Blast")
    assert band.years_active == "1983-1984 (as Mantas), 1984-2001"
    assert band.genres == ["Death Metal (early)", "Progressive Death Metal (later)"]
    assert "Enlightenment (later)" in band.themes
    assert band.logo_url == "https://www.metal-archives.com/images/1/4/1/141_logo.png?3006"


@pytest.mark.parametrize("name, expected", [
    ("cassette_band_page_pathfinder_122302.html", (122302, "Pathfinder", "Poland", "Active", "Sonic Attack Records")),
    ("cassette_band_page_rhapsody_of_fire_32.html", (32, "Rhapsody of Fire", "Italy", "Active", "AFM Records")),
    ("ios_band_page_mysterium.html", (72882, "Mysterium", "Portugal", "Split-up", "Unsigned/independent")),
])
def test_band_pages_active_and_split_up(sources: Path, name: str, expected: tuple) -> None:
    band = parse_band_page(_read(sources, name), name)
    assert (band.id, band.name, band.country, band.status, band.label) == expected
    assert band.logo_url and band.logo_url.startswith("https://www.metal-archives.com/images/")


def test_discography_public_and_logged_in_agree(sources: Path) -> None:
    public = parse_discography(_read(sources, "ios_discography_public.html"), "u")
    logged_in = parse_discography(_read(sources, "ios_discography_logged_in.html"), "u")
    assert len(public) == 58
    assert public == logged_in  # the extra Tools column is found by header class, not position
    first, perseverance = public[0], next(r for r in public if r.id == 618)
    assert (first.id, first.title, first.type, first.year) == (35807, "Death by Metal", "Demo", 1984)
    assert (perseverance.title, perseverance.type) == ("The Sound of Perseverance", "Full-length")
    assert perseverance.year == 1998


def test_discography_empty_and_cassettes(sources: Path) -> None:
    assert parse_discography(_read(sources, "ios_discography_empty.html"), "u") == []
    assert len(parse_discography(_read(sources, "cassette_discography_32.html"), "u")) == 36
    assert len(parse_discography(_read(sources, "cassette_discography_122302.html"), "u")) == 5


def test_album_pages(sources: Path) -> None:
    album = parse_album_page(_read(sources, "ios_album_page_death_the_sound_of_perseverance.html"), "u")
    assert (album.id, album.title, album.type, album.year, album.label) == (
        618, "The Sound of Perseverance", "Full-length", 1998, "Nuclear Blast")
    assert album.release_date == "August 31st, 1998" and album.band_ids == [141]
    assert album.cover_url == "https://www.metal-archives.com/images/6/1/8/618.jpg?5800"
    split = parse_album_page(_read(sources, "ios_album_page_letargica_mortis.html"), "u")
    assert split.type == "Split" and len(split.band_ids) == 3 and split.title == "Letárgica Mortis"
    for name in ("cassette_album_page_123563.html", "cassette_album_page_329691.html",
                 "cassette_album_page_416934.html", "ios_album_page_death_human_3cds.html"):
        parsed = parse_album_page(_read(sources, name), name)
        assert parsed.title and parsed.type and parsed.year and parsed.cover_url


def test_search_and_browse_json(sources: Path) -> None:
    hits, total = parse_band_list(_read(sources, "pymetal_ajax_advanced_search_bands_slayer.json"),
                                  "https://www.metal-archives.com/search/ajax-advanced/searching/bands")
    assert total == 23 and len(hits) == 23
    assert [(h.id, h.name, h.country) for h in hits[:2]] == [
        (7315, "Slayer", "United Kingdom"), (72, "Slayer", "United States")]
    empty, total = parse_band_list(_read(sources, "pymetal_ajax_advanced_search_bands_empty.json"), "search")
    assert empty == [] and total == 0
    genre, total = parse_band_list(_read(sources, "pymetal_ajax_genre_black_EXCERPT_first13rows.json"),
                                   "https://www.metal-archives.com/browse/ajax-genre/g/black/json/1")
    assert total == 57154 and len(genre) == 13
    assert (genre[2].id, genre[2].name, genre[2].country) == (3540525033, "-I-", "Canada")


def test_changed_band_layout_names_the_missing_field(sources: Path) -> None:
    html = _read(sources, "ios_band_page_death_141.html")
    with pytest.raises(LayoutError, match="'Country of origin'"):
        parse_band_page(html.replace("Country of origin:", "Origin:"), "https://ma/bands/Death/141")
    with pytest.raises(LayoutError, match="#band_stats"):
        parse_band_page(html.replace('id="band_stats"', 'id="stats"'), "https://ma/bands/Death/141")


def test_changed_discography_and_album_layout(sources: Path) -> None:
    disco = _read(sources, "ios_discography_public.html")
    with pytest.raises(LayoutError, match="th.yearCol"):
        parse_discography(disco.replace('class="yearCol"', 'class="dateCol"'), "u")
    album = _read(sources, "ios_album_page_death_the_sound_of_perseverance.html")
    with pytest.raises(LayoutError, match="album_name"):
        parse_album_page(album.replace('class="album_name"', 'class="title"'), "u")
    with pytest.raises(LayoutError, match="DataTables"):
        parse_band_list("<html>maintenance</html>", "u")
