"""A normalised view of one schema position: `$ref`s followed and `allOf` merged.

A `Conj` is a conjunction of schema locations: an instance is valid under it when it
is valid under every location. Merging `allOf` and (from draft 2019-09) `$ref` with
siblings into one conjunction lets the comparison treat inline and referenced
definitions alike.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from schemagate.load.document import Dialect
from schemagate.resolve.keywords import escape
from schemagate.resolve.refs import Resolver

Loc = tuple[str, Any]
Conj = tuple[Loc, ...]

JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
UNION_KEYWORDS = ("anyOf", "oneOf")


@dataclass(slots=True)
class Shape:
    """Constraints of a conjunction, grouped by keyword family."""

    pointer: str
    locs: Conj
    types: frozenset[str] | None = None
    enum: list[Any] | None = None
    never: bool = False
    properties: dict[str, list[Loc]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: list[Loc] = field(default_factory=list)
    closed: bool = False
    items: list[Loc] = field(default_factory=list)
    unions: list[tuple[str, list[Loc]]] = field(default_factory=list)
    keywords: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    # The conjunction of each member name looked up so far, with references followed.
    members: dict[str, Conj] = field(default_factory=dict)
    # The conjunction of `items`, with references followed, once looked up.
    items_conj: Conj | None = None

    def first(self, keyword: str) -> Any:
        values = self.keywords.get(keyword)
        return values[0][1] if values else None

    def all(self, keyword: str) -> list[Any]:
        return [value for _, value in self.keywords.get(keyword, [])]

    def where(self, keyword: str) -> str:
        values = self.keywords.get(keyword)
        return values[0][0] if values else self.pointer


# Keywords whose values are kept as-is and compared by the rules.
_SCALAR_KEYWORDS = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "patternProperties",
        "additionalItems",
        "dependencies",
        "not",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
        "contains",
        "minContains",
        "maxContains",
        "if",
        "then",
        "else",
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "discriminator",
    }
)


def expand(resolver: Resolver, loc: Loc) -> Conj:
    """Follow `$ref`s and flatten `allOf` into a conjunction of plain locations."""
    schema = loc[1]
    # Most schemas have nothing to expand. Four lookups tell it faster than a loop over
    # REFERENCE_KEYWORDS, which they spell out.
    if isinstance(schema, bool) or (
        isinstance(schema, dict)
        and "$ref" not in schema
        and "allOf" not in schema
        and "$dynamicRef" not in schema
        and "$recursiveRef" not in schema
    ):
        return (loc,)
    result: list[Loc] = []
    stack = [loc]
    seen: set[str] = set()
    while stack:
        pointer, schema = stack.pop()
        pointer, schema = resolver.resolve(pointer, schema)
        if pointer in seen:
            continue
        seen.add(pointer)
        if isinstance(schema, dict):
            for key in resolver.document.dialect.reference_keywords:
                ref = schema.get(key)
                if isinstance(ref, str) and not resolver.document.dialect.ref_overrides_siblings:
                    target = resolver.target(ref, pointer)
                    stack.append((target, resolver.lookup(target)))
            for index, branch in enumerate(schema.get("allOf", []) or []):
                stack.append((f"{pointer}/allOf/{index}", branch))
        result.append((pointer, schema))
    return tuple(result)


def build_shape(resolver: Resolver, conj: Conj) -> Shape:
    """Merge the constraints of every location in a conjunction."""
    dialect = resolver.document.dialect
    scalar = _scalar_keywords(dialect)
    shape = Shape(pointer=conj[0][0] if conj else "#", locs=conj)
    for pointer, schema in conj:
        if schema is False:
            shape.never = True
            continue
        if not isinstance(schema, dict):
            continue
        # Most schemas are leaves with a few keywords: each family is merged only
        # where the schema has one of its keywords.
        if "type" in schema:
            _merge_types(shape, schema, dialect)
        if "enum" in schema or "const" in schema:
            _merge_enum(shape, schema, dialect)
        if not _OBJECT_KEYWORDS.isdisjoint(schema):
            _merge_object(shape, pointer, schema, dialect)
        items = schema.get("items")
        if isinstance(items, dict | bool):
            shape.items.append((f"{pointer}/items", items))
        elif isinstance(items, list):
            shape.keywords.setdefault("items", []).append((f"{pointer}/items", items))
        if "anyOf" in schema or "oneOf" in schema:
            for keyword in UNION_KEYWORDS:
                branches = schema.get(keyword)
                if isinstance(branches, list):
                    locs = [(f"{pointer}/{keyword}/{i}", b) for i, b in enumerate(branches)]
                    shape.unions.append((f"{pointer}/{keyword}", locs))
        if scalar.isdisjoint(schema):
            continue
        for keyword in [key for key in schema if key in scalar]:
            shape.keywords.setdefault(keyword, []).append(
                (f"{pointer}/{keyword}", schema[keyword])
            )
    return shape


@functools.cache
def _scalar_keywords(dialect: Dialect) -> frozenset[str]:
    """Return the keywords `build_shape` keeps as they are, under `dialect`: a keyword
    the dialect lacks constrains nothing there."""
    return _SCALAR_KEYWORDS - dialect.lacked_keywords


def _merge_types(shape: Shape, schema: dict[str, Any], dialect: Dialect) -> None:
    declared = schema.get("type")
    types: set[str] | None = None
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {t for t in declared if isinstance(t, str)}
    if types is not None:
        if dialect is Dialect.OPENAPI30 and schema.get("nullable") is True:
            types.add("null")
        if "number" in types:
            types.add("integer")
        merged = frozenset(types & JSON_TYPES)
        shape.types = merged if shape.types is None else _intersect(shape.types, merged)


def _intersect(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    return left & right


def _merge_enum(shape: Shape, schema: dict[str, Any], dialect: Dialect) -> None:
    values: list[Any] | None = None
    if isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
    if "const" in schema and dialect.has_const:
        values = (
            [schema["const"]]
            if values is None
            else [v for v in values if same_value(v, schema["const"])]
        )
    if values is None:
        return
    if shape.enum is None:
        shape.enum = values
    else:
        shape.enum = [v for v in shape.enum if any(same_value(v, w) for w in values)]


# The keywords `_merge_object` reads.
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "unevaluatedProperties"}
)


def _merge_object(shape: Shape, pointer: str, schema: dict[str, Any], dialect: Dialect) -> None:
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            shape.properties.setdefault(name, []).append(
                (f"{pointer}/properties/{escape(name)}", sub)
            )
    required = schema.get("required")
    if isinstance(required, list):
        shape.required.update([r for r in required if isinstance(r, str)])
    additional = schema.get("additionalProperties")
    if additional is False:
        shape.closed = True
    if isinstance(additional, dict | bool):
        shape.additional.append((f"{pointer}/additionalProperties", additional))
    # `unevaluatedProperties` also counts members that other schemas of the conjunction
    # declare. The merged shape already contains those, so it closes the object the same way.
    unevaluated = schema.get("unevaluatedProperties")
    if isinstance(unevaluated, dict | bool) and dialect.has_keyword("unevaluatedProperties"):
        if unevaluated is False:
            shape.closed = True
        shape.additional.append((f"{pointer}/unevaluatedProperties", unevaluated))


def value_key(value: Any) -> str:
    """Return a key under which equal JSON values, and only those, are equal."""
    import json

    def tag(item: Any) -> Any:
        if isinstance(item, bool) or item is None:
            return ["b", item]
        if isinstance(item, int | float):
            return ["n", float(item) if item == item else "nan"]
        if isinstance(item, dict):
            return {k: tag(v) for k, v in item.items()}
        if isinstance(item, list):
            return [tag(v) for v in item]
        return item

    return json.dumps(tag(value), sort_keys=True)


def same_value(left: Any, right: Any) -> bool:
    return value_key(left) == value_key(right)


def effective_types(shape: Shape) -> frozenset[str] | None:
    """Return the types a value may take, narrowed by `enum`; None means any type.

    "integer" stands for integral numbers and "number" for the others, so that type
    sets compare with plain set operations.
    """
    if shape.never:
        return frozenset()
    types = shape.types
    if shape.enum is not None:
        from_enum = frozenset(json_type(v) for v in shape.enum)
        types = from_enum if types is None else types & from_enum
    return types


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
