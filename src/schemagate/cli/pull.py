"""The `schemagate pull` command."""

from __future__ import annotations

import click


@click.command(name="pull")
def command() -> None:
    """Not built yet."""
    raise click.UsageError("schemagate pull is not available in this build")
