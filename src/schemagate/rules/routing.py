"""Routing changes: the values EventBridge rules match on, kept beside the schema.

Registry documents carry an event's `source` and `detail-type` as extensions of the
envelope. A changed value is not a schema change, yet every rule that matched the old
value stops receiving the events.
"""

from __future__ import annotations

from typing import Any

from schemagate.load.document import SchemaDocument
from schemagate.modes import Mode
from schemagate.report.model import Finding
from schemagate.resolve.keywords import unescape
from schemagate.rules.catalogue import Severity

ROUTING_KEYS = ("x-amazon-events-source", "x-amazon-events-detail-type")


def routing_changes(old: SchemaDocument, new: SchemaDocument, mode: Mode) -> list[Finding]:
    """Report changed routing values: the envelope's source and detail-type extensions."""
    old_pointer, old_values = _routing_values(old)
    new_pointer, new_values = _routing_values(new)
    severity = Severity.ERROR if mode.directions else Severity.INFO
    findings = []
    for key in ROUTING_KEYS:
        before, after = old_values.get(key), new_values.get(key)
        if before == after:
            continue
        if before is not None and after is not None:
            message = (
                f"{key} changed from {before!r} to {after!r}; EventBridge rules matching the "
                "old value stop receiving these events"
            )
            level = severity
        else:
            # The events themselves keep their routing values, so a value dropped from or
            # added to the document is advice: bindings route by it, and lint needs it.
            change = f"removed (was {before!r})" if after is None else f"added ({after!r})"
            message = f"{key} {change}; generated bindings route events by it"
            level = Severity.INFO
        findings.append(
            Finding(
                "event-routing-changed",
                level,
                frozenset(),
                f"{old_pointer}/{key}" if before is not None else None,
                f"{new_pointer}/{key}" if after is not None else None,
                message,
            )
        )
    return findings


def _routing_values(document: SchemaDocument) -> tuple[str, dict[str, Any]]:
    # Registry OpenAPI documents keep the values on the `AWSEvent` component, and
    # exported JSON Schema documents at their root.
    pointer = document.root_pointer
    node: Any = document.data
    if pointer.startswith("#/components/schemas/"):
        name = unescape(pointer.removeprefix("#/components/schemas/"))
        node = document.data["components"]["schemas"].get(name, {})
    if not isinstance(node, dict):
        return pointer, {}
    return pointer, {k: node[k] for k in ROUTING_KEYS if isinstance(node.get(k), str)}
