"""Helpers shared by reporters: locations, witness text, and diff results seen as checks."""

from __future__ import annotations

import json
from pathlib import Path

from schemagate.load.positions import locate
from schemagate.report.model import CheckResult, DiffResult, Finding, SchemaResult, Status

# Witness events longer than this are cut in one-line renderings.
MAX_WITNESS_CHARS = 400


def finding_line(finding: Finding, path: str) -> int | None:
    """Return the line of a finding in the local schema file at `path`, if known."""
    if finding.new_pointer is None and finding.old_pointer is None:
        return None
    return locate(path, finding.new_pointer or finding.old_pointer, finding.rule)


def witness_text(instance: object, limit: int | None = MAX_WITNESS_CHARS) -> str:
    """Render a witness event as one line of JSON, cut at `limit` characters."""
    text = json.dumps(instance, ensure_ascii=False, sort_keys=True)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def witness_lines(finding: Finding) -> list[str]:
    """Describe each witness of `finding` on one line: which reader rejects which event."""
    lines = []
    for witness in finding.witnesses:
        event = witness_text(witness.instance)
        if finding.rule.startswith("contract-"):
            lines.append(
                f"witness valid under the new schema that the consumer cannot read: {event}"
            )
            continue
        reader = "new" if witness.direction == "backward" else "old"
        lines.append(f"{witness.direction} witness, rejected by the {reader} schema: {event}")
    return lines


def diff_as_check(result: DiffResult, source: str) -> CheckResult:
    """View a diff of two files as a check of one schema, for reporters built on checks."""
    status = Status.COMPATIBLE if result.compatible else Status.BREAKING
    schema = SchemaResult(Path(source).stem, source, status, None, list(result.findings))
    return CheckResult(registry="", mode=result.mode, policy=result.policy, schemas=[schema])


def verdict(result: CheckResult) -> str:
    """Return the one-line verdict: passed, or failed with the number of blocked schemas."""
    if result.ok:
        return "gate passed"
    failed = sum(1 for s in result.schemas if not s.ok)
    return f"gate FAILED: {failed} schema(s) blocked"
