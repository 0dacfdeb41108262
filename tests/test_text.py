"""The name/title normaliser: the spellings that must meet (thesis §5.3) and the ones that must not."""

from __future__ import annotations

from knowyourband.text import main_title_key, name_key, normalize, roman_to_int, title_key


def test_normalize_folds_case_accents_and_punctuation() -> None:
    assert normalize("Dünedain – Buscando El Norte II") == "dunedain buscando el norte ii"
    assert normalize("  MÖTLEY   CRÜE!! ") == "motley crue"


def test_thesis_subtitle_spellings_share_one_key() -> None:
    colon = "Buscando El Norte II: La Tierra De Los Sueños"
    parens = "Buscando El Norte II (La Tierra De Los Sueños)"
    semicolon = "Buscando el Norte II; La tierra de los sueños"
    assert title_key(colon) == title_key(parens) == title_key(semicolon)
    assert title_key(colon) == "buscando el norte 2 la tierra de los suenos"
    assert main_title_key(parens) == main_title_key("Buscando El Norte II") == "buscando el norte 2"


def test_volume_numerals_and_ampersand() -> None:
    assert title_key("Vol. III") == title_key("Volume 3") == "vol 3"
    assert title_key("Live in L.A. (Death & Raw)") == title_key("Live in L.A. (Death and Raw)")
    assert title_key("Part IV") == title_key("Pt. 4")


def test_roman_numerals_only_for_short_i_v_x_words() -> None:
    assert [roman_to_int(t) for t in ("i", "iv", "ix", "xiv", "xxxix")] == [1, 4, 9, 14, 39]
    assert roman_to_int("mix") is None and roman_to_int("civil") is None and roman_to_int("") is None
    assert title_key("Civil Mix") == "civil mix"


def test_leading_the_and_discogs_suffix_are_dropped_from_names() -> None:
    assert name_key("The Black Dahlia Murder") == name_key("Black Dahlia Murder")
    assert name_key("Death (2)") == name_key("DEATH") == "death"
    assert name_key("The The") == "the"  # a name that is only "The …" keeps its word
    assert name_key("Dog Släyer") == "dog slayer"


def test_different_titles_stay_different() -> None:
    assert title_key("Human") != title_key("Humanity")
    assert title_key("Leprosy") != title_key("Leprosy Demos")
