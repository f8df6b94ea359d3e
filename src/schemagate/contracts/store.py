"""Store contracts in the EventBridge Schema Registry, and read them back.

Each consumer's contract is one schema named `schemagate.contract@CONSUMER`, of type
`JSONSchemaDraft4`, so a consumer costs one schema of the registry's quota (100 by
default) and each publish that changes the contract one version. The reserved source
`schemagate.contract` keeps these names apart from event schemas, whose discovered
names are `SOURCE@DETAIL_TYPE`. The content is a valid draft 4 schema of the fields
the consumer reads, and carries the contract itself under `x-schemagate-contract`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemagate.contracts.model import (
    Contract,
    EventNeeds,
    contract_from_data,
    load_contract_file,
)
from schemagate.contracts.paths import ITEMS
from schemagate.errors import InputError
from schemagate.registry.base import Registry, WritableRegistry

logger = logging.getLogger(__name__)

CONTRACT_PREFIX = "schemagate.contract@"
CONTRACT_KEY = "x-schemagate-contract"
CONTRACT_TYPE = "JSONSchemaDraft4"
DRAFT4 = "http://json-schema.org/draft-04/schema#"
CONTRACT_SUFFIXES = (".json", ".yaml", ".yml")
# EventBridge's default (adjustable) quota of schemas per registry, and the count at
# which publishing a new contract warns that the registry is filling up.
DEFAULT_SCHEMA_QUOTA = 100
QUOTA_WARNING_AT = 90


def is_contract_name(schema_name: str) -> bool:
    """Tell whether a registry schema name is a contract rather than an event schema."""
    return schema_name.startswith(CONTRACT_PREFIX)


def contract_schema_name(consumer: str) -> str:
    return CONTRACT_PREFIX + consumer


def encode_contract(contract: Contract) -> str:
    """Render a contract as draft 4 JSON Schema content, with sorted keys for stable diffs."""
    definitions = {needs.selector: _needs_schema(needs) for needs in contract.events}
    document = {
        "$schema": DRAFT4,
        "title": f"Contract of consumer {contract.consumer}",
        "description": (
            "Fields this consumer reads from each event type, published by "
            "`schemagate contract publish`. Not an event schema."
        ),
        "type": "object",
        "definitions": definitions,
        CONTRACT_KEY: contract.to_data(),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _needs_schema(needs: EventNeeds) -> dict[str, Any]:
    """Build a schema requiring each path, typed where the contract names a type."""
    root: dict[str, Any] = {"type": "object"}
    for item in needs.fields:
        node = root
        for token in item.path.tokens:
            if token == ITEMS:
                node["type"] = "array"
                node = node.setdefault("items", {})
                continue
            node["type"] = "object"
            required = node.setdefault("required", [])
            if token not in required:
                required.append(token)
            node = node.setdefault("properties", {}).setdefault(token, {})
        if item.types is not None:
            node["type"] = sorted(item.types) if len(item.types) > 1 else next(iter(item.types))
    return root


def decode_contract(content: str, source: str, version: str | None = None) -> Contract:
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: stored contract is not JSON ({exc.msg}); publish it again"
        ) from None
    if not isinstance(document, dict) or CONTRACT_KEY not in document:
        raise InputError(
            f"{source}: schema has no {CONTRACT_KEY!r} member, so it is not a schemagate "
            f"contract; rename it, because names starting {CONTRACT_PREFIX!r} are reserved"
        )
    return contract_from_data(document[CONTRACT_KEY], source, version)


@dataclass(frozen=True)
class PublishResult:
    name: str
    version: str
    changed: bool


def publish_contract(contract: Contract, registry: Registry) -> PublishResult:
    """Store a contract as a new version of its schema, unless it is unchanged."""
    if not isinstance(registry, WritableRegistry):
        raise InputError(
            f"{registry.uri} is read-only; publish contracts to an eventbridge:NAME registry"
        )
    name = contract_schema_name(contract.consumer)
    content = encode_contract(contract)
    description = f"schemagate contract of consumer {contract.consumer}"
    current = registry.get_version(name)
    if current is None:
        _warn_near_quota(registry)
        created = registry.create_schema(name, CONTRACT_TYPE, content, description)
        return PublishResult(name, created.version, True)
    if _same(current.content, content):
        return PublishResult(name, current.version, False)
    updated = registry.update_schema(name, CONTRACT_TYPE, content, description)
    return PublishResult(name, updated.version, True)


def _warn_near_quota(registry: Registry) -> None:
    count = len(registry.list_schemas())
    if count >= QUOTA_WARNING_AT:
        logger.warning(
            "%s already holds %d schemas and the default quota is %d per registry; store "
            "contracts in a registry of their own with --contracts eventbridge:NAME",
            registry.uri,
            count,
            DEFAULT_SCHEMA_QUOTA,
        )


def _same(stored: str, content: str) -> bool:
    try:
        return bool(json.loads(stored) == json.loads(content))
    except json.JSONDecodeError:
        return False


def read_contracts(registry: Registry) -> list[Contract]:
    """Read the latest version of every contract stored in a registry, sorted by consumer."""
    contracts = []
    for summary in registry.list_schemas():
        if not is_contract_name(summary.name):
            continue
        latest = registry.get_version(summary.name)
        if latest is None:
            continue
        source = f"{registry.uri} {summary.name}@{latest.version}"
        contracts.append(decode_contract(latest.content, source, latest.version))
    logger.debug("read %d contract(s) from %s", len(contracts), registry.uri)
    return sorted(contracts, key=lambda contract: contract.consumer)


def read_contract_files(path: Path) -> list[Contract]:
    """Read one contract file, or every contract file in a folder."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in CONTRACT_SUFFIXES)
        return [load_contract_file(p) for p in files if p.is_file()]
    return [load_contract_file(path)]


def load_contracts(uri: str, default: Registry, base: Path) -> list[Contract]:
    """Read contracts from the location `uri` names: `none`, `file:PATH`, or a registry URI.

    `same` (the default) reads them from `default`, the registry being checked.
    """
    if uri == "none":
        return []
    if uri == "same":
        return read_contracts(default)
    if uri.startswith("file:"):
        path = Path(uri.removeprefix("file:"))
        path = path if path.is_absolute() else base / path
        if not path.exists():
            raise InputError(f"contracts {uri!r}: {path} not found; pass an existing file")
        return read_contract_files(path)
    from schemagate.registry.uri import open_registry

    if uri == default.uri:
        return read_contracts(default)
    try:
        registry = open_registry(uri, base=base)
    except InputError:
        raise InputError(
            f"invalid contracts location {uri!r}; use same, none, file:PATH, "
            "eventbridge:REGISTRY_NAME or dir:SNAPSHOT_FOLDER"
        ) from None
    return read_contracts(registry)
