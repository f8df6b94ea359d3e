"""`schemagate rules`: list the compatibility rules with their IDs and severities."""

from __future__ import annotations

import json

import click

from schemagate.errors import EXIT_OK


@click.command(name="rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(output_format: str) -> int:
    """List every compatibility rule: ID, default severity, description, why, fix."""
    from schemagate.rules.catalogue import RULES

    rules = sorted(RULES.values(), key=lambda rule: rule.id)
    if output_format == "json":
        rows = [
            {
                "id": rule.id,
                "severity": rule.severity.value,
                "description": rule.description,
                "why": rule.why,
                "fix": rule.fix,
            }
            for rule in rules
        ]
        click.echo(json.dumps({"format_version": 1, "rules": rows}, indent=2))
        return EXIT_OK
    width = max(len(rule.id) for rule in rules)
    for rule in rules:
        click.echo(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.description}")
        click.echo(f"{'':<{width}}  {'':<7}  why: {rule.why}")
        click.echo(f"{'':<{width}}  {'':<7}  fix: {rule.fix}")
    return EXIT_OK
