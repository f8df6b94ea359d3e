"""Compare the fields a contract reads across a producer's registered and local schemas.

These checks run under every mode and policy: a field that a consumer declares it
reads must stay declared, keep its type and stay required if it was required, even
where the tolerant policy would let an optional property go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schemagate.contracts.locate import FieldInfo, is_envelope_field, locate
from schemagate.contracts.model import JSON_TYPES, Contract, ContractField
from schemagate.contracts.paths import FieldPath
from schemagate.diff.engine import Side
from schemagate.diff.examples import TYPE_ORDER, Unbuildable
from schemagate.modes import Direction
from schemagate.report.model import Finding, Witness
from schemagate.rules.catalogue import get_rule

_BREAKS = frozenset({Direction.FORWARD})


def accepted_types(types: frozenset[str] | None) -> frozenset[str] | None:
    """Widen contract types to what they accept: a `number` reader accepts integers."""
    if types is None:
        return None
    return types | {"integer"} if "number" in types else types


def outside(types: frozenset[str] | None, accepted: frozenset[str] | None) -> frozenset[str]:
    """Return the JSON types in `types` (None: any) that `accepted` (None: any) rejects."""
    if accepted is None:
        return frozenset()
    possible = frozenset(TYPE_ORDER) if types is None else types
    return possible - accepted


@dataclass
class SchemaChange:
    """The registered (None when there is none) and the local side of one schema.

    Field lookups and witnesses are cached, because many contracts read the same fields.
    """

    old: Side | None
    new: Side
    _located: dict[tuple[str, ...], tuple[FieldInfo | None, FieldInfo | None]] = field(
        default_factory=dict
    )
    _witnesses: dict[Any, Any] = field(default_factory=dict)

    def locate(self, path: FieldPath) -> tuple[FieldInfo | None, FieldInfo | None]:
        """Return the field at `path` as the registered and the local schema declare it."""
        if path.tokens not in self._located:
            before = locate(self.old, path) if self.old is not None else None
            self._located[path.tokens] = (before, locate(self.new, path))
        return self._located[path.tokens]

    def absent_witness(self, path: tuple[Any, ...]) -> Any:
        key = ("absent", path)
        if key not in self._witnesses:
            self._witnesses[key] = _absent_witness(self.new, path)
        return self._witnesses[key]

    def typed_witness(self, info: FieldInfo, types: frozenset[str]) -> Any:
        key = ("typed", info.path, types)
        if key not in self._witnesses:
            self._witnesses[key] = _typed_witness(self.new, info, types)
        return self._witnesses[key]


def contract_findings(
    contract: Contract,
    fields: Iterable[ContractField],
    change: SchemaChange,
    *,
    report_unknown: bool = True,
) -> list[Finding]:
    """Return findings for each field `contract` reads that `change` breaks, and, with
    `report_unknown`, for each field the schema has never declared."""
    findings = []
    for item in fields:
        if is_envelope_field(item.path):
            continue
        before, after = change.locate(item.path)
        if before is None and after is None and not report_unknown:
            continue
        findings.extend(_field_findings(contract, item, before, after, change))
    return findings


def _field_findings(
    contract: Contract,
    item: ContractField,
    before: FieldInfo | None,
    after: FieldInfo | None,
    change: SchemaChange,
) -> list[Finding]:
    reader = _reader(contract)
    pointer = item.path.pointer
    if after is None:
        if before is None:
            message = f"{reader} reads field {pointer}, which the schema does not declare"
            return [_finding("contract-field-unknown", message, None, None, item)]
        message = f"field {pointer} that {reader} reads is no longer declared"
        witness = change.absent_witness(before.path)
        return [_finding("contract-field-removed", message, before, None, item, witness)]
    findings = []
    if before is not None and before.required and not after.required:
        message = f"field {pointer} that {reader} reads is no longer required"
        witness = change.absent_witness(after.path)
        findings.append(_finding("contract-field-optional", message, before, after, item, witness))
    retyped = _retyped(item, before, after)
    if retyped:
        message = (
            f"field {pointer} that {reader} reads as {_types_text(_expected(item, before))} "
            f"may now be {_types_text(retyped)}"
        )
        witness = change.typed_witness(after, retyped)
        findings.append(_finding("contract-field-retyped", message, before, after, item, witness))
    return findings


def _reader(contract: Contract) -> str:
    version = f" (contract version {contract.version})" if contract.version else ""
    return f"consumer {contract.consumer!r}{version}"


def _expected(item: ContractField, before: FieldInfo | None) -> frozenset[str] | None:
    if item.types is not None:
        return item.types
    return before.types if before is not None else None


def _retyped(item: ContractField, before: FieldInfo | None, after: FieldInfo) -> frozenset[str]:
    if item.types is not None:
        bad = outside(after.types, accepted_types(item.types))
        changed = before is None or before.types != after.types
        return bad if changed else frozenset()
    if before is None or before.types is None:
        return frozenset()
    return outside(after.types, before.types)


def _types_text(types: frozenset[str] | None) -> str:
    if types is None:
        return "any type"
    return " or ".join(t for t in JSON_TYPES if t in types)


def _finding(
    rule_id: str,
    message: str,
    before: FieldInfo | None,
    after: FieldInfo | None,
    item: ContractField,
    witness: Any = None,
) -> Finding:
    rule = get_rule(rule_id)
    witnesses = () if witness is None else (Witness(Direction.FORWARD, witness),)
    path: tuple[Any, ...] = ()
    if after is not None:
        path = after.path
    elif before is not None:
        path = before.path
    return Finding(
        rule.id,
        rule.severity,
        _BREAKS if rule_id != "contract-field-unknown" else frozenset(),
        before.pointer if before is not None else None,
        after.pointer if after is not None else None,
        message,
        witnesses,
        path or tuple(item.path.tokens),
    )


def _absent_witness(side: Side, path: tuple[Any, ...]) -> Any:
    """Build an event valid under `side` that lacks the member at `path`."""
    try:
        event = side.examples.example(side.root())
    except Unbuildable:
        return None
    _delete(event, path)
    return event if side.validator.is_valid(event) and not _has(event, path) else None


def _typed_witness(side: Side, info: FieldInfo, types: frozenset[str]) -> Any:
    """Build an event valid under `side` with a value of one of `types` in the field."""
    for type_name in TYPE_ORDER:
        if type_name not in types:
            continue
        try:
            value = side.examples.example(info.conj, only_type=type_name)
            event = side.examples.embed(side.root(), info.path, value)
        except Unbuildable:
            continue
        if side.validator.is_valid(event):
            return event
    return None


def _delete(event: Any, path: tuple[Any, ...]) -> None:
    node = event
    for token in path[:-1]:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return
    if path and isinstance(node, dict):
        node.pop(path[-1], None)


def _has(event: Any, path: tuple[Any, ...]) -> bool:
    node = event
    for token in path:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return False
    return True
