"""Turn a user's folder of logo and cover images (plus an optional catalog.csv) into a catalogue folder.

Without a CSV the folder's layout says what each image is:

    PATH/<Band name>/logo.png              a logo (any file whose name starts with "logo")
    PATH/<Band name>/<Album title>.jpg     a cover; "1994 - Title.jpg" also gives the year

With `PATH/catalog.csv` (columns in docs/formats.md) the CSV says it, and its ids are kept.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from knowyourband.catalog.source import load_source
from knowyourband.collect import images
from knowyourband.collect.dedupe import image_hashes
from knowyourband.collect.http import utc_now
from knowyourband.collect.references import FOLDERS, drop_duplicates
from knowyourband.collect.writer import CatalogBuilder
from knowyourband.errors import CatalogError
from knowyourband.text import name_key, title_key

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".avif"}
_YEAR_TITLE = re.compile(r"^((?:19|20)\d\d)\s*[-–_.]\s*(.+)$")


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _entries_from_layout(root: Path) -> list[dict[str, Any]]:
    """One entry per image of the `<Band>/<file>` layout: band, kind, title, year, path."""
    entries = []
    for band_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(band_dir.iterdir()):
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            stem = path.stem.strip()
            if stem.lower().startswith("logo"):
                entries.append({"band": band_dir.name, "kind": "logo", "title": None, "year": None, "path": path})
                continue
            match = _YEAR_TITLE.match(stem)
            year, title = (int(match.group(1)), match.group(2)) if match else (None, stem)
            entries.append({"band": band_dir.name, "kind": "album", "title": title, "year": year, "path": path})
    return entries


# (reference, image path, band, release): the band and release enter the catalogue only with a readable image.
Pending = list[tuple[dict[str, Any], Path, dict[str, Any], dict[str, Any] | None]]


def _from_layout(root: Path) -> Pending:
    pending: Pending = []
    now = utc_now()
    for entry in _entries_from_layout(root):
        band_id = "folder-band-" + _hash(name_key(entry["band"]))
        band = {"id": band_id, "name": entry["band"],
                "sources": [{"name": "folder", "url": entry["path"].parent.resolve().as_uri(), "fetched": now}]}
        release = None
        if entry["kind"] == "album":
            release = {"id": "folder-release-" + _hash(band_id, title_key(entry["title"])), "band_id": band_id,
                       "title": entry["title"], "year": entry["year"], "sources": []}
        relative = entry["path"].relative_to(root).as_posix()
        reference = {"id": "folder-ref-" + _hash(relative), "kind": entry["kind"], "band_id": band_id,
                     "release_id": release["id"] if release else None, "distractor": False, "source_url": None}
        pending.append((reference, entry["path"], band, release))
    return pending


def _from_csv(csv_path: Path) -> Pending:
    source = load_source(csv_path)
    bands = {band["id"]: band for band in source.bands}
    releases = {release["id"]: release for release in source.releases}
    return [(ref, Path(ref.pop("image")), bands[ref["band_id"]], releases.get(ref.get("release_id") or ""))
            for ref in source.references]


def _register_heif() -> None:
    """Phone photos are often HEIC: readable when the optional pillow-heif (extra `heic`) is installed."""
    try:
        import pillow_heif
    except ImportError:
        return
    pillow_heif.register_heif_opener()


def collect(root: Path, out_dir: Path) -> CatalogBuilder:
    """Copy `root`'s images into `out_dir/images/` (checked, hashed, duplicates dropped) and write catalog.json."""
    _register_heif()
    if not root.is_dir():
        raise CatalogError(f"{root} is not a folder; pass the folder that holds your band folders or catalog.csv")
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = CatalogBuilder.open(out_dir, out_dir.name, {"command": "kyb collect folder", "path": str(root)})
    csv_path = root / "catalog.csv"
    pending = _from_csv(csv_path) if csv_path.is_file() else _from_layout(root)
    for reference, path, band, release in pending:
        data = path.read_bytes() if path.is_file() else b""
        image = images.decode(data)
        if image is None:
            log.warning("%s is missing or not a readable image; skipped", path)
            builder.add_missing(path.resolve().as_uri(), 0, f"{reference['kind']} image {reference['id']}")
            continue
        builder.add_band(band)
        if release is not None:
            builder.add_release(release)
        stored = images.store(data, image, out_dir / FOLDERS[reference["kind"]] / reference["id"])
        reference.update({"image": stored.relative_to(out_dir).as_posix(),
                          **image_hashes(images.grey_array(image))})
        builder.add_reference(reference)
    if not builder.references:
        raise CatalogError(f"{root}: no readable images found. Lay them out as <Band>/logo.png and "
                           "<Band>/<Album>.jpg, or add a catalog.csv (see docs/collect.md)")
    drop_duplicates(builder)
    builder.write(out_dir)
    return builder
