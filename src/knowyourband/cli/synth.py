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
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed and sizes, same bytes.")
@click.option("--distractors", type=click.IntRange(min=0), default=0, show_default=True,
              help="Extra references of extra bands that never appear in photos.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Drawing processes (default: up to 2).")
@friendly_errors
def catalog(out: Path, bands: int, albums_per_band: int, seed: int, distractors: int, workers: int | None) -> None:
    """Write OUT/catalog.json and the logo and cover images it names."""
    from knowyourband.synth.catalog import generate_catalog

    path = generate_catalog(out, bands, albums_per_band, seed, distractors, workers=workers)
    click.echo(f"wrote {path}")
