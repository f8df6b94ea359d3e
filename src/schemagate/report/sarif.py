"""SARIF 2.1.0 for GitHub code scanning: one rule entry per rule ID, results with lines."""

from __future__ import annotations

import json
from typing import Any

from schemagate import __version__
from schemagate.report.common import diff_as_check, finding_line, witness_lines
from schemagate.report.model import CheckResult, DiffResult, Finding
from schemagate.rules.catalogue import RULES, Rule, Severity

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_check(result: CheckResult, color: bool = False) -> str:
    index = {rule_id: position for position, rule_id in enumerate(RULES)}
    results = [
        _result(finding, schema.path, index)
        for schema in result.schemas
        for finding in schema.findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": _driver()},
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "repository"}}},
                "results": results,
                "properties": {
                    "mode": result.mode.value,
                    "policy": result.policy.value,
                    "registry": result.registry,
                    "ok": result.ok,
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render_diff(result: DiffResult, source: str, color: bool = False) -> str:
    return render_check(diff_as_check(result, source), color)


def _driver() -> dict[str, Any]:
    return {
        "name": "schemagate",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule) for rule in RULES.values()],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.id.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.description} {rule.why}"},
        "help": {
            "text": f"{rule.why} Fix: {rule.fix}",
            "markdown": f"{rule.why}\n\n**Fix:** {rule.fix}",
        },
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
    }


def _result(finding: Finding, path: str, index: dict[str, int]) -> dict[str, Any]:
    line = finding_line(finding, path)
    where = finding.pointer or "/"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVELS[finding.severity],
        "message": {"text": "\n".join([f"{where}: {finding.message}", *witness_lines(finding)])},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                    # Code scanning needs a region; findings without a pointer sit on line 1.
                    "region": {"startLine": line or 1},
                }
            }
        ],
        "properties": {
            "pointer": finding.pointer,
            "witnesses": [w.to_json() for w in finding.witnesses],
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.accepted:
        result["suppressions"] = [{"kind": "external", "justification": finding.accepted}]
    return result
