"""One normaliser for band names and release titles, so the same name matches however it is spelled."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Discogs tells same-name artists apart with a numeric suffix: "Death (2)".
_DISAMBIGUATION = re.compile(r"\s*\(\d+\)\s*$")
# Where a title's subtitle starts: "Title: Sub", "Title (Sub)", "Title - Sub", "Title; Sub", "Title [Sub]".
_SUBTITLE = re.compile(r"\s*(?::|;|\(|\[|\s[-–—]\s).*$")
# Only numerals made of I, V and X (1..39): longer ones ("mix", "dim", "civil") are ordinary words.
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUE = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_WORDS = {"vol": "vol", "volume": "vol", "pt": "part", "&": "and", "n": "and"}


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: `"Dünedain – Buscando El Norte II"` -> `"dunedain buscando el norte ii"`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _PUNCT.sub(" ", stripped.casefold())).strip()


def roman_to_int(token: str) -> int | None:
    """The value of a lower-case Roman numeral from 1 to 39 (`"xiv"` -> 14), else None."""
    match = _ROMAN.match(token)
    if not token or not match:
        return None
    tens, units = match.groups()
    return 10 * len(tens) + _ROMAN_VALUE.get(units, 0)


def _canonical_words(text: str) -> str:
    """`normalize` plus the spelling variants that do not change meaning (numerals, "Vol.", "&", "The")."""
    text = text.replace("&", " and ")
    words = []
    for word in normalize(text).split():
        value = roman_to_int(word)
        words.append(str(value) if value is not None else _WORDS.get(word, word))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> str:
    """The key two spellings of one band name share: `"The Black Dahlia Murder"` == `"Black Dahlia Murder"`.

    Discogs' disambiguation suffix (`"Death (2)"`) is dropped: same-name bands are told apart by
    their facts (see `knowyourband.collect.linking`), not by their names.
    """
    return _canonical_words(_DISAMBIGUATION.sub("", name))


def title_key(title: str) -> str:
    """The key two spellings of one release title share, subtitle included.

    `"Buscando El Norte II: La Tierra De Los Sueños"` and `"Buscando El Norte II (La Tierra De Los Sueños)"`
    both give `"buscando el norte 2 la tierra de los suenos"`; `"Vol. III"` and `"Volume 3"` both give `"vol 3"`.
    """
    return _canonical_words(title)


def main_title_key(title: str) -> str:
    """`title_key` of the title without its subtitle, for sources that leave the subtitle out.

    `"Buscando El Norte II (La Tierra De Los Sueños)"` -> `"buscando el norte 2"`. A title that is all
    subtitle (`"(Untitled)"`) keeps its full key.
    """
    main = _SUBTITLE.sub("", title)
    return title_key(main) if main.strip() else title_key(title)
