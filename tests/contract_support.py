"""Builders for contract tests: OrderPlaced documents, snapshots and contract files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from schemagate.registry.base import SchemaVersion
from schemagate.registry.snapshot import write_snapshot

DETAIL_POINTER = "#/components/schemas/OrderPlaced"


def order_placed(
    detail_type: str = "OrderPlaced",
    properties: dict[str, Any] | None = None,
    required: list[str] | None = None,
) -> dict[str, Any]:
    """Return an OpenAPI 3 event schema with an AWSEvent envelope and an OrderPlaced detail."""
    detail_properties = {
        "orderId": {"type": "string"},
        "customerId": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
        "status": {"type": "string", "enum": ["placed", "cancelled", "held"]},
        "giftMessage": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["sku"],
                "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
            },
        },
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": detail_type, "version": "1.0.0"},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "required": ["detail-type", "source", "detail"],
                    "x-amazon-events-source": "com.example.orders",
                    "x-amazon-events-detail-type": detail_type,
                    "properties": {
                        "detail-type": {"type": "string"},
                        "source": {"type": "string"},
                        "detail": {"$ref": DETAIL_POINTER},
                    },
                },
                "OrderPlaced": {
                    "type": "object",
                    "required": required
                    if required is not None
                    else ["orderId", "customerId", "total", "status"],
                    "properties": properties if properties is not None else detail_properties,
                },
            }
        },
    }


def detail(document: dict[str, Any]) -> dict[str, Any]:
    """Return the detail schema of a document built by `order_placed`, for editing."""
    schema: dict[str, Any] = document["components"]["schemas"]["OrderPlaced"]
    return schema


def changed(document: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(document)


def write_registry(folder: Path, schemas: dict[str, list[dict[str, Any]]]) -> str:
    """Write a snapshot of schemas (each a list of versions) and return its dir: URI."""
    versions = []
    for name, documents in schemas.items():
        for number, document in enumerate(documents, start=1):
            kind = "OpenApi3" if "openapi" in document else "JSONSchemaDraft4"
            versions.append(SchemaVersion(name, str(number), kind, json.dumps(document)))
    write_snapshot(folder, "orders", versions)
    return f"dir:{folder}"


def write_schemas(folder: Path, schemas: dict[str, dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in schemas.items():
        (folder / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def write_contract(path: Path, consumer: str, events: dict[str, list[Any]]) -> Path:
    """Write a contract file reading `events` (selector to field entries)."""
    data = {
        "format_version": 1,
        "consumer": consumer,
        "events": {selector: {"fields": fields} for selector, fields in events.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
