"""The `schemagate emulator` command."""

from __future__ import annotations

import click


@click.command(name="emulator")
def command() -> None:
    """Not built yet."""
    raise click.UsageError("schemagate emulator is not available in this build")
