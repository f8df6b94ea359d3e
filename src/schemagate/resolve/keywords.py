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

# Keywords whose value points to another schema. `$dynamicRef` is read as a reference to
# the `$dynamicAnchor` it names, because no document here changes the dynamic scope.
# `$recursiveRef` counts in 2019-09 and `$dynamicRef` in 2020-12 only; both are followed
# as a `$ref` to their target, without the dynamic scope.
REFERENCE_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")


# Each reference keyword as a `repr` spells it.
_QUOTED_REFERENCE_KEYWORDS = tuple(f"'{key}'" for key in REFERENCE_KEYWORDS)


def mentions_reference(text: str) -> bool:
    """Tell whether a schema's `repr` contains a reference keyword anywhere."""
    # A loop: the walk calls this for every unchanged member, and a generator with
    # `any` costs more than the three searches.
    for quoted in _QUOTED_REFERENCE_KEYWORDS:  # noqa: SIM110
        if quoted in text:
            return True
    return False


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
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def unescape(token: str) -> str:
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def as_reference(pointer: str) -> str:
    """Return the `$ref` to a local JSON pointer: a URI fragment, in which `%` starts an
    escape that validators decode, so a `%` of the pointer is written `%25`."""
    return pointer.replace("%", "%25")


def is_index(token: str) -> bool:
    """Tell whether a JSON pointer token is an array index: ASCII digits only.

    `str.isdigit` also accepts digits such as "²", which `int` rejects.
    """
    return token.isascii() and token.isdigit()


# Every keyword whose value contains subschemas.
CONTAINING_KEYWORDS = SINGLE | LIST | MAP | {"items", "dependencies"}


def child_schemas(schema: Any, pointer: str) -> list[tuple[str, Any]]:
    """Return (pointer, subschema) for every direct subschema of `schema`, in key order."""
    # Most schemas are leaves (`type`, `description`), found in one pass over their keys.
    if not isinstance(schema, dict) or CONTAINING_KEYWORDS.isdisjoint(schema):
        return []
    children: list[tuple[str, Any]] = []
    for key in [key for key in schema if key in CONTAINING_KEYWORDS]:
        value = schema[key]
        if key in SINGLE:
            if isinstance(value, dict | bool):
                children.append((f"{pointer}/{key}", value))
        elif key in MAP:
            if isinstance(value, dict):
                base = f"{pointer}/{key}/"
                children += [(base + escape(name), item) for name, item in value.items()]
        elif key == "dependencies":
            if isinstance(value, dict):
                base = f"{pointer}/dependencies/"
                children += [
                    (base + escape(name), item)
                    for name, item in value.items()
                    if isinstance(item, dict | bool)
                ]
        elif isinstance(value, list):
            base = f"{pointer}/{key}/"
            children += [(f"{base}{index}", item) for index, item in enumerate(value)]
        elif key == "items" and isinstance(value, dict | bool):
            children.append((f"{pointer}/items", value))
    return children


def child_nodes(schema: dict[str, Any]) -> Iterator[Any]:
    """Yield every direct subschema of `schema`, like `child_schemas` without pointers."""
    for key, value in schema.items():
        if key in SINGLE:
            if isinstance(value, dict | bool):
                yield value
        elif key in LIST or key == "items":
            if isinstance(value, list):
                yield from value
            elif key == "items" and isinstance(value, dict | bool):
                yield value
        elif key in MAP:
            if isinstance(value, dict):
                yield from value.values()
        elif key == "dependencies" and isinstance(value, dict):
            yield from (item for item in value.values() if isinstance(item, dict | bool))


def walk_schemas(schema: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Yield every schema position under `schema`, itself included, depth first."""
    stack = [(pointer, schema)]
    while stack:
        where, node = stack.pop()
        yield where, node
        children = child_schemas(node, where)
        children.reverse()
        stack += children


def walk_nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Yield every object schema under `schema`, itself included, in no set order.

    Cheaper than `walk_schemas` for passes that need the schemas but not where they are.
    """
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(child_nodes(node))
