"""One normaliser for band names and release titles, so the same name matches however it is spelled."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: `"Dünedain – Buscando El Norte II"` -> `"dunedain buscando el norte ii"`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", _PUNCT.sub(" ", stripped.casefold())).strip()
