"""Build an index directory from a catalogue source atomically, or grow one in place."""

from __future__ import annotations

import logging
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from knowyourband.catalog import Catalog, Reference, load_source
from knowyourband.embed import Embedder
from knowyourband.errors import CatalogError, IndexFormatError
from knowyourband.features import FeatureConfig
from knowyourband.index import covers, embeddings, vectors
from knowyourband.index.index import CATALOG, LOCALS, MEDIA, VECTORS
from knowyourband.index.ingest import Ingested, ingest
from knowyourband.index.locals import KINDS, REF_DTYPE, LocalStore, write_chunk, write_refs
from knowyourband.index.manifest import FORMAT, VERSION, library_versions, now, read_manifest, write_manifest

log = logging.getLogger(__name__)

# References are worked on at ~640x640 px worth of area (a long 4-logo strip keeps its height), which
# keeps their strokes. Without SIFT's doubled first octave a reference costs ~34 ms of SIFT instead of
# ~110 ms, and the keypoints it loses (2-6 px details of a 640 px image) are ones a photo rarely shows.
# A reference with fewer than 20 keypoints, too few to verify among a photo's clutter, is described
# again with its gray levels spread as a photo's are: blue lettering on dark teal art has almost
# no luminance contrast and gave no keypoints at all (docs/engine.md). Spreading every reference's
# gray levels changed nothing for the better on the benchmark and named one more unknown object.
REFERENCE_FEATURES = FeatureConfig(max_side=1600, max_keypoints=400, contrast_threshold=0.02, spread_cells=4,
                                   max_area=640 * 640, fine_octave=False, stretch_below=20)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class BuildReport:
    path: Path
    added: int
    descriptors: int
    skipped: list[dict] = field(default_factory=list)  # {"key", "image", "error"}
    seconds: float = 0.0


def _ingest_all(refs: list[Reference], media: Path, config: FeatureConfig, workers: int,
                progress: Progress | None) -> tuple[list[Ingested], np.ndarray]:
    """Ingest every reference, in order. Returns the items, their descriptors moved out into one
    (N, 128) float16 array (readable items only, in order), so that a build holds each descriptor
    once: 9.4 GB at 100k references, where the items and their concatenation took 38 GB."""
    jobs = [(r.id, r.image, str(media / f"{r.id}.jpg"), config, r.kind) for r in refs]
    # Rows are capped per reference; np.empty maps this lazily, so unused rows take no memory.
    descriptors = np.empty((len(jobs) * config.max_keypoints, vectors.DIM), np.float16)
    out: list[Ingested] = []
    row = 0

    def keep(item: Ingested) -> None:
        nonlocal row
        if item.descriptors is not None:
            descriptors[row: row + len(item.descriptors)] = item.descriptors
            row += len(item.descriptors)
            item.descriptors = None
        out.append(item)
        if progress:
            progress(len(out), len(jobs))

    if workers <= 1 or len(jobs) < 8:
        for job in jobs:
            keep(ingest(*job))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for item in pool.map(ingest, *zip(*jobs), chunksize=4):
                keep(item)
    return out, descriptors[:row]


def _store(catalog: Catalog, refs: list[Reference], items: list[Ingested],
           first_row: int) -> tuple[list[Ingested], np.ndarray, list[dict]]:
    """Record image facts in the catalogue, drop unreadable references; returns good items, their
    REF_DTYPE rows and the skipped list."""
    by_id = {r.id: r for r in refs}
    good, skipped = [], []
    for item in items:
        if item.error:
            ref = by_id[item.reference_id]
            skipped.append({"key": ref.key, "image": ref.image, "error": item.error})
            log.warning("skipped reference %s (%s): %s", ref.key, ref.image, item.error)
            continue
        good.append(item)
        catalog.set_image_info(item.reference_id, sha256=item.sha256, phash=item.phash, width=item.width,
                               height=item.height, thumbnail=f"{MEDIA}/{item.reference_id}.jpg")
    if skipped:
        catalog.remove_references([item.reference_id for item in items if item.error])
    rows = np.zeros(len(good), dtype=REF_DTYPE)
    start = first_row
    for i, item in enumerate(good):
        rows[i] = (item.reference_id, start, len(item.keypoints), item.width, item.height,
                   KINDS.index(by_id[item.reference_id].kind))
        start += len(item.keypoints)
    return good, rows, skipped


def build(source_path: str | Path, out: str | Path, *, workers: int | None = None, force: bool = False,
          progress: Progress | None = None, config: FeatureConfig = REFERENCE_FEATURES) -> BuildReport:
    """Index every reference of a catalogue source into a new directory `out`.

    Everything is written into a temporary sibling folder that is renamed into place at the end, so
    a crash never leaves a half-built index under `out`. Unreadable images are skipped and listed.
    """
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and not force:
        raise IndexFormatError(f"{out} already exists: grow it with `kyb index add {out} SOURCE`, "
                               "or rebuild it with --force")
    source = load_source(source_path)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    for sub in (VECTORS.split("/")[0], LOCALS, MEDIA):
        (tmp / sub).mkdir(parents=True)
    try:
        catalog = Catalog.create(tmp / CATALOG)
        refs = catalog.add_source(source)
        workers = workers or os.cpu_count() or 1
        items, descriptors = _ingest_all(refs, tmp / MEDIA, config, workers, progress)
        good, rows, skipped = _store(catalog, refs, items, 0)
        catalog.close()
        if not good:
            raise CatalogError(f"{source.path}: none of the {len(refs)} reference images could be read; "
                               f"first error: {skipped[0]['error'] if skipped else 'none'}")
        embedder = Embedder.open()
        logo_vectors = embeddings.embed_references([g.glyph for g in good], embedder)
        factory = vectors.factory_for(len(descriptors))
        index = vectors.train(descriptors, factory, threads=workers)
        vectors.add(index, descriptors, 0, threads=workers)
        vectors.save(index, tmp / VECTORS)
        chunk = write_chunk(tmp / LOCALS, 0, np.concatenate([g.keypoints for g in good]))
        write_refs(tmp / LOCALS, rows)
        embedded = embeddings.write(tmp, logo_vectors, embedder)
        cover_rows = covers.write(tmp, covers.stack([g.cover for g in good]))
        manifest = {
            "format": FORMAT, "version": VERSION, "created": now(), "updated": now(),
            "sources": [{"path": str(source.path), "name": source.name, "added": len(good)}],
            "features": {"reference": config.to_dict()},
            "vectors": {"file": VECTORS, "factory": factory, "trained_on": int(len(descriptors))},
            "locals": {"chunks": [{"file": chunk, "start": 0, "count": int(len(descriptors))}]},
            "embeddings": embedded,
            "covers": cover_rows,
            "counts": {"references": len(good), "descriptors": int(len(descriptors)),
                       "logos": int((rows["kind"] == 0).sum()), "albums": int((rows["kind"] == 1).sum())},
            "skipped": skipped,
            "build_seconds": round(time.perf_counter() - t0, 2),
            "libraries": library_versions(),
        }
        write_manifest(tmp, manifest)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildReport(out, len(good), int(len(descriptors)), skipped, time.perf_counter() - t0)


def _swap_in(tmp: Path, out: Path) -> None:
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def add(index_dir: str | Path, source_path: str | Path, *, workers: int | None = None,
        progress: Progress | None = None) -> BuildReport:
    """Grow an index with the references of a source it does not hold yet, without a rebuild.

    New descriptors go through the trained PCA and quantiser as they are; when the index has grown
    to several times what it was trained on, the lists get long and uneven, and the manifest's
    `retrain_advised` turns true (a `kyb index build --force` restores the speed).
    The manifest is written last, so a crash before it leaves the index as it was.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    source = load_source(source_path)
    config = FeatureConfig(**manifest["features"]["reference"])
    store = LocalStore.load(index_dir / LOCALS, manifest["locals"]["chunks"], mmap=True)
    catalog = Catalog.open(index_dir / CATALOG, readonly=False)
    try:
        refs = catalog.add_source(source)
        workers = workers or os.cpu_count() or 1
        items, descriptors = _ingest_all(refs, index_dir / MEDIA, config, workers, progress)
        good, rows, skipped = _store(catalog, refs, items, store.total)
    finally:
        catalog.close()
    n_new = int(sum(len(g.keypoints) for g in good))
    if good:
        index = vectors.load(index_dir / VECTORS, mmap=False)
        vectors.add(index, descriptors, store.total, threads=workers)
        chunk_no = len(manifest["locals"]["chunks"])
        chunk = write_chunk(index_dir / LOCALS, chunk_no, np.concatenate([g.keypoints for g in good]))
        vectors.save(index, index_dir / VECTORS)
        write_refs(index_dir / LOCALS, np.concatenate([np.asarray(store.refs), rows]))
        manifest["locals"]["chunks"].append({"file": chunk, "start": store.total, "count": n_new})
        # An index without them (built before them, or with another embedder model) stays without.
        extended = {"embeddings": embeddings.extend(index_dir, manifest, len(store.refs), [g.glyph for g in good]),
                    "covers": covers.extend(index_dir, manifest, len(store.refs), [g.cover for g in good])}
        for key, entry in extended.items():
            if entry is None:
                manifest.pop(key, None)
            else:
                manifest[key] = entry
    counts = manifest["counts"]
    counts["references"] += len(good)
    counts["descriptors"] += n_new
    counts["logos"] += int((rows["kind"] == 0).sum())
    counts["albums"] += int((rows["kind"] == 1).sum())
    manifest["vectors"]["retrain_advised"] = counts["descriptors"] > 4 * manifest["vectors"]["trained_on"]
    manifest["sources"].append({"path": str(source.path), "name": source.name, "added": len(good)})
    manifest["skipped"] = manifest.get("skipped", []) + skipped
    manifest["updated"] = now()
    write_manifest(index_dir, manifest)
    return BuildReport(index_dir, len(good), n_new, skipped, time.perf_counter() - t0)
