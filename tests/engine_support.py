"""Helpers for engine tests that feed raw schemas, not files, to the engine."""

from __future__ import annotations

from typing import Any

from schemagate.diff.engine import diff_documents
from schemagate.load.document import Dialect, Kind, SchemaDocument
from schemagate.modes import Mode, Policy
from schemagate.report.model import DiffResult

DIALECTS = {
    "json-schema.org/draft-04/schema": Dialect.DRAFT4,
    "json-schema.org/draft-06/schema": Dialect.DRAFT6,
    "json-schema.org/draft-07/schema": Dialect.DRAFT7,
    "json-schema.org/draft/2019-09/schema": Dialect.DRAFT2019,
    "json-schema.org/draft/2020-12/schema": Dialect.DRAFT2020,
}


def schema_document(schema: Any, name: str) -> SchemaDocument:
    """Wrap a JSON Schema (an object or a boolean) as a document of its declared draft.

    The document loader requires at least one schema keyword, which the empty schema
    and some corpus schemas lack; their meaning is still well defined.
    """
    if schema is True:
        schema = {}
    elif schema is False:
        schema = {"not": {}}
    declared = schema.get("$schema", "")
    dialect = DIALECTS.get(declared.split("://", 1)[-1].rstrip("#"), Dialect.DRAFT4)
    return SchemaDocument(name, schema, Kind.JSONSCHEMA, dialect, "#")


def strict_backward(old: Any, new: Any) -> DiffResult:
    """Compare two raw schemas with `--strict --mode backward`."""
    return diff_documents(
        schema_document(old, "old.json"),
        schema_document(new, "new.json"),
        Mode.BACKWARD,
        Policy.STRICT,
    )


def gated_unproven(result: DiffResult) -> bool:
    return any(f.rule == "unproven" and f.severity.value == "warning" for f in result.findings)
