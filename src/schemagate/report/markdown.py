"""Markdown for job summaries and pull request comments: one table per schema."""

from __future__ import annotations

import html
import json
import re

from schemagate.report.common import diff_as_check, verdict
from schemagate.report.model import CheckResult, DiffResult, Finding, SchemaResult

# A hidden line that marks schemagate's own pull request comment, so it can be updated.
COMMENT_MARKER = "<!-- schemagate-report -->"

_ICONS = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}


def render_check(result: CheckResult, color: bool = False) -> str:
    icon = ":white_check_mark:" if result.ok else ":no_entry:"
    lines = [f"## {icon} schemagate: {verdict(result)}", ""]
    details = f"Mode `{result.mode.value}`, {result.policy.value} policy"
    if result.registry:
        details += f", compared with `{result.registry}`"
    lines += [details + ".", ""]
    if result.allowed_breaking:
        lines += [
            f"> [!WARNING]\n> Breaking findings were lowered to warnings: "
            f"{_inline(result.allowed_breaking)}.",
            "",
        ]
    for schema in result.schemas:
        lines.extend(_schema_section(schema))
    return "\n".join(lines)


def render_diff(result: DiffResult, source: str, color: bool = False) -> str:
    return render_check(diff_as_check(result, source), color)


def _schema_section(schema: SchemaResult) -> list[str]:
    version = (
        f", registered version {schema.registered_version}" if schema.registered_version else ""
    )
    lines = [f"### {schema.name}: {schema.status.value}", "", f"`{schema.path}`{version}", ""]
    if not schema.findings:
        return [*lines, "No findings.", ""]
    lines += [
        "| | Finding | Rule | Pointer | Witness event |",
        "|---|---|---|---|---|",
    ]
    lines += [_row(finding) for finding in schema.findings]
    return [*lines, ""]


def _row(finding: Finding) -> str:
    message = _cell(_text(finding.message))
    if finding.accepted:
        message += f" (accepted: {_cell(_text(finding.accepted))})"
    cells = [
        _ICONS[finding.severity.value],
        message,
        f"`{finding.rule}`",
        _cell(_code_span(finding.pointer or "/")),
        _witnesses(finding),
    ]
    return "| " + " | ".join(cells) + " |"


def _witnesses(finding: Finding) -> str:
    parts = []
    for witness in finding.witnesses:
        event = json.dumps(witness.instance, ensure_ascii=False, sort_keys=True)
        event = html.escape(event, quote=False)
        parts.append(
            f"<details><summary>{witness.direction}</summary><code>{_cell(event)}</code></details>"
        )
    return "".join(parts)


def _text(text: str) -> str:
    """Escape HTML and backticks, which messages quote from schemas (enum values, names)."""
    return html.escape(text, quote=False).replace("`", "&#96;")


def _code_span(text: str) -> str:
    """Wrap text in a code span whose fence is longer than any backtick run inside it.

    Markdown renders a code span's content literally, so HTML in it is not interpreted.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _cell(text: str) -> str:
    """Keep text inside one table cell: escape pipes and join lines."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _inline(text: str) -> str:
    return text.replace("\n", " ")
