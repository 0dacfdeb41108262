"""Options several commands share."""

from __future__ import annotations

from pathlib import Path

import click

conf_file_option = click.option(
    "--conf", "conf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON settings overriding the engine's defaults (e.g. from `kyb calibrate --out`).")
