"""Download a reference image once, check it, split multi-logo images, hash it, and add it to the catalogue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from knowyourband.collect import images
from knowyourband.collect.dedupe import find_duplicates, image_hashes
from knowyourband.collect.http import Fetcher
from knowyourband.collect.logos import split_logos
from knowyourband.collect.writer import CatalogBuilder

log = logging.getLogger(__name__)

FOLDERS = {"logo": "images/logos", "album": "images/covers"}


def _existing(out_dir: Path, stem: str, kind: str) -> Path | None:
    for ext in (".jpg", ".png"):
        path = out_dir / FOLDERS[kind] / f"{stem}{ext}"
        if path.is_file():
            return path
    return None


def collect_image(
    fetcher: Fetcher,
    builder: CatalogBuilder,
    out_dir: Path,
    ref_id: str,
    kind: str,
    url: str,
    band_id: str,
    release_id: str | None,
    split: bool = False,
) -> int:
    """Fetch `url` into `out_dir` as reference `ref_id` (several references when `split` finds several logos).

    Returns how many references were added: 0 when the image is missing (404, recorded in the
    catalogue's `missing`) or unreadable. An image already on disk is not fetched again.
    """
    path = _existing(out_dir, ref_id, kind)
    if path is None:
        response = fetcher.get(url, store_body=False)
        if not response.ok:
            builder.add_missing(url, response.status, f"{kind} image of {release_id or band_id}")
            return 0
        builder.found(url)
        image = images.decode(response.body)
        if image is None:
            log.warning("%s is not a readable image; skipped", url)
            builder.add_missing(url, response.status, f"unreadable {kind} image of {release_id or band_id}")
            return 0
        path = images.store(response.body, image, out_dir / FOLDERS[kind] / ref_id)
    else:
        image = images.decode(path.read_bytes())
        if image is None:  # cannot happen after an atomic write, unless someone edited the folder
            log.warning("%s is not a readable image: delete it and rerun to fetch it again", path)
            return 0
    grey = images.grey_array(image)
    # A rerun decides the split again: the references of an earlier decision go first.
    for old in [key for key, ref in builder.references.items() if key == ref_id or ref.get("split_from") == ref_id]:
        builder.drop_reference(old)
    base = {"kind": kind, "band_id": band_id, "release_id": release_id, "distractor": False, "source_url": url}
    pieces: list[tuple[str, Path, np.ndarray, dict[str, Any]]] = []
    if split:
        verdict = split_logos(grey)
        if verdict.flagged:
            builder.add_flag(ref_id, f"{url}: {verdict.reason}")
        for number, box in enumerate(verdict.boxes, start=1):
            piece_id = f"{ref_id}-{number}"
            piece = images.save_crop(image, box, out_dir / FOLDERS[kind] / piece_id)
            x0, y0, x1, y1 = box
            pieces.append((piece_id, piece, grey[y0:y1, x0:x1], {"split_from": ref_id, "box": list(box)}))
    if not pieces:
        pieces = [(ref_id, path, grey, {})]
    for piece_id, piece_path, piece_grey, extra in pieces:
        builder.add_reference({
            "id": piece_id, **base, "image": piece_path.relative_to(out_dir).as_posix(),
            **image_hashes(piece_grey), **extra,
        })
    return len(pieces)


def drop_duplicates(builder: CatalogBuilder) -> int:
    """Remove references that repeat an earlier picture of the same band logo or release; returns how many."""
    hashes = {ref_id: (int(ref["phash"], 16), int(ref["dhash"], 16))
              for ref_id, ref in builder.references.items() if ref.get("phash") and ref.get("dhash")}
    groups = {ref_id: f"{ref['kind']}:{ref.get('release_id') or ref['band_id']}"
              for ref_id, ref in builder.references.items() if ref_id in hashes}
    duplicates = find_duplicates(hashes, groups)
    for ref_id, kept in duplicates.items():
        log.info("reference %s shows the same picture as %s; dropped", ref_id, kept)
        builder.drop_reference(ref_id)
    return len(duplicates)
