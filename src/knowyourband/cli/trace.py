"""`kyb trace`: where each annotated object of a benchmark was lost in the engine's first pass."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors


@click.command("trace")
@click.argument("index_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("bench_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--scene", "scenes", multiple=True, help="Only photos of this scene (repeat for several).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N photos (by id).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one JSON line per object (stage, true matches, vote rank).")
@friendly_errors
def trace(index_dir: Path, bench_dir: Path, scenes: tuple[str, ...], limit: int | None, out: Path | None) -> None:
    """Follow every annotated object through search, shortlist, verification, gates and resolution."""
    from rich.console import Console
    from rich.table import Table

    from knowyourband.evaluate.trace import STAGES, summary, trace as run_trace

    rows = run_trace(index_dir, bench_dir, set(scenes) or None, limit)
    if out is not None:
        out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    table = Table(title=f"{len(rows)} objects, first pass (docs/engine.md)")
    table.add_column("scene")
    table.add_column("kind")
    for stage in STAGES:
        table.add_column(stage, justify="right")
    for (scene, kind), counts in summary(rows).items():
        table.add_row(scene, kind, *[str(counts.get(stage, 0)) for stage in STAGES])
    Console().print(table)
