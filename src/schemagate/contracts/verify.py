"""The consumer side: check a contract against the registered schemas it reads."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from schemagate.contracts.locate import is_envelope_field, is_wildcard, locate, selector_matches
from schemagate.contracts.model import Contract, ContractField, EventNeeds
from schemagate.contracts.review import accepted_types, outside
from schemagate.contracts.store import is_contract_name
from schemagate.diff.engine import Side
from schemagate.load.document import SchemaDocument, load_text
from schemagate.modes import Policy
from schemagate.registry.base import Registry
from schemagate.report.model import FORMAT_VERSION, Finding
from schemagate.rules.catalogue import Severity, get_rule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifiedVersion:
    """The findings for one contract entry against one registered schema version."""

    selector: str
    schema: str | None
    version: str | None
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "selector": self.selector,
            "schema": self.schema,
            "version": self.version,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Verification:
    consumer: str
    registry: str
    results: list[VerifiedVersion]

    @property
    def ok(self) -> bool:
        return not any(
            f.severity is not Severity.INFO for result in self.results for f in result.findings
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "ok": self.ok,
            "consumer": self.consumer,
            "registry": self.registry,
            "results": [r.to_json() for r in self.results],
        }


class _Schemas:
    """Registered event schemas, loaded once each."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._names: list[str] | None = None
        self._latest: dict[str, SchemaDocument | None] = {}

    def names(self) -> list[str]:
        if self._names is None:
            summaries = self.registry.list_schemas()
            self._names = [s.name for s in summaries if not is_contract_name(s.name)]
        return self._names

    def document(self, name: str, version: str | None = None) -> SchemaDocument | None:
        if version is None and name in self._latest:
            return self._latest[name]
        found = self.registry.get_version(name, version)
        document = None
        if found is not None:
            document = load_text(found.content, f"{self.registry.uri} {name}@{found.version}")
        if version is None:
            self._latest[name] = document
        return document

    def matching(self, selector: str) -> list[str]:
        if selector in self.names():
            return [selector]
        return [n for n in self.names() if selector_matches(selector, n, self.document(n))]


def verify_contract(contract: Contract, registry: Registry, all_versions: bool) -> Verification:
    """Check every field of `contract` against the latest (or every) registered version."""
    schemas = _Schemas(registry)
    results = []
    for needs in contract.events:
        names = schemas.matching(needs.selector)
        if not names:
            results.append(_unknown_event(contract, needs, registry))
            continue
        documents = []
        for name in names:
            versions = registry.list_versions(name) if all_versions else [None]
            for version in versions:
                document = schemas.document(name, version)
                if document is not None:
                    documents.append((name, version or _version_of(document), document))
        # A `*` or `SOURCE@*` entry reads fields that only some event types declare:
        # only a field that none of them declares is unknown.
        declared = _declared_anywhere(needs, [d for _, _, d in documents])
        for name, version, document in documents:
            findings = field_findings(contract, needs.fields, document, declared)
            results.append(VerifiedVersion(needs.selector, name, version, findings))
    return Verification(contract.consumer, registry.uri, results)


def _declared_anywhere(needs: EventNeeds, documents: list[SchemaDocument]) -> frozenset[Any]:
    """Return the paths of a wildcard entry's fields that some document declares."""
    if not is_wildcard(needs.selector):
        return frozenset()
    sides = [Side.of(document, Policy.TOLERANT) for document in documents]
    return frozenset(
        item.path
        for item in needs.fields
        if any(locate(side, item.path) is not None for side in sides)
    )


def _version_of(document: SchemaDocument) -> str | None:
    return document.source.rpartition("@")[2] or None


def _unknown_event(contract: Contract, needs: EventNeeds, registry: Registry) -> VerifiedVersion:
    rule = get_rule("contract-event-unknown")
    message = (
        f"consumer {contract.consumer!r} reads event type {needs.selector!r}, but no schema "
        f"in {registry.uri} matches it by name, detail-type or source@detail-type"
    )
    finding = Finding(rule.id, rule.severity, frozenset(), None, None, message)
    return VerifiedVersion(needs.selector, None, None, [finding])


def field_findings(
    contract: Contract,
    fields: tuple[ContractField, ...],
    document: SchemaDocument,
    declared_elsewhere: frozenset[Any] = frozenset(),
) -> list[Finding]:
    """Report fields the document does not declare, or declares with other types.

    Fields in `declared_elsewhere` (paths) are not reported when the document lacks them.
    """
    side = Side.of(document, Policy.TOLERANT)
    findings = []
    for item in fields:
        if is_envelope_field(item.path):
            continue
        info = locate(side, item.path)
        pointer = item.path.pointer
        if info is None and item.path in declared_elsewhere:
            continue
        if info is None:
            rule = get_rule("contract-field-unknown")
            message = (
                f"consumer {contract.consumer!r} reads field {pointer}, which "
                f"{document.source} does not declare"
            )
            findings.append(
                Finding(rule.id, rule.severity, frozenset(), None, None, message, (), ())
            )
            continue
        other = outside(info.types, accepted_types(item.types))
        if other:
            rule = get_rule("contract-field-type-mismatch")
            allowed = "only" if other == info.types else "also"
            message = (
                f"consumer {contract.consumer!r} reads field {pointer} as "
                f"{_types(item.types)}, but the schema {allowed} allows {_types(other)} there"
            )
            findings.append(
                Finding(rule.id, rule.severity, frozenset(), None, info.pointer, message)
            )
    return findings


def _types(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " or ".join(sorted(types))
