"""Turn the library's expected errors into clean CLI messages instead of tracebacks."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from knowyourband.errors import KybError


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a command so a `KybError` prints its message and exits with status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KybError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper
