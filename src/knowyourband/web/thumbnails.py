"""Which self-hosted thumbnail shows a reference or a band: catalogue look-ups, memoised."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from knowyourband.catalog import Catalog, Reference

MEDIA_PREFIX = "/media/"


class Thumbnails:
    """Maps reference and band ids to paths under the index's `media/` folder.

    The catalogue of a served index is read-only, so answers never go stale; the memo keeps the
    per-result look-ups (one per candidate) off SQLite after the first time.
    """

    def __init__(self, catalog: Catalog, memo_size: int = 8192) -> None:
        self.catalog = catalog
        self.reference_path = lru_cache(maxsize=memo_size)(self._reference_path)
        self.band_logo_path = lru_cache(maxsize=memo_size)(self._band_logo_path)

    def _reference_path(self, reference_id: int) -> str | None:
        ref = self.catalog.reference(reference_id)
        return media_path(ref) if ref else None

    def _band_logo_path(self, band_id: int) -> str | None:
        for ref in self.catalog.band_references(band_id):
            if ref.kind == "logo" and ref.thumbnail:
                return media_path(ref)
        return None

    def links_for(self, result: dict[str, Any], root: str = "") -> dict[str, dict[int, str]]:
        """Thumbnail URLs for every reference and band named in a result dict (objects and candidates)."""
        references: dict[int, str] = {}
        logos: dict[int, str] = {}
        for obj in result.get("objects", []):
            for item in (obj, *obj.get("candidates", [])):
                path = self.reference_path(item["reference_id"])
                if path:
                    references[item["reference_id"]] = root + MEDIA_PREFIX + path
                band_id = item["band"]["id"]
                logo = self.band_logo_path(band_id)
                if logo:
                    logos[band_id] = root + MEDIA_PREFIX + logo
        return {"references": references, "band_logos": logos}


def media_path(ref: Reference) -> str | None:
    """The thumbnail's path inside `media/` (the catalogue may store it with or without that prefix)."""
    if not ref.thumbnail:
        return None
    path = ref.thumbnail.replace("\\", "/")
    return path[len("media/"):] if path.startswith("media/") else path
