"""`generate_catalog`: a fictional catalogue (bands, releases, logo and cover images) as catalog.json."""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowyourband.synth import covers, fonts, logos, names

log = logging.getLogger(__name__)

ERA_SHARE = 0.15  # bands with 2-3 logos from different eras
MULTI_SHARE = 0.05  # logo images holding several versions side by side
SAME_NAME_SHARE = 0.06  # bands that take the name of an earlier band (another country, other years)
TITLE_VARIANT_SHARE = 0.06  # releases titled like an earlier one but for punctuation / subtitle style
LOGO_WIDTH = (600, 1200)
COVER_SIZE = (600, 1400)
# Distractors are smaller so that 100k of them can be made in reasonable time; same kinds and styles.
DISTRACTOR_LOGO_WIDTH = (400, 700)
DISTRACTOR_COVER_SIZE = (400, 600)
DISTRACTOR_ALBUMS = 2  # each distractor band brings one logo and up to this many covers
NAME_TRIES = 20  # draws for a band name or title nobody has yet, before a repeat is accepted
PARALLEL_FROM = 24  # below this many images, worker start-up costs more than it saves
JPEG_QUALITY = 90

# Independent random streams, so that adding distractors never changes the main catalogue.
STREAM_BANDS, STREAM_DISTRACTORS, STREAM_LOGO, STREAM_COVER = 0, 1, 2, 3


@dataclass
class Job:
    """One image to draw: a logo, a sheet of logo versions, or a cover, and where it goes."""

    path: str  # relative to the catalogue folder
    logo: list[logos.LogoSpec] = field(default_factory=list)
    cover: covers.CoverSpec | None = None


@dataclass
class _Plan:
    """The catalogue being decided: its entries, the images to draw, and what names are taken."""

    bands: list[dict] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)
    references: list[dict] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    names_used: set[str] = field(default_factory=set)
    titles_used: set[str] = field(default_factory=set)
    subtitled: list[tuple[str, str, int]] = field(default_factory=list)  # (title, subtitle, join style)


def _created(seed: int) -> str:
    """A fixed timestamp derived from the seed, so the same arguments give the same bytes."""
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=seed % 525600)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add_band(plan: _Plan, name: str, facts: dict) -> str:
    band_id = f"b{len(plan.bands) + 1:05d}"
    plan.bands.append({"id": band_id, "name": name, **facts, "sources": []})
    return band_id


def _add_logo(plan: _Plan, rng: np.random.Generator, seed: int, band_id: str, name: str, found: fonts.Fonts,
              width_range: tuple[int, int], distractor: bool, versions: int = 1) -> logos.LogoSpec:
    index = len(plan.references) + 1
    ref_id = f"ref{index:05d}"
    specs = [logos.choose(rng, name, found, int(rng.integers(*width_range)), (seed, STREAM_LOGO, index, v))
             for v in range(versions)]
    path = f"images/logos/{ref_id}.png"
    ref = {"id": ref_id, "kind": "logo", "band_id": band_id, "release_id": None, "image": path,
           "distractor": distractor, "source_url": None, "style": specs[0].style, "polarity": specs[0].polarity}
    if versions > 1:
        ref["multi"] = True
        ref["styles"] = [s.style for s in specs]
    plan.references.append(ref)
    plan.jobs.append(Job(path, logo=specs))
    return specs[0]


def _title(plan: _Plan, rng: np.random.Generator) -> str:
    """A title not used before, or (on purpose) an earlier title with its subtitle joined another way."""
    for _ in range(NAME_TRIES):
        if plan.subtitled and rng.random() < TITLE_VARIANT_SHARE:
            base, sub, style = plan.subtitled[int(rng.integers(len(plan.subtitled)))]
            style = (style + int(rng.integers(1, len(names.SUBTITLE_JOINS)))) % len(names.SUBTITLE_JOINS)
        else:
            base, sub = names.album_title(rng)
            style = int(rng.integers(len(names.SUBTITLE_JOINS)))
        title = base if sub is None else names.with_subtitle(base, sub, style)
        if title not in plan.titles_used:
            break
    plan.titles_used.add(title)
    if sub is not None:
        plan.subtitled.append((base, sub, style))
    return title


def _add_albums(plan: _Plan, rng: np.random.Generator, seed: int, band: dict, count: int,
                band_logos: list[logos.LogoSpec], found: fonts.Fonts, size_range: tuple[int, int],
                distractor: bool) -> None:
    last = max(band["formed"], names.active_until(band))
    years = sorted(int(y) for y in rng.integers(band["formed"], last + 1, size=count))
    for year in years:
        release_id = f"r{len(plan.releases) + 1:05d}"
        title = _title(plan, rng)
        label = band["label"] if rng.random() < 0.7 else names.label_name(rng)
        plan.releases.append({"id": release_id, "band_id": band["id"], "title": title, "year": year,
                              "type": names.release_type(rng), "label": label, "sources": []})
        index = len(plan.references) + 1
        ref_id = f"ref{index:05d}"
        logo = band_logos[int(rng.integers(len(band_logos)))]
        spec = covers.choose(rng, title, logo, found, int(rng.integers(*size_range)), (seed, STREAM_COVER, index))
        path = f"images/covers/{ref_id}.jpg"
        plan.references.append({"id": ref_id, "kind": "album", "band_id": band["id"], "release_id": release_id,
                                "image": path, "distractor": distractor, "source_url": None,
                                "style": spec.style, "shows_logo": spec.logo is not None,
                                "shows_title": spec.title_font is not None})
        plan.jobs.append(Job(path, cover=spec))


def _band(plan: _Plan, rng: np.random.Generator, twins_from: int) -> tuple[str, dict]:
    """Fresh facts and a name not used before, or (on purpose) the name of one of the first
    `twins_from` bands, then from another country."""
    facts = names.band_facts(rng)
    if twins_from and rng.random() < SAME_NAME_SHARE:
        twin = plan.bands[int(rng.integers(twins_from))]
        while facts["country"] == twin["country"]:
            facts = names.band_facts(rng)
        return twin["name"], facts
    for _ in range(NAME_TRIES):  # past ~13k bands the name space runs out and names repeat, as in life
        name = names.band_name(rng)
        if name not in plan.names_used:
            break
    plan.names_used.add(name)
    return name, facts


def plan_catalog(seed: int, bands: int, albums_per_band: int, distractors: int,
                 found: fonts.Fonts) -> tuple[dict, list[Job]]:
    """Decide every band, release and reference (cheap); returns catalog.json's content and the images to draw."""
    plan = _Plan()
    rng = np.random.default_rng([seed, STREAM_BANDS])
    for i in range(bands):
        name, facts = _band(plan, rng, i)
        band_id = _add_band(plan, name, facts)
        eras = int(rng.integers(2, 4)) if rng.random() < ERA_SHARE else 1
        band_logos = []
        for _ in range(eras):
            versions = int(rng.integers(2, 4)) if rng.random() < MULTI_SHARE else 1
            band_logos.append(_add_logo(plan, rng, seed, band_id, name, found, LOGO_WIDTH, False, versions))
        _add_albums(plan, rng, seed, plan.bands[-1], albums_per_band, band_logos, found, COVER_SIZE, False)
    rng = np.random.default_rng([seed, STREAM_DISTRACTORS])
    made = 0
    while made < distractors:
        name, facts = _band(plan, rng, 0)
        band_id = _add_band(plan, name, facts)
        logo = _add_logo(plan, rng, seed, band_id, name, found, DISTRACTOR_LOGO_WIDTH, True)
        albums = min(DISTRACTOR_ALBUMS, distractors - made - 1)
        _add_albums(plan, rng, seed, plan.bands[-1], albums, [logo], found, DISTRACTOR_COVER_SIZE, True)
        made += 1 + albums
    catalog = {
        "format": "kyb-catalog",
        "version": 1,
        "name": f"kyb-synth seed {seed}",
        "created": _created(seed),
        "generator": {"command": "kyb synth catalog", "seed": seed, "bands": bands,
                      "albums_per_band": albums_per_band, "distractors": distractors},
        "bands": plan.bands,
        "releases": plan.releases,
        "references": plan.references,
    }
    return catalog, plan.jobs


def render_job(job: Job, out_dir: Path) -> None:
    """Draw one job's image and write it with fixed encoder settings (same spec, same bytes)."""
    target = out_dir / job.path
    if job.cover is not None:
        covers.render(job.cover).save(target, format="JPEG", quality=JPEG_QUALITY, subsampling=2,
                                      optimize=False, progressive=False)
        return
    image = logos.render(job.logo[0]) if len(job.logo) == 1 else logos.render_sheet(job.logo)
    image.save(target, format="PNG", compress_level=6)


def _render_star(args: tuple[Job, Path]) -> None:
    import cv2

    cv2.setNumThreads(1)  # two processes on two cores: OpenCV's own threads would only fight them
    render_job(*args)


def generate_catalog(out_dir: Path, bands: int, albums_per_band: int, seed: int, distractors: int = 0,
                     workers: int | None = None) -> Path:
    """Write `out_dir/catalog.json` and every image it names; returns the catalog.json path.

    bands × (1-3 logos + albums_per_band covers) main references, then `distractors` more references
    (marked `distractor: true`) of extra bands. Same arguments give the same bytes, whatever `workers`.
    """
    if min(bands, albums_per_band, distractors, seed) < 0:
        raise ValueError("bands, albums_per_band, distractors and seed must not be negative")
    out_dir = Path(out_dir)
    found = fonts.discover()
    start = time.perf_counter()
    catalog, jobs = plan_catalog(seed, bands, albums_per_band, distractors, found)
    for sub in ("images/logos", "images/covers"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        # spawn, not fork: the parent may hold OpenCV/FAISS threads that a fork would copy half-alive.
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for done, _ in enumerate(pool.imap_unordered(_render_star, [(j, out_dir) for j in jobs], chunksize=8), 1):
                if done % 200 == 0:
                    log.info("drew %d/%d images", done, len(jobs))
    else:
        for job in jobs:
            render_job(job, out_dir)
    path = out_dir / "catalog.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    log.info("catalogue: %d bands, %d releases, %d references in %.1f s", len(catalog["bands"]),
             len(catalog["releases"]), len(catalog["references"]), time.perf_counter() - start)
    return path
