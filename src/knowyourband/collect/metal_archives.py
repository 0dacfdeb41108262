"""Collect bands, logos, discographies and covers from Metal Archives (its pages and the JSON its pages call)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowyourband.collect import ma_pages
from knowyourband.collect.http import FetchConfig, Fetcher
from knowyourband.collect.references import collect_image, drop_duplicates
from knowyourband.collect.writer import CatalogBuilder
from knowyourband.errors import KybError
from knowyourband.text import name_key

log = logging.getLogger(__name__)

MA_ROOT = "https://www.metal-archives.com"
SOURCE = "metal-archives"
BROWSE_PAGE = 500  # the most rows the browse endpoints return per request
SEARCH_PAGE = 200
CHECKPOINT_SECONDS = 30.0  # a long run rewrites catalog.json this often, so a crash keeps most of it

# (what, done, total): e.g. ("bands", 3, 120) or ("releases of Death", 10, 58)
Progress = Callable[[str, int, int], None]


@dataclass
class MaSelection:
    """Which bands to collect: any mix of ids, one exact name, one genre, one first letter."""

    band_ids: list[int] = field(default_factory=list)
    band_name: str | None = None
    genre: str | None = None
    letter: str | None = None
    limit: int | None = None  # at most this many bands from the name/genre/letter lists


def _source(url: str, fetched: str) -> dict[str, str]:
    return {"name": SOURCE, "url": url, "fetched": fetched}


def _browse(fetcher: Fetcher, path: str, limit: int | None) -> list[int]:
    """Band ids of a genre or letter list, page by page, up to `limit`."""
    ids: list[int] = []
    start = 0
    while True:
        url = f"{MA_ROOT}{path}"
        response = fetcher.get(url, {"sEcho": 1, "iDisplayStart": start, "iDisplayLength": BROWSE_PAGE})
        if not response.ok:
            raise KybError(f"Metal Archives has no list at {url} (HTTP {response.status}): check the spelling")
        hits, total = ma_pages.parse_band_list(response.text(), url)
        ids += [hit.id for hit in hits]
        start += BROWSE_PAGE
        if not hits or start >= total or (limit is not None and len(ids) >= limit):
            return ids[:limit] if limit is not None else ids


def _search(fetcher: Fetcher, name: str, limit: int | None) -> list[int]:
    """Ids of the bands whose name is `name` (folded); every same-name band is kept, they are different bands."""
    url = f"{MA_ROOT}/search/ajax-advanced/searching/bands"
    params = {"bandName": name, "genre": "", "themes": "", "location": "", "bandLabelName": "",
              "bandNotes": "", "iDisplayStart": 0, "iDisplayLength": SEARCH_PAGE}
    response = fetcher.get(url, params)
    hits, _ = ma_pages.parse_band_list(response.text(), url) if response.ok else ([], 0)
    exact = [hit for hit in hits if name_key(hit.name) == name_key(name)]
    if not exact:
        close = ", ".join(sorted({hit.name for hit in hits})[:8]) or "none"
        raise KybError(f"Metal Archives has no band named {name!r} (close names: {close}); "
                       "pass the exact name or --band-id")
    if len(exact) > 1:
        log.info("%d bands are named %r: collecting all (%s)", len(exact), name,
                 ", ".join(f"{hit.id} {hit.country}" for hit in exact))
    ids = [hit.id for hit in exact]
    return ids[:limit] if limit is not None else ids


def find_bands(fetcher: Fetcher, selection: MaSelection) -> list[int]:
    """The band ids `selection` names, in a stable order, without repeats."""
    ids = list(selection.band_ids)
    if selection.band_name:
        ids += _search(fetcher, selection.band_name, selection.limit)
    if selection.genre:
        ids += _browse(fetcher, f"/browse/ajax-genre/g/{selection.genre}/json/1", selection.limit)
    if selection.letter:
        ids += _browse(fetcher, f"/browse/ajax-letter/l/{selection.letter.upper()}/json/1", selection.limit)
    return list(dict.fromkeys(ids))


def collect_band(fetcher: Fetcher, builder: CatalogBuilder, out_dir: Path, band_id: int,
                 progress: Progress | None = None) -> None:
    """Add one band with its facts, logo, discography and the covers of its album pages."""
    url = f"{MA_ROOT}/band/view/id/{band_id}"
    page = fetcher.get(url)
    if not page.ok:
        builder.add_missing(url, page.status, f"band page of ma-band-{band_id}")
        log.warning("Metal Archives has no band %d (HTTP %d); skipped", band_id, page.status)
        return
    band = ma_pages.parse_band_page(page.text(), url)
    key = f"ma-band-{band.id}"
    builder.add_band({
        "id": key, "name": band.name, "country": band.country, "location": band.location,
        "status": band.status, "formed": band.formed, "years_active": band.years_active,
        "genres": band.genres, "themes": band.themes, "label": band.label,
        "sources": [_source(band.url, page.fetched)],
    })
    if band.logo_url:
        collect_image(fetcher, builder, out_dir, f"ma-logo-{band.id}", "logo", band.logo_url, key, None, split=True)
    disco_url = f"{MA_ROOT}/band/discography/id/{band.id}/tab/all"
    disco = fetcher.get(disco_url)
    if not disco.ok:
        builder.add_missing(disco_url, disco.status, f"discography of {key}")
        return
    rows = ma_pages.parse_discography(disco.text(), disco_url)
    for done, row in enumerate(rows, start=1):
        _collect_release(fetcher, builder, out_dir, key, row, disco.fetched)
        if progress:
            progress(f"releases of {band.name}", done, len(rows))


def _collect_release(fetcher: Fetcher, builder: CatalogBuilder, out_dir: Path, band_key: str,
                     row: ma_pages.MaReleaseRow, listed: str) -> None:
    release_key = f"ma-release-{row.id}"
    owner = builder.releases.get(release_key, {}).get("band_id", band_key)  # a split stays with its first band
    release: dict[str, Any] = {"id": release_key, "band_id": owner, "title": row.title, "year": row.year,
                               "type": row.type, "sources": [_source(row.url, listed)]}
    url = f"{MA_ROOT}/albums/view/id/{row.id}"
    page = fetcher.get(url)
    if not page.ok:
        builder.add_release(release)
        builder.add_missing(url, page.status, f"album page of {release_key}")
        return
    builder.found(url)
    album = ma_pages.parse_album_page(page.text(), url)
    release.update({"year": album.year or row.year, "type": album.type or row.type, "label": album.label,
                    "sources": [_source(album.url, page.fetched)]})
    builder.add_release(release)
    if album.cover_url:
        collect_image(fetcher, builder, out_dir, f"ma-cover-{row.id}", "album", album.cover_url, owner, release_key)


def collect(selection: MaSelection, out_dir: Path, config: FetchConfig, progress: Progress | None = None,
            band_progress: Progress | None = None) -> CatalogBuilder:
    """Collect `selection` into `out_dir` (catalog.json + images/), resuming from its cache.

    Responses are cached under `out_dir/.cache/metal-archives`; a rerun after an interruption replays
    them and fetches only what is new. catalog.json is rewritten atomically every few seconds.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = {"command": "kyb collect metal-archives", "band_ids": selection.band_ids,
                 "band": selection.band_name, "genre": selection.genre, "letter": selection.letter,
                 "limit": selection.limit}
    builder = CatalogBuilder.open(out_dir, out_dir.name, generator)
    with Fetcher(config, out_dir / ".cache" / SOURCE) as fetcher:
        band_ids = find_bands(fetcher, selection)
        if not band_ids:
            raise KybError("the selection names no Metal Archives band: nothing to collect")
        last_checkpoint = time.monotonic()
        for done, band_id in enumerate(band_ids, start=1):
            try:
                collect_band(fetcher, builder, out_dir, band_id, band_progress)
            except (KybError, KeyboardInterrupt):  # keep what is done; the rerun resumes from the cache
                builder.write(out_dir, partial=True)
                raise
            if progress:
                progress("bands", done, len(band_ids))
            if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
                builder.write(out_dir, partial=True)
                last_checkpoint = time.monotonic()
        dropped = drop_duplicates(builder)
        if dropped:
            log.info("dropped %d duplicate images", dropped)
        log.info("%d network requests (the rest came from the cache)", fetcher.network_requests)
    builder.write(out_dir)
    return builder
