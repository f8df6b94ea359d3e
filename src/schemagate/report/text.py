"""Plain text output for terminals and CI logs: `file: pointer: message [rule]`."""

from __future__ import annotations

import json

import click

from schemagate.report.model import CheckResult, DiffResult, Finding, SchemaResult, Status
from schemagate.rules.catalogue import Severity

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _label(severity: Severity, color: bool) -> str:
    name = severity.value
    return click.style(name, fg=_COLORS[severity], bold=True) if color else name


def render_finding(finding: Finding, source: str, color: bool) -> list[str]:
    pointer = finding.new_pointer or finding.old_pointer or "#"
    breaks = f" (breaks {', '.join(sorted(finding.breaks))})" if finding.breaks else ""
    lines = [
        f"{source}: {pointer[1:] or '/'}: {_label(finding.severity, color)}: "
        f"{finding.message}{breaks} [{finding.rule}]"
    ]
    for witness in finding.witnesses:
        event = json.dumps(witness.instance, ensure_ascii=False, sort_keys=True)
        if len(event) > 400:
            event = event[:397] + "..."
        if finding.rule.startswith("contract-"):
            lines.append(
                f"    witness valid under the new schema that the consumer cannot read: {event}"
            )
            continue
        reader = "new" if witness.direction == "backward" else "old"
        lines.append(f"    {witness.direction} witness, rejected by the {reader} schema: {event}")
    return lines


def render_diff(result: DiffResult, source: str, color: bool) -> str:
    lines: list[str] = []
    for finding in result.findings:
        lines.extend(render_finding(finding, source, color))
    verdict = "compatible" if result.compatible else "NOT compatible"
    lines.append(f"{verdict} under {result.mode.value} ({result.policy.value} policy)")
    return "\n".join(lines) + "\n"


def _schema_line(schema: SchemaResult, color: bool) -> str:
    status = schema.status.value
    if color:
        status = click.style(status, fg="green" if schema.ok else "red", bold=True)
    version = (
        f" (registered version {schema.registered_version})" if schema.registered_version else ""
    )
    return f"{schema.name}: {status}{version}"


def render_check(result: CheckResult, color: bool) -> str:
    lines: list[str] = []
    for schema in result.schemas:
        lines.append(_schema_line(schema, color))
        for finding in schema.findings:
            lines.extend("  " + line for line in render_finding(finding, schema.path, color))
    failed = sum(1 for s in result.schemas if not s.ok)
    counts = {status: sum(1 for s in result.schemas if s.status is status) for status in Status}
    summary = ", ".join(f"{n} {status.value}" for status, n in counts.items() if n)
    verdict = "gate passed" if result.ok else f"gate FAILED: {failed} schema(s) blocked"
    lines.append(
        f"{verdict} ({summary or 'no schemas'}; {result.mode.value}, "
        f"{result.policy.value} policy, registry {result.registry})"
    )
    return "\n".join(lines) + "\n"
