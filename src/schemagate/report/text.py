"""Plain text output for terminals and CI logs: `file:line: pointer: message [rule]`."""

from __future__ import annotations

import re

import click

from schemagate.report.common import finding_line, verdict, witness_lines
from schemagate.report.model import CheckResult, DiffResult, Finding, SchemaResult, Status
from schemagate.resolve.keywords import escape
from schemagate.rules.catalogue import Severity

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


# Characters that would end a line or steer a terminal, written as escapes instead, so
# that names and values from a schema cannot start a line of their own in a CI log.
_BREAKS = {
    **{code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)},
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    0x85: "\\x85",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def one_line(text: str) -> str:
    """Return `text` with line breaks and control characters escaped."""
    return text.translate(_BREAKS)


def _label(severity: Severity, color: bool) -> str:
    name = severity.value
    return click.style(name, fg=_COLORS[severity], bold=True) if color else name


def render_finding(finding: Finding, source: str, color: bool) -> list[str]:
    line = finding_line(finding, source)
    where = f"{source}:{line}" if line is not None else source
    breaks = f" (breaks {', '.join(sorted(finding.breaks))})" if finding.breaks else ""
    accepted = f" (accepted: {finding.accepted})" if finding.accepted else ""
    head = one_line(f"{where}: {finding.pointer or '/'}: ")
    tail = one_line(f"{finding.message}{_event_path(finding)}{breaks}{accepted}")
    lines = [f"{head}{_label(finding.severity, color)}: {tail} [{finding.rule}]"]
    lines += [f"    {one_line(line)}" for line in witness_lines(finding)]
    return lines


def _event_path(finding: Finding) -> str:
    """Name the event member when the pointer shown is not the member's own schema.

    A member that one side no longer declares is compared with what its parent object
    accepts there, so the pointer names the parent, also for the items and members
    found inside the member.
    """
    if not finding.path:
        return ""
    last = finding.path[-1]
    if isinstance(last, str):
        if finding.pointer.endswith(f"/{escape(last)}"):
            return ""
    elif _ITEM_SCHEMA.search(finding.pointer):
        return ""
    tokens = [escape(str(token)) for token in finding.path]
    return f" (at /{'/'.join(tokens)} in the event)"


# The end of a pointer to an array's item schema: `items`, or one of a tuple's.
_ITEM_SCHEMA = re.compile(r"/(?:items|prefixItems/\d+|items/\d+)$")


def render_diff(result: DiffResult, source: str, color: bool) -> str:
    lines: list[str] = []
    for finding in result.findings:
        lines.extend(render_finding(finding, source, color))
    verdict = "compatible" if result.compatible else "NOT compatible"
    lines.append(f"{verdict} under {result.mode.value} ({result.policy.value} policy)")
    return "\n".join(lines) + "\n"


def _schema_line(schema: SchemaResult, color: bool, registry: str) -> str:
    status = schema.status.value
    if color:
        status = click.style(status, fg="green" if schema.ok else "red", bold=True)
    version = ""
    if registry.startswith("git:") and schema.registered_version:
        version = f" (compared with {registry})"
    elif schema.registered_version:
        version = f" (registered version {schema.registered_version})"
    accepted = sum(1 for f in schema.findings if f.accepted and f.breaks)
    let_through = f", {accepted} accepted break(s)" if accepted and schema.ok else ""
    return f"{one_line(schema.name)}: {status}{let_through}{one_line(version)}"


def render_check(result: CheckResult, color: bool) -> str:
    lines: list[str] = []
    if result.allowed_breaking:
        lines.append(f"breaking findings lowered to warnings: {result.allowed_breaking}")
    for schema in result.schemas:
        lines.append(_schema_line(schema, color, result.registry))
        for finding in schema.findings:
            lines.extend("  " + line for line in render_finding(finding, schema.path, color))
    counts = {status: sum(1 for s in result.schemas if s.status is status) for status in Status}
    summary = ", ".join(f"{n} {status.value}" for status, n in counts.items() if n)
    lines.append(
        f"{verdict(result)} ({summary or 'no schemas'}; {result.mode.value}, "
        f"{result.policy.value} policy, registry {result.registry})"
    )
    return "\n".join(lines) + "\n"
