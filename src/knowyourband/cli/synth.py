"""`kyb synth`: generate the fictional KYB-Synth catalogue (and, in other commands, photos of it)."""

from __future__ import annotations

from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors


@click.group()
def synth() -> None:
    """Generate the fictional KYB-Synth catalogue and photos."""


@synth.command("catalog")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--bands", type=click.IntRange(min=0), default=300, show_default=True, help="Bands in the catalogue.")
@click.option("--albums-per-band", type=click.IntRange(min=0), default=3, show_default=True,
              help="Releases (with a cover each) per band.")
@click.option("--seed", type=click.IntRange(min=0), default=7, show_default=True, help="Same seed and sizes, same bytes.")
@click.option("--distractors", type=click.IntRange(min=0), default=0, show_default=True,
              help="Extra references of extra bands that never appear in photos.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Drawing processes (default: up to 2).")
@friendly_errors
def catalog(out: Path, bands: int, albums_per_band: int, seed: int, distractors: int, workers: int | None) -> None:
    """Write OUT/catalog.json and the logo and cover images it names."""
    import json
    import time

    from knowyourband.synth.catalog import generate_catalog

    start = time.perf_counter()
    path = generate_catalog(out, bands, albums_per_band, seed, distractors, workers=workers)
    data = json.loads(path.read_text(encoding="utf-8"))
    refs = data["references"]
    click.echo(f"wrote {path}: {len(data['bands'])} bands, {len(data['releases'])} releases, {len(refs)} references "
               f"({sum(r['distractor'] for r in refs)} distractors) in {time.perf_counter() - start:.1f} s")


@synth.command("photos")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--catalog", "catalog_path", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The catalog.json whose references the photos show.")
@click.option("--count", type=click.IntRange(min=0), default=400, show_default=True, help="Photos to write.")
@click.option("--seed", type=int, default=11, show_default=True, help="Same arguments, same bytes.")
@click.option("--scenes", default=None, help="Comma-separated scenes to draw (default: the standard mix of all).")
@click.option("--difficulty", type=click.Choice(["easy", "medium", "hard"]), default=None,
              help="One level for every photo (default: a third each).")
@click.option("--megapixels", type=click.FloatRange(min=0.05, max=16), default=None,
              help="Photo size override (default: 1.2-4 MP like a phone); small values make quick test sets.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Drawing processes; the output is the same for any number.")
@friendly_errors
def photos(out: Path, catalog_path: Path, count: int, seed: int, scenes: str | None, difficulty: str | None,
           megapixels: float | None, workers: int) -> None:
    """Photos of a catalogue, with ground truth.

    Writes --count JPEG photos into OUT and OUT/annotations.json (COCO style, see docs/formats.md).
    """
    from knowyourband.synth.photos import generate_photos

    names = [s.strip() for s in scenes.split(",") if s.strip()] if scenes else None
    path = generate_photos(out, catalog_path, count, seed, scenes=names, difficulty=difficulty,
                           megapixels=megapixels, workers=workers)
    click.echo(f"wrote {count} photos and {path}")


@synth.command("preview")
@click.argument("bench", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the contact sheet (PNG).")
@click.option("--count", type=click.IntRange(min=1), default=24, show_default=True,
              help="Photos on the sheet, spread evenly over the benchmark.")
@click.option("--check", is_flag=True,
              help="Also rectify every lightly occluded cover through its quad and compare it with its reference.")
@friendly_errors
def preview(bench: Path, out_path: Path, count: int, check: bool) -> None:
    """A contact sheet with ground-truth outlines.

    Draws BENCH's photos upright with each annotated quad, its kind and reference id. With --check,
    prints per scene the median correlation at the annotated quads and at quads moved by 4 %.
    """
    from knowyourband.synth.preview import contact_sheet

    click.echo(f"wrote {contact_sheet(bench, out_path, count)}")
    if check:
        from knowyourband.synth.alignment import check_alignment

        click.echo(f"{'scene':<10} {'covers':>6} {'ncc':>6} {'moved':>6} {'best':>6}")
        for scene, row in check_alignment(bench).items():
            click.echo(f"{scene:<10} {row['covers']:>6} {row['ncc']!s:>6} {row['moved_ncc']!s:>6} {row['annotated_best']:>6}")
