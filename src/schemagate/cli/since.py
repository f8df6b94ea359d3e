"""The --since option: a window such as 90d, 12h or 2w before now."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^(\d{1,6})([smhdw])$")


def parse_duration(text: str) -> timedelta:
    """Parse a positive whole number followed by one unit: s, m, h, d or w.

    Raises ValueError with a message that names the value and the expected form.
    """
    match = _DURATION.match(text.strip().lower())
    if match is None or int(match[1]) == 0:
        raise ValueError(
            f"{text!r} is not a duration; use a positive whole number and a unit "
            "(s, m, h, d or w), for example 90d, 12h or 2w"
        )
    return timedelta(seconds=int(match[1]) * UNIT_SECONDS[match[2]])


def _convert(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def since_option(function: F) -> F:
    """Add --since DURATION to a command that gates against registered versions."""
    return click.option(
        "--since",
        default=None,
        metavar="DURATION",
        callback=_convert,
        help=(
            "With a *-transitive mode, compare only with versions registered within this "
            "window before now (e.g. 90d, 12h, 2w), such as what an archive can still "
            "replay. The latest version is always compared."
        ),
    )(function)
