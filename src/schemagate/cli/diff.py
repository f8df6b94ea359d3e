"""The `schemagate diff` command."""

from __future__ import annotations

import click


@click.command(name="diff")
def command() -> None:
    """Not built yet."""
    raise click.UsageError("schemagate diff is not available in this build")
