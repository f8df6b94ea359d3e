"""A progress bar for long registry reads, and the options that tune those reads."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

# Fewer reads than this finish before a bar would be worth drawing.
PROGRESS_MIN_VERSIONS = 20


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield a function that advances a bar on standard error by N steps.

    The bar is drawn only when standard error is a terminal and `total` reaches
    PROGRESS_MIN_VERSIONS, so CI logs and pipes stay free of it.
    """
    if total < PROGRESS_MIN_VERSIONS or not sys.stderr.isatty():
        yield lambda steps: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def registry_read_options(function: F) -> F:
    """Add --jobs and --cache-dir, which tune reads from an EventBridge registry."""
    function = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=(
            "Folder that caches registered versions, which never change "
            "(default: $SCHEMAGATE_CACHE_DIR, else the platform cache folder)."
        ),
    )(function)
    function = click.option(
        "--jobs",
        type=click.IntRange(1, 64),
        default=8,
        show_default=True,
        help="Registry requests to run at once.",
    )(function)
    return function
