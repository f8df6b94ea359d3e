"""`schemagate lint [PATHS]`: check event schemas against the project's schema conventions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from schemagate.cli.options import config_option, use_color
from schemagate.config import load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@config_option
def command(paths: tuple[Path, ...], output_format: str, config_path: Path | None) -> int:
    """Lint event schemas (default: the configured schemas folder).

    Rules: idempotency-key-missing, idempotency-key-optional, event-source-missing,
    event-detail-type-missing, detail-empty, property-name-style and unknown-keyword.
    Configure them under [tool.schemagate.lint] and their severities under
    [tool.schemagate.severity].
    Exits 1 when a finding is at or above the fail-on severity (default: error).
    """
    from schemagate.gate import discover
    from schemagate.lint.rules import lint_document
    from schemagate.lint.settings import lint_settings
    from schemagate.load.document import load_file
    from schemagate.report.model import Finding

    settings = load_settings(config_path)
    lint = lint_settings(settings.lint, f"{settings.source or 'settings'}: lint")
    files = discover(list(paths) or [settings.schemas_path])
    if not files:
        raise InputError(
            "no schema files (.json, .yaml, .yml) in "
            f"{', '.join(map(str, paths or (settings.schemas_path,)))}"
        )
    results: list[tuple[str, list[Finding]]] = []
    for path in files:
        findings = lint_document(load_file(path), lint, settings.severity)
        results.append((_shown(path), findings))
    failed = any(f.blocks(settings.fail_on) for _, findings in results for f in findings)
    if output_format == "json":
        click.echo(json.dumps(_json(results, not failed), indent=2, sort_keys=True))
    else:
        click.echo(_text(results, not failed), nl=False)
    return EXIT_GATE_FAILED if failed else EXIT_OK


def _json(results: list[tuple[str, list[Any]]], ok: bool) -> dict[str, Any]:
    from schemagate.report.model import FORMAT_VERSION

    return {
        "format_version": FORMAT_VERSION,
        "ok": ok,
        "files": [
            {"path": path, "findings": [f.to_json() for f in findings]}
            for path, findings in results
        ],
    }


def _text(results: list[tuple[str, list[Any]]], ok: bool) -> str:
    from schemagate.report.common import finding_line
    from schemagate.report.text import render_finding

    color = use_color()
    lines = []
    for path, findings in results:
        # In file order, so the lines read top to bottom like an editor's problem list.
        ordered = sorted(findings, key=lambda f: (finding_line(f, path) or 0, f.pointer))
        for finding in ordered:
            lines.extend(render_finding(finding, path, color))
    count = sum(len(findings) for _, findings in results)
    verdict = "lint passed" if ok else "lint FAILED"
    lines.append(f"{verdict}: {count} finding(s) in {len(results)} file(s)")
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    """Show a path relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
