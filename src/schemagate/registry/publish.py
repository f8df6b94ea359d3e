"""Register local schemas after the gate passes, and never over another writer's version.

First every local schema is gated against the latest registered version, and nothing is
written when any schema fails. Then, for each schema whose content changed, a fresh
DescribeSchema call reads the latest version again right before the write. A version
the gate did not see means another writer published in between, so that schema and
every later one is left alone and the conflict is reported.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from schemagate.errors import ConflictError, InputError
from schemagate.gate import check_schemas
from schemagate.load.document import SchemaDocument, load_file
from schemagate.modes import Mode, Policy
from schemagate.overrides import Overrides, apply_overrides
from schemagate.registry.base import SchemaVersion, WritableRegistry
from schemagate.report.model import CheckResult, SchemaResult, Status
from schemagate.rules.catalogue import Severity

logger = logging.getLogger(__name__)

# The registry rejects content longer than this many characters.
MAX_CONTENT_CHARS = 100_000
UNREGISTERED_RULE = "schema-unregistered"

Review = Callable[..., CheckResult]


class PublishTarget(WritableRegistry, Protocol):
    """A writable registry that can also read the latest version bypassing any cache."""

    def latest_now(self, name: str) -> SchemaVersion | None: ...


@dataclass(frozen=True)
class Write:
    """One version to register: a new schema, or a new version of an existing one."""

    name: str
    path: str
    schema_type: str
    content: str
    checked_version: str | None
    version: str | None = None

    @property
    def action(self) -> str:
        return "create-schema" if self.checked_version is None else "create-version"

    def to_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "path": self.path,
            "action": self.action,
            "type": self.schema_type,
            "version": self.version,
            "checked_version": self.checked_version,
        }


@dataclass
class PublishResult:
    """Outcome of a publish: the gate result, the versions created or planned, any conflict."""

    registry: str
    dry_run: bool
    gate: CheckResult
    planned: list[Write] = field(default_factory=list)
    created: list[Write] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflict: ConflictError | None = None

    @property
    def gate_passed(self) -> bool:
        return not blocking_results(self.gate)

    def to_json(self) -> dict[str, object]:
        return {
            "format_version": 1,
            "registry": self.registry,
            "dry_run": self.dry_run,
            "gate_passed": self.gate_passed,
            "created": [write.to_json() for write in self.created],
            "would_create": [write.to_json() for write in self.planned] if self.dry_run else [],
            "unchanged": self.unchanged,
            "conflict": None if self.conflict is None else str(self.conflict),
            "gate": self.gate.to_json(),
        }


def blocking_results(result: CheckResult) -> list[SchemaResult]:
    """Return the schemas that stop a publish: every failure except being unregistered."""
    blocking = []
    for schema in result.schemas:
        if schema.status is Status.UNREGISTERED:
            errors = [f for f in schema.findings if f.severity.value == "error"]
            if any(finding.rule != UNREGISTERED_RULE for finding in errors):
                blocking.append(schema)
        elif not schema.ok:
            blocking.append(schema)
    return blocking


def publish(
    files: list[Path],
    registry: PublishTarget,
    mode: Mode,
    policy: Policy,
    names: dict[str, str] | None = None,
    base: Path | None = None,
    since: timedelta | None = None,
    review: Review | None = None,
    dry_run: bool = False,
    overrides: Overrides | None = None,
) -> PublishResult:
    """Gate `files`, then register each changed one unless the gate failed or `dry_run`.

    `overrides` (the settings' severities and accepted changes, an allow reason) apply
    to the gate as they do in `check`, so a break `check` let pass can be registered.
    """
    gate = check_schemas(files, registry, mode, policy, names, base, review=review, since=since)
    if overrides is not None:
        gate = apply_overrides(gate, overrides)
    result = PublishResult(registry.uri, dry_run, _mark_new_schemas(gate))
    if not result.gate_passed:
        return result
    documents = {schema.path: schema for schema in gate.schemas}
    for path in files:
        schema = _result_for(documents, path)
        if schema is None:
            continue
        if schema.status is Status.UNCHANGED:
            result.unchanged.append(schema.name)
            continue
        result.planned.append(_plan(schema, load_file(path)))
    if dry_run:
        return result
    for write in result.planned:
        try:
            created = _write(registry, write)
        except ConflictError as conflict:
            result.conflict = conflict
            break
        if created is None:
            result.unchanged.append(write.name)
        else:
            result.created.append(created)
    return result


def _mark_new_schemas(gate: CheckResult) -> CheckResult:
    """Mark unregistered schemas that publish would create as new, as `check --allow-new` does.

    A schema stays unregistered when it has another error, such as a contract it breaks.
    """
    blocked = {id(schema) for schema in blocking_results(gate)}
    schemas = []
    for schema in gate.schemas:
        if schema.status is Status.UNREGISTERED and id(schema) not in blocked:
            findings = [
                dataclasses.replace(
                    finding, severity=Severity.INFO, accepted="publish creates new schemas"
                )
                if finding.rule == UNREGISTERED_RULE
                else finding
                for finding in schema.findings
            ]
            schema = dataclasses.replace(schema, status=Status.NEW, findings=findings)
        schemas.append(schema)
    return dataclasses.replace(gate, schemas=schemas)


def _result_for(documents: dict[str, SchemaResult], path: Path) -> SchemaResult | None:
    for shown, schema in documents.items():
        if Path(shown).resolve() == path.resolve():
            return schema
    return None


def _plan(schema: SchemaResult, document: SchemaDocument) -> Write:
    content = registered_content(document)
    return Write(
        name=schema.name,
        path=schema.path,
        schema_type=document.kind.value,
        content=content,
        checked_version=schema.registered_version,
    )


def registered_content(document: SchemaDocument) -> str:
    """Serialise a local document as the JSON text to register, keeping its key order.

    YAML files are converted. The text is indented when that fits the registry's limit,
    and compact otherwise, so any document the loader accepts in compact JSON fits.
    Raises InputError when even the compact text exceeds the limit.
    """
    content = json.dumps(document.data, indent=2, ensure_ascii=False) + "\n"
    if len(content) > MAX_CONTENT_CHARS:
        content = json.dumps(document.data, separators=(",", ":"), ensure_ascii=False)
    if len(content) > MAX_CONTENT_CHARS:
        raise InputError(
            f"{document.source}: serialised as JSON the schema has {len(content):,} "
            f"characters, over the registry's limit of {MAX_CONTENT_CHARS:,}; split it"
        )
    return content


def _write(registry: PublishTarget, write: Write) -> Write | None:
    """Register one version after re-reading the latest; None when it is already there."""
    current = registry.latest_now(write.name)
    current_version = None if current is None else current.version
    if current is not None and _same_content(current.content, write.content):
        logger.info(
            "%s: %s already has this content as version %s",
            registry.uri,
            write.name,
            current.version,
        )
        return None
    operation = "CreateSchema" if write.checked_version is None else "UpdateSchema"
    if current_version != write.checked_version:
        raise ConflictError(
            registry.uri,
            operation,
            f"schema {write.name!r} is at version {current_version or 'none'} but the gate "
            f"checked {write.checked_version or 'no version'}; another writer published in "
            "between, so nothing was written for it. Run publish again to gate the new version",
        )
    if write.checked_version is None:
        created = registry.create_schema(write.name, write.schema_type, write.content)
    else:
        created = registry.update_schema(write.name, write.schema_type, write.content)
    logger.info("%s: registered %s version %s", registry.uri, write.name, created.version)
    return Write(
        write.name,
        write.path,
        write.schema_type,
        write.content,
        write.checked_version,
        created.version,
    )


def _same_content(registered: str, local: str) -> bool:
    try:
        return bool(json.loads(registered) == json.loads(local))
    except json.JSONDecodeError:
        return registered == local
