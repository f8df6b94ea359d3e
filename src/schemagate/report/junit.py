"""JUnit XML for CI test views: one test case per schema, failed when the gate blocks it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from schemagate.report.common import diff_as_check, finding_line, witness_text
from schemagate.report.model import CheckResult, DiffResult, Finding, SchemaResult


def render_check(result: CheckResult, color: bool = False) -> str:
    failures = sum(1 for s in result.schemas if not s.ok)
    suite = ET.Element(
        "testsuite",
        name="schemagate",
        tests=str(len(result.schemas)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for schema in result.schemas:
        suite.append(_case(schema))
    root = ET.Element("testsuites", name="schemagate", tests=str(len(result.schemas)))
    root.set("failures", str(failures))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render_diff(result: DiffResult, source: str, color: bool = False) -> str:
    return render_check(diff_as_check(result, source), color)


def _case(schema: SchemaResult) -> ET.Element:
    case = ET.Element("testcase", classname="schemagate", name=schema.name, file=schema.path)
    body = "\n".join(_finding_line(f, schema.path) for f in schema.findings)
    if not schema.ok:
        failure = ET.SubElement(
            case, "failure", message=f"{schema.name}: {schema.status.value}", type=schema.status
        )
        failure.text = body
    elif body:
        ET.SubElement(case, "system-out").text = body
    return case


def _finding_line(finding: Finding, path: str) -> str:
    line = finding_line(finding, path)
    where = f"{path}:{line}" if line is not None else path
    text = f"{where}: {finding.pointer or '/'}: {finding.severity.value}: {finding.message}"
    text += f" [{finding.rule}]"
    if finding.accepted:
        text += f" (accepted: {finding.accepted})"
    for witness in finding.witnesses:
        text += f"\n    {witness.direction} witness: {witness_text(witness.instance)}"
    return text
