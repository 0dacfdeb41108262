"""Collect releases, masters and their covers through the Discogs REST API, linked to bands already collected."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowyourband.collect.http import FetchConfig, Fetcher
from knowyourband.collect.linking import BandEvidence, choose_band, find_release
from knowyourband.collect.references import collect_image, drop_duplicates
from knowyourband.collect.writer import CatalogBuilder
from knowyourband.errors import KybError
from knowyourband.text import name_key

log = logging.getLogger(__name__)

API_ROOT = "https://api.discogs.com"
SITE_ROOT = "https://www.discogs.com"
SOURCE = "discogs"
PER_PAGE = 100
WINDOW_SECONDS = 60.0  # Discogs counts requests per IP over a moving minute
TYPES = ("Album", "EP", "Single", "Compilation", "Mini-Album", "Mixtape")  # format descriptions kept as `type`

_DISAMBIGUATION = re.compile(r"\s*\(\d+\)$")

Progress = Callable[[str, int, int], None]


class DiscogsAuthError(KybError):
    """Discogs sent no image URLs because the requests carried no (valid) token."""


@dataclass
class DiscogsSelection:
    artist: str | None = None
    artist_id: int | None = None
    release_ids: tuple[int, ...] = ()
    master_ids: tuple[int, ...] = ()
    limit: int | None = None  # at most this many releases of an artist


@dataclass
class DiscogsStats:
    covers: int = 0
    empty_image_urls: int = 0  # what Discogs returns to requests without a token
    no_images: int = 0


def ratelimit_pause(headers: dict[str, str]) -> float:
    """Seconds to wait after a response, from its `X-Discogs-Ratelimit*` headers.

    Out of requests: wait a whole window. Under a fifth left: spread the rest over the window.
    """
    try:
        limit = int(headers["x-discogs-ratelimit"])
        remaining = int(headers["x-discogs-ratelimit-remaining"])
    except (KeyError, ValueError):
        return 0.0
    if remaining <= 0:
        return WINDOW_SECONDS
    if remaining < limit / 5:
        return WINDOW_SECONDS / max(limit, 1)
    return 0.0


def token_from(token: str | None) -> str | None:
    return token or os.environ.get("DISCOGS_TOKEN") or None


def fetch_config(token: str | None, **kwargs: Any) -> FetchConfig:
    headers = {"Authorization": f"Discogs token={token}"} if token else {}
    return FetchConfig(headers=headers, **kwargs)


def _display_name(artist: dict[str, Any]) -> str:
    """Discogs' name without its "(2)" disambiguation: that number is Discogs', not the band's."""
    return _DISAMBIGUATION.sub("", artist["name"]) or artist["name"]


def _linked_elsewhere(band: dict[str, Any], artist_id: int) -> bool:
    """True when `band` stands for a Discogs artist other than `artist_id`."""
    if band["id"].startswith("discogs-artist-"):
        return band["id"] != f"discogs-artist-{artist_id}"
    return any(source.get("name") == SOURCE and "/artists/" in source.get("url", "")
               and not source["url"].rstrip("/").endswith(f"/artists/{artist_id}")
               for source in band.get("sources", []))


def _type(data: dict[str, Any]) -> str | None:
    for fmt in data.get("formats", []):
        for description in fmt.get("descriptions", []):
            if description in TYPES:
                return description
    return None


def _cover_url(data: dict[str, Any], stats: DiscogsStats) -> str | None:
    images = data.get("images") or []
    if not images:
        stats.no_images += 1
        return None
    primary = next((img for img in images if img.get("type") == "primary"), images[0])
    url = primary.get("uri") or primary.get("resource_url") or ""
    if not url:
        stats.empty_image_urls += 1
        return None
    return url


class DiscogsCollector:
    """One collecting run into `out_dir`, adding to the catalogue that is already there."""

    def __init__(self, fetcher: Fetcher, builder: CatalogBuilder, out_dir: Path) -> None:
        self.fetcher, self.builder, self.out_dir = fetcher, builder, out_dir
        self.stats = DiscogsStats()
        # A whole discography tells same-name bands apart better than one title: kept per artist id.
        self.discography: dict[int, tuple[list[str], list[int]]] = {}
        self.band_of_artist: dict[int, str] = {}

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.fetcher.get(f"{API_ROOT}{path}", params)
        if not response.ok:
            self.builder.add_missing(response.url, response.status, f"Discogs {path}")
            return None
        return response.json(), response.fetched

    def artist_releases(self, artist_id: int, limit: int | None) -> list[tuple[str, int]]:
        """("release"|"master", id) of the artist's main releases, all pages, up to `limit`."""
        items: list[tuple[str, int]] = []
        page = 1
        while True:
            got = self._get(f"/artists/{artist_id}/releases", {"per_page": PER_PAGE, "page": page})
            if got is None:
                break
            data, _ = got
            titles, years = self.discography.setdefault(artist_id, ([], []))
            for item in data.get("releases", []):
                if item.get("role", "Main") == "Main":
                    items.append((item.get("type", "release"), int(item["id"])))
                    titles.append(item.get("title", ""))
                    if item.get("year"):
                        years.append(int(item["year"]))
            pages = data.get("pagination", {}).get("pages", 1)
            if page >= pages or (limit is not None and len(items) >= limit):
                break
            page += 1
        return items[:limit] if limit is not None else items

    def search_artist(self, name: str) -> int:
        got = self._get("/database/search", {"q": name, "type": "artist"})
        results = got[0].get("results", []) if got else []
        exact = [r for r in results if r.get("type") == "artist" and name_key(r.get("title", "")) == name_key(name)]
        if not exact:
            raise KybError(f"Discogs has no artist named {name!r}; pass --artist-id (the number in the artist's URL)")
        if len(exact) > 1:
            log.warning("%d Discogs artists are named %r; taking the first (%s): use --artist-id to choose",
                        len(exact), name, exact[0].get("resource_url"))
        return int(exact[0]["id"])

    def _band_for(self, artist_id: int, name: str, title: str, year: int | None) -> str:
        """The catalogue band of a Discogs artist: a same band already collected, else its own."""
        if artist_id in self.band_of_artist:
            return self.band_of_artist[artist_id]
        titles, years = self.discography.get(artist_id, ([title], [year] if year else []))
        evidence = BandEvidence(name=name, titles=titles, country=None, years=years or None)
        own = f"discogs-artist-{artist_id}"
        # Discogs already tells its same-name artists apart ("Death (2)"): a band linked to another
        # Discogs artist is not a candidate.
        candidates = {key: band for key, band in self.builder.bands.items()
                      if key == own or not _linked_elsewhere(band, artist_id)}
        band_id, why = choose_band(candidates, self.builder.releases, evidence)
        log.info("Discogs artist %s (%d): %s", name, artist_id, why)
        if band_id is None:
            band_id = own
            if any(name_key(band["name"]) == name_key(name) for key, band in candidates.items() if key != own):
                self.builder.add_flag(band_id, f"{name}: {why}; kept as a separate band")
        self.band_of_artist[artist_id] = band_id
        return band_id

    def collect_item(self, kind: str, item_id: int) -> None:
        """Add one release or master with its band (linked to an existing same band) and its cover."""
        got = self._get(f"/{kind}s/{item_id}")
        if got is None:
            return
        data, fetched = got
        artist = (data.get("artists") or [{"name": "Unknown Artist", "id": 0}])[0]
        name = _display_name(artist)
        year = data.get("year") or None
        band_id = self._band_for(int(artist.get("id", 0)), name, data["title"], year)
        artist_url = artist.get("resource_url") or f"{API_ROOT}/artists/{artist.get('id')}"
        self.builder.add_band({"id": band_id, "name": self.builder.bands.get(band_id, {}).get("name", name),
                               "sources": [{"name": SOURCE, "url": artist_url, "fetched": fetched}]})
        page_url = data.get("uri") or f"{SITE_ROOT}/{kind}/{item_id}"
        release_id = find_release(self.builder.releases, band_id, data["title"], year)
        own_id = f"discogs-{kind}-{item_id}"
        release = {"id": release_id or own_id, "band_id": band_id,
                   "sources": [{"name": SOURCE, "url": page_url, "fetched": fetched}]}
        if release_id is None:  # facts of a release another source already described stay that source's
            labels = data.get("labels") or []
            release.update({"title": data["title"], "year": year, "type": _type(data),
                            "label": _DISAMBIGUATION.sub("", labels[0]["name"]) if labels else None})
        elif release_id != own_id:
            log.info("Discogs %s %d is %s: linked", kind, item_id, release_id)
        self.builder.add_release(release)
        cover = _cover_url(data, self.stats)
        if cover:
            added = collect_image(self.fetcher, self.builder, self.out_dir, f"discogs-cover-{kind}-{item_id}",
                                  "album", cover, band_id, release["id"])
            self.stats.covers += added


def collect(
    selection: DiscogsSelection, out_dir: Path, config: FetchConfig, progress: Progress | None = None
) -> DiscogsStats:
    """Collect `selection` into `out_dir`; raises `DiscogsAuthError` when every cover URL came back empty."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = {"command": "kyb collect discogs", "artist": selection.artist, "artist_id": selection.artist_id,
                 "releases": list(selection.release_ids), "masters": list(selection.master_ids)}
    builder = CatalogBuilder.open(out_dir, out_dir.name, generator)
    # Answers to anonymous requests lack image URLs: they must not stand in for authenticated ones later.
    cache = out_dir / ".cache" / (SOURCE if "Authorization" in config.headers else f"{SOURCE}-anonymous")
    with Fetcher(config, cache, pause_after=ratelimit_pause) as fetcher:
        run = DiscogsCollector(fetcher, builder, out_dir)
        items = [("release", i) for i in selection.release_ids] + [("master", i) for i in selection.master_ids]
        artist_id = selection.artist_id
        if selection.artist:
            artist_id = run.search_artist(selection.artist)
        if artist_id is not None:
            items += run.artist_releases(artist_id, selection.limit)
        if not items:
            raise KybError("the selection names no Discogs release: nothing to collect")
        last_checkpoint = time.monotonic()
        for done, (kind, item_id) in enumerate(items, start=1):
            try:
                run.collect_item(kind, item_id)
            except (KybError, KeyboardInterrupt):  # keep what is done; the rerun resumes from the cache
                builder.write(out_dir, partial=True)
                raise
            if progress:
                progress("releases", done, len(items))
            if time.monotonic() - last_checkpoint > 30:
                builder.write(out_dir, partial=True)
                last_checkpoint = time.monotonic()
        drop_duplicates(builder)
    builder.write(out_dir)
    stats = run.stats
    if stats.empty_image_urls and not stats.covers:
        raise DiscogsAuthError(
            f"Discogs sent empty image URLs for all {stats.empty_image_urls} releases: it does that for requests "
            "without a valid token. Create a personal access token at https://www.discogs.com/settings/developers "
            "and pass --token or set DISCOGS_TOKEN. The release facts were written; rerun to add the covers."
        )
    return stats
