"""The contract stage of `schemagate check`: consumer contracts and event-type versions.

It runs after the compatibility comparison, whatever the mode and policy. It blocks a
change that breaks a field some contract reads, and blocks retiring a version that a
contract still reads. A new schema that is the next version of a registered event type
passes with status new, and a breaking change gets the next version name to publish.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

from schemagate.config import Settings
from schemagate.contracts.locate import is_wildcard, selector_matches
from schemagate.contracts.model import Contract, EventNeeds
from schemagate.contracts.review import SchemaChange, contract_findings
from schemagate.contracts.store import is_contract_name
from schemagate.contracts.versions import DEFAULT_TEMPLATE, VersionNaming
from schemagate.diff.engine import Side
from schemagate.errors import ConfigError, InputError
from schemagate.load.document import SchemaDocument, load_text
from schemagate.modes import Policy
from schemagate.registry.base import Registry
from schemagate.report.model import CheckResult, Finding, SchemaResult, Status
from schemagate.rules.catalogue import Severity, get_rule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContractReview:
    """Applies contracts and the version naming rule to a finished check result."""

    contracts: tuple[Contract, ...]
    naming: VersionNaming = field(default_factory=VersionNaming)

    def __call__(
        self, result: CheckResult, documents: dict[str, SchemaDocument], registry: Registry
    ) -> CheckResult:
        registered = {s.name for s in registry.list_schemas() if not is_contract_name(s.name)}
        reviewed = [
            self._review(schema, documents[schema.name], registry, registered, result.policy)
            if schema.name in documents
            else schema
            for schema in result.schemas
        ]
        paths = {schema.name: schema.path for schema in result.schemas}
        reviewed.extend(self._retired(documents, paths, registry, registered))
        return dataclasses.replace(result, schemas=reviewed)

    def readers(
        self, name: str, document: SchemaDocument | None, *, exact: bool = False
    ) -> list[tuple[Contract, EventNeeds]]:
        """Return each contract entry that reads this event type.

        With `exact`, entries whose selector is `*` or `SOURCE@*` do not count, because
        they read every event type rather than this one.
        """
        found = []
        for contract in self.contracts:
            for needs in contract.events:
                if exact and is_wildcard(needs.selector):
                    continue
                if selector_matches(needs.selector, name, document):
                    found.append((contract, needs))
        return found

    def _review(
        self,
        schema: SchemaResult,
        local: SchemaDocument,
        registry: Registry,
        registered: set[str],
        policy: Policy,
    ) -> SchemaResult:
        findings = list(schema.findings)
        readers = self.readers(schema.name, local)
        if readers:
            old = _latest_document(registry, schema.name) if schema.registered_version else None
            old_side = Side.of(old, policy) if old is not None else None
            change = SchemaChange(old_side, Side.of(local, policy))
            for contract, needs in readers:
                # An entry read from every event type of a source expects fields that
                # only some of them declare; `contract verify` reports a field none has.
                wildcard = is_wildcard(needs.selector)
                findings.extend(
                    contract_findings(contract, needs.fields, change, report_unknown=not wildcard)
                )
        status = schema.status
        if status is Status.UNREGISTERED:
            previous = self._previous_version(schema.name, registered)
            if previous is not None:
                status = Status.NEW
                findings = [f for f in findings if f.rule != "schema-unregistered"]
                findings.append(self._version_added(schema.name, previous))
        elif any(f.severity is Severity.ERROR for f in findings):
            status = Status.BREAKING
        if status is Status.BREAKING:
            findings.append(self._next_version(schema.name))
        return dataclasses.replace(schema, status=status, findings=findings)

    def _previous_version(self, name: str, registered: set[str]) -> str | None:
        family, version = self.naming.parse(name)
        for earlier in range(version - 1, 0, -1):
            spellings = [self.naming.name(family, earlier)]
            if earlier == 1:
                spellings.append(_spelled(self.naming, family, 1))
            for spelling in spellings:
                if spelling in registered:
                    return spelling
        return None

    def _version_added(self, name: str, previous: str) -> Finding:
        message = (
            f"new event type {name!r} is the next version of {previous!r}; publish it, and "
            f"keep producing {previous!r} while contracts read it"
        )
        return _info("event-type-version-added", message)

    def _next_version(self, name: str) -> Finding:
        message = (
            f"publish this breaking change as the new event type "
            f"{self.naming.next_name(name)!r} (a schema of its own, not a registry version "
            f"of {name!r}) instead of changing {name!r}"
        )
        return _info("event-type-next-version", message)

    def _retired(
        self,
        documents: dict[str, SchemaDocument],
        paths: dict[str, str],
        registry: Registry,
        registered: set[str],
    ) -> list[SchemaResult]:
        """Report registered versions that left the local schemas while contracts read them.

        Each result carries the path of the newest local version of the family, which is
        where the version was retired.
        """
        # Each family maps to its newest local version, named as the successor.
        families = {
            self.naming.parse(name)[0]: name
            for name in sorted(documents, key=lambda n: self.naming.parse(n)[1])
        }
        results = []
        for name in sorted(registered - documents.keys()):
            family = self.naming.parse(name)[0]
            if family not in families:
                continue
            document = _latest_document(registry, name)
            readers = sorted({c.consumer for c, _ in self.readers(name, document, exact=True)})
            if not readers:
                logger.debug("%s left the local schemas and no contract reads it", name)
                continue
            successor = families[family]
            result = self._in_use(name, registry, readers, successor)
            results.append(dataclasses.replace(result, path=paths.get(successor, successor)))
        return results

    def _in_use(
        self, name: str, registry: Registry, readers: list[str], successor: str
    ) -> SchemaResult:
        rule = get_rule("event-type-version-in-use")
        consumers = ", ".join(repr(reader) for reader in readers)
        message = (
            f"{name!r} is no longer among the local schemas, but consumer(s) {consumers} "
            f"still read it; keep producing it next to {successor!r} until their contracts "
            "move to the new version"
        )
        finding = Finding(rule.id, rule.severity, frozenset(), "#", None, message)
        latest = registry.get_version(name)
        version = latest.version if latest is not None else None
        return SchemaResult(name, "", Status.BREAKING, version, [finding])


def _spelled(naming: VersionNaming, family: str, version: int) -> str:
    """Spell a version with the template even for version 1 (`OrderPlaced.v1`)."""
    return naming.template.replace("{name}", family).replace("{version}", str(version))


def _latest_document(registry: Registry, name: str) -> SchemaDocument | None:
    latest = registry.get_version(name)
    if latest is None:
        return None
    return load_text(latest.content, f"{registry.uri} {name}@{latest.version}")


def _info(rule_id: str, message: str) -> Finding:
    rule = get_rule(rule_id)
    return Finding(rule.id, rule.severity, frozenset(), None, None, message)


def contract_review(uri: str | None, registry: Registry, settings: Settings) -> ContractReview:
    """Build the contract stage from a contracts location and the settings.

    A `uri` given on the command line resolves relative paths against the working
    folder, and the configured one (used when `uri` is None) against the settings file.
    """
    from schemagate.contracts.store import load_contracts

    base = Path.cwd() if uri is not None else settings.base
    # Errors in values read from the settings file name that file.
    where = f"{settings.source}: " if settings.source is not None else ""
    try:
        naming = VersionNaming(settings.version_naming or DEFAULT_TEMPLATE)
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from None
    try:
        contracts = load_contracts(uri or settings.contracts, registry, base)
    except InputError as exc:
        if uri is not None or not str(exc).startswith("invalid contracts location"):
            raise
        raise ConfigError(f"{where}{exc}") from None
    return ContractReview(tuple(contracts), naming)
