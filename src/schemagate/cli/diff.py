"""`schemagate diff OLD NEW`: compare two schema files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from schemagate.cli.options import (
    config_option,
    gate_options,
    resolve_mode,
    resolve_policy,
    use_color,
)
from schemagate.config import load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK


@click.command(name="diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@gate_options
@config_option
def command(
    old: Path,
    new: Path,
    mode_name: str | None,
    strict: bool | None,
    output_format: str,
    outputs: tuple[str, ...],
    config_path: Path | None,
) -> int:
    """Tell whether NEW is compatible with OLD under a mode.

    Exits 0 when compatible, 1 when a break is found, 2 on invalid input.
    """
    from schemagate.cli.outputs import check_spares_inputs, parse_outputs, write_outputs
    from schemagate.diff.engine import diff_documents, result_of
    from schemagate.load import load_file
    from schemagate.overrides import severity_of
    from schemagate.report.render import get_reporter
    from schemagate.rules.routing import routing_changes

    reporter = get_reporter(output_format)
    extra_outputs = parse_outputs(outputs)
    settings = load_settings(config_path)
    check_spares_inputs(extra_outputs, [old, new], settings)
    mode = resolve_mode(mode_name, settings.mode)
    policy = resolve_policy(strict, settings.policy)
    old_document = load_file(old)
    new_document = load_file(new)
    result = diff_documents(old_document, new_document, mode, policy)
    routing = routing_changes(old_document, new_document, mode)
    if routing or settings.severity:
        # The settings' severity table applies here as it does in `check`.
        findings = [
            dataclasses.replace(f, severity=severity_of(f, settings.severity))
            for f in [*result.findings, *routing]
        ]
        result = result_of(findings, mode, policy)
    click.echo(reporter.diff(result, str(new), use_color()), nl=False)
    write_outputs(extra_outputs, lambda extra: extra.diff(result, str(new), False))
    return EXIT_OK if result.compatible else EXIT_GATE_FAILED
