"""`kyb collect`: build a catalogue folder from Metal Archives, Discogs or a local folder."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from knowyourband.cli.errors import friendly_errors

OUT = click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                   help="Catalogue folder: catalog.json, images/ and the resumable cache .cache/.")


def _fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--delay", type=click.FloatRange(min=0), default=3.0, show_default=True,
                     help="Seconds between two requests to the site (be kind: it is run by volunteers)."),
        click.option("--base-url", default=None, metavar="URL",
                     help="Send every request (pages, API, images) to this scheme://host instead (a local replay)."),
        click.option("--max-tries", type=click.IntRange(min=1), default=6, show_default=True,
                     help="Tries per URL on 429/5xx/Cloudflare answers (with back-off) before stopping."),
        click.option("--user-agent", default=None,
                     help="Identify yourself, e.g. 'KnowYourBand (you@example.org)'; the default names kyb only."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config_kwargs(delay: float, base_url: str | None, max_tries: int, user_agent: str | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"delay": delay, "base_url": base_url, "max_tries": max_tries}
    if user_agent:
        kwargs["user_agent"] = user_agent
    return kwargs


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress display with ETA; the callback takes (what, done, total). Ctrl-C says how to resume."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request drowns the bars
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=False) as bars:
        tasks: dict[str, Any] = {}

        def update(what: str, done: int, total: int) -> None:
            key = "releases" if what.startswith("releases") else what
            if key not in tasks:
                tasks[key] = bars.add_task(what, total=total)
            bars.update(tasks[key], description=what, completed=done, total=total)

        try:
            yield update
        except KeyboardInterrupt:
            raise click.ClickException("interrupted: what was collected is saved; run the same command "
                                       "again to resume") from None


def _summary(out: Path) -> None:
    data = json.loads((out / "catalog.json").read_text("utf-8"))
    click.echo(f"wrote {out / 'catalog.json'}: {len(data['bands'])} bands, {len(data['releases'])} releases, "
               f"{len(data['references'])} reference images")
    if not data["references"]:
        click.echo("warning: no reference images were collected, so this catalogue cannot be indexed yet", err=True)
    if data.get("missing"):
        click.echo(f"{len(data['missing'])} pages or images were missing (listed under \"missing\" in catalog.json)")
    for flag in data.get("flags", []):
        click.echo(f"check {flag['id']}: {flag['reason']}")


@click.group()
def collect() -> None:
    """Collect a catalogue from Metal Archives, Discogs or a folder. Reruns resume from OUT/.cache."""


@collect.command("metal-archives")
@click.option("--band", "band_name", default=None, help="Exact band name (every band of that name is collected).")
@click.option("--band-id", "band_ids", type=int, multiple=True, help="Metal Archives band id (repeatable).")
@click.option("--genre", default=None, help="Genre list slug as in the site's URLs, e.g. black, death, heavy.")
@click.option("--letter", default=None, help="First letter of band names (A-Z, NBR, ~).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many bands from a name/genre/letter.")
@OUT
@_fetch_options
@friendly_errors
def metal_archives(band_name: str | None, band_ids: tuple[int, ...], genre: str | None, letter: str | None,
                   limit: int | None, out: Path, delay: float, base_url: str | None, max_tries: int,
                   user_agent: str | None) -> None:
    """Bands, logos and covers from Metal Archives.

    Band facts, logo, full discography and the cover of every album page, into OUT.
    """
    from knowyourband.collect.http import FetchConfig
    from knowyourband.collect.metal_archives import MaSelection
    from knowyourband.collect.metal_archives import collect as run

    if not (band_name or band_ids or genre or letter):
        raise click.UsageError("name what to collect: --band, --band-id, --genre or --letter")
    selection = MaSelection(list(band_ids), band_name, genre, letter, limit)
    config = FetchConfig(**_config_kwargs(delay, base_url, max_tries, user_agent))
    with _progress() as progress:
        run(selection, out, config, progress=progress, band_progress=progress)
    _summary(out)


@collect.command("discogs")
@click.option("--artist", default=None, help="Exact artist name (searched; needs a token).")
@click.option("--artist-id", type=int, default=None, help="Discogs artist id: all its main releases.")
@click.option("--release", "release_ids", type=int, multiple=True, help="Discogs release id (repeatable).")
@click.option("--master", "master_ids", type=int, multiple=True, help="Discogs master release id (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many releases of an artist.")
@click.option("--token", default=None, help="Discogs personal access token (default: env DISCOGS_TOKEN).")
@OUT
@_fetch_options
@friendly_errors
def discogs(artist: str | None, artist_id: int | None, release_ids: tuple[int, ...], master_ids: tuple[int, ...],
            limit: int | None, token: str | None, out: Path, delay: float, base_url: str | None, max_tries: int,
            user_agent: str | None) -> None:
    """Releases and covers from the Discogs API.

    Written into OUT and linked to the bands and releases already there.
    """
    from knowyourband.collect.discogs import DiscogsSelection, fetch_config, token_from
    from knowyourband.collect.discogs import collect as run

    if not (artist or artist_id or release_ids or master_ids):
        raise click.UsageError("name what to collect: --artist, --artist-id, --release or --master")
    token = token_from(token)
    if not token:
        click.echo("warning: no Discogs token (--token or DISCOGS_TOKEN): Discogs sends no image URLs "
                   "without one, so no covers can be collected.", err=True)
    config = fetch_config(token, **_config_kwargs(delay, base_url, max_tries, user_agent))
    selection = DiscogsSelection(artist, artist_id, release_ids, master_ids, limit)
    with _progress() as progress:
        stats = run(selection, out, config, progress=progress)
    if stats.empty_image_urls:
        click.echo(f"warning: {stats.empty_image_urls} releases came with empty image URLs (no valid token?)", err=True)
    _summary(out)


@collect.command("folder")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@OUT
@friendly_errors
def folder(path: Path, out: Path) -> None:
    """Your own logo and cover images.

    Laid out as PATH/<Band>/logo.png and PATH/<Band>/[<Year> - ]<Album>.jpg, or described by PATH/catalog.csv.
    """
    from knowyourband.collect.folder import collect as run

    run(path, out)
    _summary(out)
