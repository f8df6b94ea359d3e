"""Find a contract field in a schema document, and tell which event type a document describes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemagate.contracts.paths import ITEMS, FieldPath
from schemagate.diff.changes import PathToken
from schemagate.diff.engine import Side
from schemagate.diff.shape import Conj, Shape, build_shape, effective_types
from schemagate.load.document import Kind, SchemaDocument

# Envelope members that EventBridge sets on every event, whatever the schema declares.
ENVELOPE_FIELDS = frozenset(
    {"version", "id", "detail-type", "source", "account", "time", "region", "resources"}
)
# Bounds the walk through self-referencing unions.
MAX_DEPTH = 32


@dataclass(frozen=True)
class FieldInfo:
    """A field as one schema declares it.

    `required` is true when every event valid under the schema carries the field, that
    is, it is required at each level from the event root. `types` is None when the
    schema allows any JSON type; "number" there means non-integral numbers, as in
    `diff.shape.effective_types`. `path` is an instance path (0 for array items).
    """

    pointer: str
    required: bool
    types: frozenset[str] | None
    path: tuple[PathToken, ...]
    conj: Conj


def is_envelope_field(path: FieldPath) -> bool:
    return len(path.tokens) == 1 and path.tokens[0] in ENVELOPE_FIELDS


def locate(side: Side, path: FieldPath) -> FieldInfo | None:
    """Return the field at `path` in the document's event schema, or None if undeclared.

    A document whose root has no `detail` property describes the detail alone, so a
    leading `detail` segment is dropped for it.
    """
    root = side.root()
    tokens = path.tokens
    if tokens and tokens[0] == "detail" and not _declares(side, root, "detail"):
        tokens = tokens[1:]
    return _walk(side, root, tokens, (), True, 0)


def _declares(side: Side, conj: Conj, name: str) -> bool:
    shape = build_shape(side.resolver, conj)
    if shape.unions:
        alternatives = side.examples.alternatives(conj, shape)
        return any(_declares(side, alt, name) for alt in alternatives)
    return name in shape.properties or name in shape.required


def _walk(
    side: Side,
    conj: Conj,
    tokens: tuple[str, ...],
    path: tuple[PathToken, ...],
    required: bool,
    depth: int,
) -> FieldInfo | None:
    if depth > MAX_DEPTH:
        return None
    shape = build_shape(side.resolver, conj)
    if shape.unions:
        alternatives = side.examples.alternatives(conj, shape)
        found = [_walk(side, alt, tokens, path, required, depth + 1) for alt in alternatives]
        return _merge(found)
    if not tokens:
        return FieldInfo(shape.pointer, required, effective_types(shape), path, conj)
    token, rest = tokens[0], tokens[1:]
    if token in shape.properties or token in shape.required:
        if token in shape.properties:
            member = side.examples.conj(shape.properties[token])
        else:
            member = side.examples.member(shape, token) or ((shape.pointer, True),)
        still_required = required and token in shape.required
        return _walk(side, member, rest, (*path, token), still_required, depth + 1)
    if _is_array(shape):
        items = side.examples.conj(shape.items) or ((shape.pointer, True),)
        remaining = rest if token == ITEMS or (token.isascii() and token.isdigit()) else tokens
        return _walk(side, items, remaining, (*path, 0), required, depth + 1)
    return None


def _is_array(shape: Shape) -> bool:
    types = effective_types(shape)
    return bool(shape.items) and (types is None or types == {"array"})


def _merge(found: list[FieldInfo | None]) -> FieldInfo | None:
    """Merge the field as each union branch declares it: required only if all require it."""
    present = [info for info in found if info is not None]
    if not present:
        return None
    types: frozenset[str] | None = frozenset()
    for info in present:
        types = None if types is None or info.types is None else types | info.types
    first = present[0]
    required = len(present) == len(found) and all(info.required for info in present)
    return FieldInfo(first.pointer, required, types, first.path, first.conj)


def event_identity(document: SchemaDocument) -> tuple[str | None, str | None]:
    """Return the event source and detail-type a document declares, where it declares them.

    OpenAPI documents carry them as `x-amazon-events-source` and
    `x-amazon-events-detail-type` on the envelope; JSON Schema envelopes as a `const`
    or single-value `enum` of their `source` and `detail-type` properties.
    """
    data = document.data
    if document.kind is Kind.OPENAPI3:
        envelope = data.get("components", {}).get("schemas", {}).get("AWSEvent")
        if isinstance(envelope, dict):
            return (
                _text(envelope.get("x-amazon-events-source")),
                _text(envelope.get("x-amazon-events-detail-type")),
            )
        return None, None
    properties = data.get("properties")
    if not isinstance(properties, dict):
        return None, None
    return _single(properties.get("source")), _single(properties.get("detail-type"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _single(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return str(schema["const"])
    values = schema.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return None


def is_wildcard(selector: str) -> bool:
    """Tell whether a selector (`*`, `SOURCE@*`) reads every event type it matches."""
    return selector == "*" or selector.endswith("@*")


def selector_matches(selector: str, name: str, document: SchemaDocument | None) -> bool:
    """Tell whether a contract's event selector names this schema.

    Selectors: `*` (every event type), the schema name, the detail-type,
    `source@detail-type`, or `source@*` (every event type of a source).
    """
    if selector in ("*", name):
        return True
    source, detail_type = event_identity(document) if document is not None else (None, None)
    if detail_type is not None and selector == detail_type:
        return True
    wanted_source, at, wanted_type = selector.rpartition("@")
    if not at or source is None or wanted_source != source:
        return False
    return wanted_type in ("*", detail_type)
