"""GitHub Actions workflow commands: one annotation per finding, at its line in the file.

Info findings get no annotation, because GitHub shows only the first few annotations of
each kind per step and info findings never fail the gate.
"""

from __future__ import annotations

from schemagate.report.common import diff_as_check, finding_line, verdict, witness_lines
from schemagate.report.model import CheckResult, DiffResult, Finding
from schemagate.rules.catalogue import Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def render_check(result: CheckResult, color: bool = False) -> str:
    lines = []
    for schema in result.schemas:
        for finding in schema.findings:
            annotation = annotate(finding, schema.path)
            if annotation is not None:
                lines.append(annotation)
        count = len(schema.findings)
        noun = "finding" if count == 1 else "findings"
        lines.append(f"{schema.name}: {schema.status.value} ({count} {noun})")
    if result.allowed_breaking:
        lines.append(f"breaking findings lowered to warnings: {result.allowed_breaking}")
    lines.append(verdict(result))
    return "\n".join(lines) + "\n"


def render_diff(result: DiffResult, source: str, color: bool = False) -> str:
    return render_check(diff_as_check(result, source), color)


def annotate(finding: Finding, path: str) -> str | None:
    """Return the `::error ...::` command for a finding, or None for info findings."""
    command = _COMMANDS.get(finding.severity)
    if command is None:
        return None
    properties = {"file": path}
    line = finding_line(finding, path)
    if line is not None:
        properties["line"] = str(line)
    properties["title"] = f"schemagate {finding.rule}"
    message = f"{finding.pointer or '/'}: {finding.message}"
    if finding.accepted:
        message += f" (accepted: {finding.accepted})"
    message = "\n".join([message, *witness_lines(finding)])
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{command} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
