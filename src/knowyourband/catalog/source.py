"""Read a catalogue source — `catalog.json` (synth, collectors) or a user's `catalog.csv` — and validate it."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowyourband.errors import CatalogError
from knowyourband.text import normalize

FORMAT = "kyb-catalog"
VERSION = 1
KINDS = ("logo", "album")


@dataclass
class CatalogSource:
    """A validated catalogue: plain dicts as in docs/formats.md, image paths made absolute."""

    path: Path
    name: str
    bands: list[dict[str, Any]]
    releases: list[dict[str, Any]]
    references: list[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)


def load_source(path: str | Path) -> CatalogSource:
    """Load `catalog.json` or `catalog.csv` (or a folder holding one). Raises `CatalogError`."""
    path = Path(path)
    if path.is_dir():
        candidates = [path / "catalog.json", path / "catalog.csv"]
        found = [p for p in candidates if p.is_file()]
        if not found:
            raise CatalogError(f"{path}: no catalog.json or catalog.csv in this folder")
        path = found[0]
    if not path.is_file():
        raise CatalogError(f"{path}: no such catalogue file")
    if path.suffix.lower() == ".csv":
        source = _from_csv(path)
    else:
        source = _from_json(path)
    _validate(source)
    return source


def _from_json(path: Path) -> CatalogSource:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc}); was it written completely?") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogError(f'{path}: not a Know Your Band catalogue (expected "format": "{FORMAT}")')
    if data.get("version", 0) > VERSION:
        raise CatalogError(
            f"{path}: catalogue format {data['version']} is newer than this kyb ({VERSION}): upgrade knowyourband"
        )
    base = path.parent
    references = [dict(ref) for ref in data.get("references", [])]
    for ref in references:
        if "image" not in ref:
            raise CatalogError(f"{path}: reference {ref.get('id')!r} has no 'image'")
        ref["image"] = str((base / ref["image"]).resolve())
    info = {k: v for k, v in data.items() if k not in ("bands", "releases", "references")}
    return CatalogSource(
        path=path,
        name=str(data.get("name") or path.parent.name),
        bands=[dict(b) for b in data.get("bands", [])],
        releases=[dict(r) for r in data.get("releases", [])],
        references=references,
        info=info,
    )


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def _from_csv(path: Path) -> CatalogSource:
    """Columns `image, kind, band, release, year` (+ optional `country, genres, url`)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CatalogError(f"{path}: cannot read this CSV ({exc})") from exc
    required = {"image", "kind", "band"}
    if rows and not required <= set(rows[0]):
        raise CatalogError(f"{path}: missing column(s) {sorted(required - set(rows[0]))}; "
                           "expected image, kind, band, release, year (+ country, genres, url)")
    bands: dict[str, dict[str, Any]] = {}
    releases: dict[str, dict[str, Any]] = {}
    references = []
    for line, row in enumerate(rows, start=2):
        name = (row.get("band") or "").strip()
        kind = (row.get("kind") or "").strip().lower()
        if not name or kind not in KINDS:
            raise CatalogError(f"{path}:{line}: needs a band name and kind 'logo' or 'album'")
        country = (row.get("country") or "").strip() or None
        band_key = "csv-band-" + _short_hash(normalize(name), country or "")
        band = bands.setdefault(band_key, {"id": band_key, "name": name, "country": country, "sources": []})
        genres = [g.strip() for g in (row.get("genres") or "").split(";") if g.strip()]
        if genres and not band.get("genres"):
            band["genres"] = genres
        release_key = None
        title = (row.get("release") or "").strip()
        if kind == "album":
            if not title:
                raise CatalogError(f"{path}:{line}: an album row needs a release title")
            release_key = "csv-release-" + _short_hash(band_key, normalize(title))
            year = (row.get("year") or "").strip()
            releases.setdefault(release_key, {
                "id": release_key, "band_id": band_key, "title": title,
                "year": int(year) if year.isdigit() else None, "sources": [],
            })
        image = (row.get("image") or "").strip()
        references.append({
            "id": "csv-ref-" + _short_hash(image),
            "kind": kind,
            "band_id": band_key,
            "release_id": release_key,
            "image": str((path.parent / image).resolve()),
            "distractor": False,
            "source_url": (row.get("url") or "").strip() or None,
        })
    return CatalogSource(path=path, name=path.parent.name, bands=list(bands.values()),
                         releases=list(releases.values()), references=references,
                         info={"format": FORMAT, "version": VERSION})


def _validate(source: CatalogSource) -> None:
    where = source.path
    if not source.references:
        raise CatalogError(f"{where}: the catalogue has no reference images: nothing to index")
    band_ids = _unique_ids(source.bands, "band", where)
    release_ids = _unique_ids(source.releases, "release", where)
    _unique_ids(source.references, "reference", where)
    for band in source.bands:
        if not str(band.get("name") or "").strip():
            raise CatalogError(f"{where}: band {band['id']!r} has no name")
    for release in source.releases:
        if release.get("band_id") not in band_ids:
            raise CatalogError(f"{where}: release {release['id']!r} names unknown band {release.get('band_id')!r}")
    for ref in source.references:
        if ref.get("kind") not in KINDS:
            raise CatalogError(f"{where}: reference {ref['id']!r} has kind {ref.get('kind')!r}, expected logo or album")
        if ref.get("band_id") not in band_ids:
            raise CatalogError(f"{where}: reference {ref['id']!r} names unknown band {ref.get('band_id')!r}")
        if ref["kind"] == "album" and ref.get("release_id") not in release_ids:
            raise CatalogError(f"{where}: album reference {ref['id']!r} names unknown release {ref.get('release_id')!r}")


def _unique_ids(items: list[dict[str, Any]], what: str, where: Path) -> set[str]:
    ids: set[str] = set()
    for item in items:
        key = item.get("id")
        if not isinstance(key, str) or not key:
            raise CatalogError(f"{where}: a {what} has no string 'id'")
        if key in ids:
            raise CatalogError(f"{where}: {what} id {key!r} appears twice")
        ids.add(key)
    return ids
