"""The `kyb` command: a thin Click front over the library, one module per command."""

from __future__ import annotations

import importlib
import importlib.util
import logging

import click

# Each sub-command lives in its own module and is imported only when used, so
# `kyb --help` stays fast and a command's heavy imports never slow another one.
COMMANDS = {
    "synth": ("knowyourband.cli.synth", "synth", "Generate the fictional KYB-Synth catalogue and photos."),
    "index": ("knowyourband.cli.index", "index", "Build or grow a search index."),
    "recognize": ("knowyourband.cli.recognize", "recognize", "Recognise logos and covers in photos."),
    "eval": ("knowyourband.cli.eval", "eval_cmd", "Score a recognizer on a benchmark folder."),
    "trace": ("knowyourband.cli.trace", "trace", "Show where each benchmark object was lost in the engine."),
    "calibrate": ("knowyourband.cli.calibrate", "calibrate", "Fit the engine's score and threshold on a benchmark."),
    "serve": ("knowyourband.cli.serve", "serve", "Run the web service and mobile client."),
    "collect": ("knowyourband.cli.collect", "collect", "Collect a catalogue from Metal Archives, Discogs or a folder."),
    "train": ("knowyourband.cli.train", "train", "Train the learned album/logo detector."),
    "demo": ("knowyourband.cli.demo", "demo", "Everything on a built-in fictional catalogue, offline."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _, _) in COMMANDS.items() if _available(module))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup)
@click.version_option(package_name="knowyourband")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Know Your Band: find every band logo and album cover in a photo."""
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
