"""The `schemagate check` command."""

from __future__ import annotations

import click


@click.command(name="check")
def command() -> None:
    """Not built yet."""
    raise click.UsageError("schemagate check is not available in this build")
