"""`kyb serve INDEX_DIR`: the web service and the mobile web client."""

from __future__ import annotations

from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors
from knowyourband.cli.options import conf_file_option


@click.command()
@click.argument("index_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for your LAN).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each opens the index read-only.")
@click.option("--threads", type=click.IntRange(1, 256), help="Recognition threads per process [default: one per core].")
@click.option("--max-upload-mb", type=click.FloatRange(0.01, 1024), help="Largest accepted upload [default: 25].")
@click.option("--timeout", "request_timeout_s", type=click.FloatRange(0.1, 3600),
              help="Seconds a recognition may take, queueing included [default: 30].")
@click.option("--cache-size", type=click.IntRange(0, 1_000_000), help="Recognised photos remembered [default: 256].")
@conf_file_option
@friendly_errors
def serve(index_dir: Path, host: str, port: int, workers: int, threads: int | None, max_upload_mb: float | None,
          request_timeout_s: float | None, cache_size: int | None, conf_file: Path | None) -> None:
    """Serve the API and the phone client for INDEX_DIR (open http://HOST:PORT/ on a phone)."""
    from knowyourband.web import serve as run

    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    click.echo(f"Know Your Band: http://{shown}:{port}/ (API docs at /docs); Ctrl+C stops")
    if host in ("0.0.0.0", "::"):
        click.echo(f"On a phone in the same network, open http://<this computer's address>:{port}/")
    run(
        index_dir, host=host, port=port, workers=workers, threads=threads,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024) if max_upload_mb else None,
        request_timeout_s=request_timeout_s, cache_size=cache_size,
        conf_file=str(conf_file.resolve()) if conf_file else None,
    )
