"""Which keywords hold subschemas, so that walkers visit schema positions only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# A keyword whose value is one schema.
SINGLE = frozenset(
    {
        "additionalProperties",
        "additionalItems",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
    }
)
# A keyword whose value is a list of schemas.
LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# A keyword whose value maps names to schemas.
MAP = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})

ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "examples",
        "example",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "contentMediaType",
        "contentEncoding",
    }
)


def escape(token: str) -> str:
    """Escape one JSON pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def child_schemas(schema: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Yield (pointer, subschema) for every direct subschema of `schema`."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        where = f"{pointer}/{escape(key)}"
        if key in SINGLE and isinstance(value, dict | bool):
            yield where, value
        elif key in LIST and isinstance(value, list):
            for index, item in enumerate(value):
                yield f"{where}/{index}", item
        elif key in MAP and isinstance(value, dict):
            for name, item in value.items():
                yield f"{where}/{escape(name)}", item
        elif key == "items":
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{where}/{index}", item
            elif isinstance(value, dict | bool):
                yield where, value
        elif key == "dependencies" and isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict | bool):
                    yield f"{where}/{escape(name)}", item


def walk_schemas(schema: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Yield every schema position under `schema`, itself included, depth first."""
    stack = [(pointer, schema)]
    while stack:
        where, node = stack.pop()
        yield where, node
        stack.extend(reversed(list(child_schemas(node, where))))
