"""`kyb index build|add|embed`: make an index directory from a catalogue source, grow it, or embed its logos again."""

from __future__ import annotations

from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors


@click.group()
def index() -> None:
    """Build or grow a search index."""


def _report(report, verb: str) -> None:
    click.echo(f"{verb} {report.added} references ({report.descriptors} descriptors) in {report.seconds:.1f} s "
               f"-> {report.path}")
    if report.skipped:
        click.echo(f"skipped {len(report.skipped)} unreadable image(s):", err=True)
        for s in report.skipped:
            click.echo(f"  {s['key']}: {s['image']}: {s['error']}", err=True)


def _run(work, label: str):
    """Run `work(progress)` under a rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        return work(lambda done, total: bar.update(task, completed=done, total=total))


@index.command("build")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Index directory to create.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists (the old index stays until the new one is done).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Feature processes (default: all cores).")
@friendly_errors
def build_cmd(source: Path, out: Path, force: bool, workers: int | None) -> None:
    """Index every reference of SOURCE (catalog.json, catalog.csv or a folder holding one)."""
    from knowyourband.index import build

    report = _run(lambda progress: build(source, out, workers=workers, force=force, progress=progress),
                  "indexing references")
    _report(report, "indexed")


@index.command("add")
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Feature processes (default: all cores).")
@friendly_errors
def add_cmd(index_dir: Path, source: Path, workers: int | None) -> None:
    """Add SOURCE's references that INDEX_DIR does not hold yet, without a rebuild."""
    from knowyourband.index import add

    report = _run(lambda progress: add(index_dir, source, workers=workers, progress=progress), "adding references")
    _report(report, "added")


@index.command("embed")
@click.argument("index_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Image-reading processes (default: all cores).")
@friendly_errors
def embed_cmd(index_dir: Path, workers: int | None) -> None:
    """Make INDEX_DIR's looks-as-a-whole again: logo embeddings with the shipped logo embedder, and
    cover thumbnails from the index's own media (an index built before them, or after a new
    embedder model); nothing else changes."""
    from knowyourband.index.covers import thumbnails_again
    from knowyourband.index.embeddings import embed_index

    embedded, unreadable = _run(lambda progress: embed_index(index_dir, workers=workers, progress=progress),
                                "embedding logos")
    click.echo(f"embedded {embedded} logo references -> {index_dir}")
    if unreadable:
        click.echo(f"{len(unreadable)} logo image(s) could not be read again and have no embedding:", err=True)
        for image in unreadable:
            click.echo(f"  {image}", err=True)
    thumbnailed = _run(lambda progress: thumbnails_again(index_dir, progress=progress), "cover thumbnails")
    click.echo(f"made {thumbnailed} cover thumbnails -> {index_dir}")
