"""`kyb recognize`: every known logo and cover in one or more photos, as a table or JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors
from knowyourband.cli.options import conf_file_option


def _table(path: Path, result) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{path} ({result.width}x{result.height}, {result.timing_ms['total']:.0f} ms)")
    for col in ("kind", "band", "release", "score", "inliers", "box"):
        table.add_column(col)
    for o in result.objects:
        release = f"{o.release.title} ({o.release.year})" if o.release and o.release.year else (
            o.release.title if o.release else "")
        band = f"{o.band.name} ({o.band.country})" if o.band.country else o.band.name
        table.add_row(o.kind, band, release, f"{o.score:.2f}", str(o.inliers), " ".join(f"{v:.0f}" for v in o.box))
    console = Console()
    if result.objects:
        console.print(table)
    else:
        console.print(f"{path}: nothing known found ({result.timing_ms['total']:.0f} ms)")


@click.command()
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("photos", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per photo and line (JSON Lines).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Candidates per object.")
@click.option("--method", default="kyb", show_default=True, help="kyb, or a baseline: seed-vlad, colour-hist.")
@conf_file_option
@friendly_errors
def recognize(index_dir: Path, photos: tuple[Path, ...], as_json: bool, top: int, method: str,
              conf_file: Path | None) -> None:
    """Recognise logos and covers in PHOTOS with the index INDEX_DIR (loaded once).

    A photo that cannot be read gets an error (a JSON line with "error") and the others go on;
    the exit status is 1 when any photo failed.
    """
    from knowyourband.errors import KybError
    from knowyourband.recognize import Recognizer
    from knowyourband.recognize.recognizer import load_conf

    conf = {**(load_conf(conf_file) if conf_file else {}), "candidates": top}
    recognizer = Recognizer.open(index_dir, method=method, conf=conf if method == "kyb" else None)
    failed = 0
    for path in photos:
        try:
            result = recognizer.recognize(path)
        except KybError as exc:
            failed += 1
            if as_json:
                click.echo(json.dumps({"path": str(path), "error": str(exc)}))
            else:
                click.echo(f"{path}: {exc}", err=True)
            continue
        if as_json:
            click.echo(json.dumps({"path": str(path), **result.to_dict()}))
        else:
            _table(path, result)
    if failed:
        raise SystemExit(1)
