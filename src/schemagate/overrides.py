"""Project decisions applied to the gate's findings: severities, accepted changes, labels.

The diff engine decides what breaks; this module decides what the project does about
it. A severity override replaces a rule's default severity; an accepted change lets
one known break pass until its expiry date; an allow label (on a pull request, say)
lowers every breaking finding to a warning for one run; `allow_new` lets schemas with
no previous version pass. Findings that are let through keep their place in the report
with the reason, so nothing disappears silently.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemagate.report.model import CheckResult, Finding, SchemaResult, Status
from schemagate.rules.catalogue import Severity, get_rule


@dataclass(frozen=True)
class AcceptedChange:
    """A known break that the project lets pass until `expires` (inclusive)."""

    rule: str
    schema: str
    pointer: str
    reason: str
    expires: datetime.date

    def names(self, schema: SchemaResult) -> bool:
        """Tell whether the entry is about `schema`, by registry name or file stem."""
        return self.schema in (schema.name, _stem(schema.path))

    def matches(self, schema: SchemaResult, finding: Finding) -> bool:
        if finding.rule != self.rule or not self.names(schema):
            return False
        wanted = _normal(self.pointer)
        return wanted in (_normal(finding.new_pointer), _normal(finding.old_pointer))


@dataclass(frozen=True)
class Overrides:
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    accepted: tuple[AcceptedChange, ...] = ()
    allow_new: bool = False
    # Why breaking findings become warnings in this run, such as a pull request label.
    allow_breaking: str | None = None
    today: datetime.date = field(default_factory=datetime.date.today)


def apply_overrides(result: CheckResult, overrides: Overrides) -> CheckResult:
    """Return `result` with the project's overrides applied and each status recomputed."""
    schemas = [_apply_one(schema, overrides) for schema in result.schemas]
    return dataclasses.replace(
        result,
        schemas=schemas,
        fail_on=overrides.fail_on,
        allowed_breaking=overrides.allow_breaking,
    )


def _apply_one(schema: SchemaResult, overrides: Overrides) -> SchemaResult:
    if schema.status is Status.UNREGISTERED:
        return _new_schema(schema, overrides)
    findings = [_adjust(schema, finding, overrides) for finding in schema.findings]
    findings.extend(_expired(schema, overrides))
    status = schema.status
    if status in (Status.COMPATIBLE, Status.BREAKING):
        blocked = any(f.blocks(overrides.fail_on) for f in findings)
        status = Status.BREAKING if blocked else Status.COMPATIBLE
    elif any(f.blocks(overrides.fail_on) for f in findings):
        status = Status.BREAKING
    if status is not Status.BREAKING:
        # The advice to publish a breaking change as a new event type is moot once
        # every break is accepted.
        findings = [f for f in findings if f.rule != "event-type-next-version"]
    return dataclasses.replace(schema, status=status, findings=findings)


def _new_schema(schema: SchemaResult, overrides: Overrides) -> SchemaResult:
    """Let a schema with no previous version pass when new schemas are allowed.

    A severity override of `schema-unregistered` below the fail threshold allows
    them too. The allow label does not: it is about breaks, and a new schema has none.
    """
    if overrides.allow_new:
        findings = [
            dataclasses.replace(f, severity=Severity.INFO, accepted="new schemas are allowed")
            for f in schema.findings
        ]
        return dataclasses.replace(schema, status=Status.NEW, findings=findings)
    findings = [
        dataclasses.replace(f, severity=severity_of(f, overrides.severity))
        for f in schema.findings
    ]
    blocked = any(f.blocks(overrides.fail_on) for f in findings)
    return dataclasses.replace(
        schema, status=Status.UNREGISTERED if blocked else Status.NEW, findings=findings
    )


def _adjust(schema: SchemaResult, finding: Finding, overrides: Overrides) -> Finding:
    severity = severity_of(finding, overrides.severity)
    accepted = finding.accepted
    for entry in overrides.accepted:
        if entry.expires >= overrides.today and entry.matches(schema, finding):
            accepted = f"{entry.reason}, until {entry.expires.isoformat()}"
            severity = max(severity, Severity.WARNING, key=lambda s: s.rank)
            break
    if accepted is None and overrides.allow_breaking and severity is Severity.ERROR:
        severity = Severity.WARNING
        accepted = overrides.allow_breaking
    return dataclasses.replace(finding, severity=severity, accepted=accepted)


def severity_of(finding: Finding, table: Mapping[str, Severity]) -> Severity:
    """Apply a severity override, except to breaks the mode does not check.

    The engine reports a break outside the mode's directions at info; an override
    of the rule's severity must not raise it back.
    """
    override = table.get(finding.rule)
    if override is None:
        return finding.severity
    ungated = finding.severity is Severity.INFO and get_rule(finding.rule).severity is not (
        Severity.INFO
    )
    return finding.severity if ungated else override


def _expired(schema: SchemaResult, overrides: Overrides) -> list[Finding]:
    """Report this schema's expired entries whose break is still found, and its unused ones.

    An expired entry whose break is still found fails the gate, at the configured
    severity of `accepted-change-expired`. An entry that matches nothing, expired or
    not, is reported at info as `accepted-change-unused`.
    """
    # NOTE: an expired entry fails only a run that checks its schema, so a run over
    # other files (a pre-commit hook, say) does not report it.
    findings = []
    for entry in overrides.accepted:
        if not entry.names(schema):
            continue
        pointer = "#" + _normal(entry.pointer)
        where = _normal(entry.pointer) or "/"
        expired = entry.expires < overrides.today
        if any(entry.matches(schema, finding) for finding in schema.findings):
            if not expired:
                continue
            rule = "accepted-change-expired"
            message = (
                f"the accepted change for {entry.rule} at {where} expired on "
                f"{entry.expires.isoformat()}; fix the break or extend the entry ({entry.reason})"
            )
        else:
            rule = "accepted-change-unused"
            message = (
                f"the accepted change for {entry.rule} at {where} (until "
                f"{entry.expires.isoformat()}) matches no finding; correct its rule or pointer, "
                "or remove it"
            )
        severity = overrides.severity.get(rule, get_rule(rule).severity)
        findings.append(Finding(rule, severity, frozenset(), None, pointer, message))
    return findings


def _normal(pointer: str | None) -> str:
    if pointer is None:
        return "\0none"
    return pointer[1:] if pointer.startswith("#") else pointer


def _stem(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]
