"""Linking across sources (thesis §5.3): same-name bands told apart, one album under two spellings."""

from __future__ import annotations

from knowyourband.collect.linking import BandEvidence, active_ranges, choose_band, find_release, titles_match

# Two real same-name bands (Metal Archives 7315 and 72), with a few of their real releases.
BANDS = {
    "ma-band-7315": {"id": "ma-band-7315", "name": "Slayer", "country": "United Kingdom",
                     "years_active": "1980-1983", "formed": 1980},
    "ma-band-72": {"id": "ma-band-72", "name": "Slayer", "country": "United States",
                   "years_active": "1981-2019", "formed": 1981},
    "ma-band-141": {"id": "ma-band-141", "name": "Death", "country": "United States",
                    "years_active": "1983-1984 (as Mantas), 1984-2001", "formed": 1984},
}
RELEASES = {
    "ma-release-1": {"id": "ma-release-1", "band_id": "ma-band-7315", "title": "Demo 1981", "year": 1981},
    "ma-release-2": {"id": "ma-release-2", "band_id": "ma-band-72", "title": "Reign in Blood", "year": 1986},
    "ma-release-3": {"id": "ma-release-3", "band_id": "ma-band-72", "title": "Hell Awaits", "year": 1985},
    "ma-release-4": {"id": "ma-release-4", "band_id": "ma-band-141", "title": "Human", "year": 1991},
}


def test_thesis_album_spellings_match() -> None:
    colon, parens = "Buscando El Norte II: La Tierra De Los Sueños", "Buscando El Norte II (La Tierra De Los Sueños)"
    assert titles_match(colon, parens)
    assert titles_match("Buscando El Norte II", "Buscando el Norte 2 - La Tierra de los Sueños")
    assert not titles_match("Buscando El Norte II", "Buscando El Norte III")
    assert not titles_match("Human", "Humanity")


def test_same_name_bands_told_apart_by_discography() -> None:
    chosen, why = choose_band(BANDS, RELEASES, BandEvidence("Slayer", ["Reign In Blood"], years=[1986]))
    assert chosen == "ma-band-72", why
    chosen, _ = choose_band(BANDS, RELEASES, BandEvidence("SLAYER", ["Demo 1981"], years=[1981]))
    assert chosen == "ma-band-7315"


def test_same_name_bands_told_apart_by_country_and_years() -> None:
    chosen, _ = choose_band(BANDS, RELEASES, BandEvidence("Slayer", ["Unknown Single"], "United States", [1990]))
    assert chosen == "ma-band-72"
    chosen, _ = choose_band(BANDS, RELEASES, BandEvidence("Slayer", ["Unknown Single"], "United Kingdom", [1982]))
    assert chosen == "ma-band-7315"


def test_undecidable_same_name_bands_are_left_unlinked() -> None:
    chosen, why = choose_band(BANDS, RELEASES, BandEvidence("Slayer", ["Unknown Single"]))
    assert chosen is None and "do not tell them apart" in why


def test_single_candidate_and_unknown_names() -> None:
    assert choose_band(BANDS, RELEASES, BandEvidence("Death (2)", []))[0] == "ma-band-141"
    assert choose_band(BANDS, RELEASES, BandEvidence("Death", ["Humans"], years=[1990]))[0] == "ma-band-141"
    assert choose_band(BANDS, RELEASES, BandEvidence("Obituary", []))[0] is None


def test_single_candidate_that_nothing_supports_is_not_linked() -> None:
    chosen, why = choose_band(BANDS, RELEASES, BandEvidence("Death", ["Punk Demo"], "Germany", [2015]))
    assert chosen is None and "shares no release" in why


def test_find_release_and_active_years() -> None:
    assert find_release(RELEASES, "ma-band-72", "Reign In Blood (Remastered)", 2013) == "ma-release-2"
    assert find_release(RELEASES, "ma-band-7315", "Reign In Blood", 1986) is None
    assert active_ranges("1983-1984 (as Mantas), 1984-2001") == [(1983, 1984), (1984, 2001)]
    assert active_ranges("2006-present")[0][0] == 2006
    assert active_ranges(None, formed=1990)[0][0] == 1990
