"""`kyb demo`: a fictional catalogue, its index and a few photos, recognised and then served — offline."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from knowyourband.cli.errors import friendly_errors

# Small enough to build in well under two minutes on two cores, big enough to be interesting.
DEMO = {"bands": 40, "albums_per_band": 2, "catalog_seed": 2018, "photos": 8, "photo_seed": 27}


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"),
              show_default=True, help="Folder for the demo catalogue, photos and index (reused when present).")
@click.option("--serve/--no-serve", "serve_after", default=True, show_default=True,
              help="Serve the web client on the demo index afterwards.")
@click.option("--bands", default=DEMO["bands"], show_default=True, type=click.IntRange(1, 2000))
@click.option("--photos", "photo_count", default=DEMO["photos"], show_default=True, type=click.IntRange(1, 500))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@friendly_errors
def demo(out_dir: Path, serve_after: bool, bands: int, photo_count: int, host: str, port: int) -> None:
    """Build the built-in fictional catalogue and its index, recognise a few photos, serve the client."""
    from knowyourband.index import build
    from knowyourband.recognize import Recognizer
    from knowyourband.synth.catalog import generate_catalog
    from knowyourband.synth.photos import generate_photos

    console = Console()
    t0 = time.perf_counter()
    catalog = out_dir / "catalog" / "catalog.json"
    photos = out_dir / "photos"
    index_dir = out_dir / "index"
    if not catalog.is_file():
        console.print(f"[bold]1/4[/] drawing {bands} fictional bands, their logos and covers …")
        generate_catalog(catalog.parent, bands, DEMO["albums_per_band"], DEMO["catalog_seed"])
    if not (photos / "annotations.json").is_file():
        console.print(f"[bold]2/4[/] photographing them in {photo_count} scenes …")
        generate_photos(photos, catalog, photo_count, DEMO["photo_seed"])
    if not (index_dir / "manifest.json").is_file():
        console.print("[bold]3/4[/] building the search index …")
        build(catalog, index_dir, force=True)
    console.print(f"[bold]4/4[/] recognising the photos (setup took {time.perf_counter() - t0:.0f} s) …")
    _recognise_and_show(console, Recognizer.open(index_dir), photos)
    if serve_after:
        from knowyourband.web import serve

        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
        console.print(f"\n[bold green]Open http://{shown}:{port}/[/] and upload a photo from {photos} "
                      "(Ctrl+C stops).")
        serve(index_dir, host=host, port=port)


def _recognise_and_show(console: Console, recognizer, photos: Path) -> None:
    truth = json.loads((photos / "annotations.json").read_text(encoding="utf-8"))
    table = Table("photo", "scene", "shows", "found", "ms")
    for image in truth["images"]:
        shown = [a for a in truth["annotations"] if a["image_id"] == image["id"]]
        result = recognizer.recognize(photos / image["file_name"])
        found = [
            f"{o.kind} {o.band.name}" + (f" — {o.release.title}" if o.release else "") + f" ({o.score:.2f})"
            for o in result.objects
        ]
        table.add_row(image["file_name"], image["scene"], str(len(shown)),
                      "\n".join(found) or "[dim]nothing known[/]", f"{result.timing_ms['total']:.0f}")
    console.print(table)
