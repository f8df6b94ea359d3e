"""Schema documents: what kind they are, which dialect, and where the event schema sits."""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from schemagate.errors import DocumentError
from schemagate.load.source import decode, parse_source
from schemagate.load.validity import check_metaschema


class Kind(enum.StrEnum):
    """The registry's two schema types."""

    OPENAPI3 = "OpenApi3"
    JSONSCHEMA = "JSONSchemaDraft4"


class Dialect(enum.StrEnum):
    """Keyword meanings a document is read with."""

    DRAFT4 = "draft4"
    DRAFT6 = "draft6"
    DRAFT7 = "draft7"
    DRAFT2019 = "2019-09"
    DRAFT2020 = "2020-12"
    OPENAPI30 = "openapi-3.0"

    @property
    def ref_overrides_siblings(self) -> bool:
        """True where keywords next to `$ref` are ignored (drafts 4 to 7, OpenAPI 3.0)."""
        return self not in (Dialect.DRAFT2019, Dialect.DRAFT2020)

    @property
    def has_const(self) -> bool:
        """True where `const` is a keyword (draft 6 on); drafts 4 and OpenAPI 3.0 ignore it."""
        return self not in (Dialect.DRAFT4, Dialect.OPENAPI30)

    @property
    def has_dependencies(self) -> bool:
        """True where `dependencies` is a keyword, before 2019-09 split it into two."""
        return self not in (Dialect.DRAFT2019, Dialect.DRAFT2020)

    @property
    def id_keyword(self) -> str:
        """The keyword that gives a schema its URI: `id` in draft 4 and OpenAPI 3.0,
        `$id` from draft 6 on. The other one is an unknown keyword there."""
        return "id" if self in (Dialect.DRAFT4, Dialect.OPENAPI30) else "$id"

    @property
    def reference_keywords(self) -> tuple[str, ...]:
        """The reference keywords this dialect reads: `$ref`, and `$recursiveRef` in
        2019-09 or `$dynamicRef` in 2020-12."""
        return _reference_keywords(self)

    def has_keyword(self, keyword: str) -> bool:
        """Tell whether a keyword that some drafts lack, such as `contains`, is one here."""
        return keyword not in self.lacked_keywords

    @property
    def lacked_keywords(self) -> frozenset[str]:
        """The keywords of other drafts that this dialect ignores."""
        return _lacked_keywords(self)

    @property
    def rank(self) -> int:
        """Order of the dialects by the keywords they read. OpenAPI 3.0 ranks as draft 4."""
        return _RANKS[self]

    @property
    def boolean_exclusive_bounds(self) -> bool:
        """True where `exclusiveMinimum`/`exclusiveMaximum` are booleans (draft 4, OpenAPI 3.0)."""
        return self in (Dialect.DRAFT4, Dialect.OPENAPI30)


_RANKS = {
    Dialect.DRAFT4: 4,
    Dialect.OPENAPI30: 4,
    Dialect.DRAFT6: 6,
    Dialect.DRAFT7: 7,
    Dialect.DRAFT2019: 2019,
    Dialect.DRAFT2020: 2020,
}
# Keywords later drafts added; an earlier dialect ignores them.
_INTRODUCED_IN = {
    "contains": Dialect.DRAFT6,
    "propertyNames": Dialect.DRAFT6,
    "if": Dialect.DRAFT7,
    "then": Dialect.DRAFT7,
    "else": Dialect.DRAFT7,
    "dependentRequired": Dialect.DRAFT2019,
    "dependentSchemas": Dialect.DRAFT2019,
    "minContains": Dialect.DRAFT2019,
    "maxContains": Dialect.DRAFT2019,
    "unevaluatedProperties": Dialect.DRAFT2019,
    "unevaluatedItems": Dialect.DRAFT2019,
    "prefixItems": Dialect.DRAFT2020,
    "$anchor": Dialect.DRAFT2019,
    "$recursiveRef": Dialect.DRAFT2019,
    "$recursiveAnchor": Dialect.DRAFT2019,
    "$dynamicRef": Dialect.DRAFT2020,
    "$dynamicAnchor": Dialect.DRAFT2020,
}
# Keywords 2020-12 dropped: it ignores them.
_DROPPED_IN_2020 = frozenset({"additionalItems", "$recursiveRef", "$recursiveAnchor"})

_DIALECT_BY_URI = {
    "json-schema.org/draft-04/schema": Dialect.DRAFT4,
    "json-schema.org/schema": Dialect.DRAFT2020,
    "json-schema.org/draft-06/schema": Dialect.DRAFT6,
    "json-schema.org/draft-07/schema": Dialect.DRAFT7,
    "json-schema.org/draft/2019-09/schema": Dialect.DRAFT2019,
    "json-schema.org/draft/2020-12/schema": Dialect.DRAFT2020,
}


@functools.cache
def _lacked_keywords(dialect: Dialect) -> frozenset[str]:
    lacked = {k for k, since in _INTRODUCED_IN.items() if dialect.rank < since.rank}
    if dialect is Dialect.DRAFT2020:
        lacked |= _DROPPED_IN_2020
    return frozenset(lacked)


@functools.cache
def _reference_keywords(dialect: Dialect) -> tuple[str, ...]:
    return tuple(
        k
        for k in ("$ref", "$dynamicRef", "$recursiveRef")
        if k == "$ref" or dialect.has_keyword(k)
    )


@functools.cache
def _differing_keywords(first: Dialect, second: Dialect) -> frozenset[str]:
    """Return the keywords two dialects read differently, or one of them not at all."""
    differs = {
        key
        for key in {*_INTRODUCED_IN, *_DROPPED_IN_2020}
        if first.has_keyword(key) != second.has_keyword(key)
    }
    if first.boolean_exclusive_bounds != second.boolean_exclusive_bounds:
        differs |= {"exclusiveMinimum", "exclusiveMaximum"}
    if first.has_const != second.has_const:
        differs.add("const")
    if first.has_dependencies != second.has_dependencies:
        differs.add("dependencies")
    if first.id_keyword != second.id_keyword:
        differs |= {"id", "$id"}
    if Dialect.OPENAPI30 in (first, second):
        differs |= {"nullable", "discriminator"}
    return frozenset(differs)


def reads_alike(schema: Any, first: Dialect, second: Dialect) -> bool:
    """Tell whether `schema` accepts the same instances read under either dialect.

    False where it uses a keyword one of them lacks, or one they read differently:
    exclusive bounds, `const`, `dependencies`, tuple `items`, `nullable`, an id, or
    keywords beside a `$ref`. (Draft 4 also rejects 1.0 as an integer, which is not
    counted; see docs/policies.md.)
    """
    from schemagate.resolve.keywords import walk_nodes

    if first is second:
        return True
    differs = _differing_keywords(first, second)
    tuples_differ = Dialect.DRAFT2020 in (first, second)
    siblings_differ = first.ref_overrides_siblings != second.ref_overrides_siblings
    for node in walk_nodes(schema):
        if not differs.isdisjoint(node):
            return False
        if tuples_differ and isinstance(node.get("items"), list):
            return False
        if siblings_differ and "$ref" in node and len(node) > 1:
            return False
    return True


# File name suffixes of schema files, in folders the commands read.
SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")
# The component the registry's OpenAPI documents use for the event envelope.
ENVELOPE_COMPONENT = "AWSEvent"
# Key under which a document with several root components keeps the union of them.
SYNTHETIC_ROOT = "x-schemagate-root"


@dataclass(frozen=True)
class SchemaDocument:
    """A parsed schema document and the pointer to the schema its events are valid under.

    `root_pointer` is `#` for JSON Schema documents, the `AWSEvent` component for
    registry OpenAPI documents, and a union of all components for OpenAPI documents
    with several top-level event schemas.
    """

    source: str
    data: dict[str, Any]
    kind: Kind
    dialect: Dialect
    root_pointer: str
    text: str = field(repr=False, default="")
    path: Path | None = None
    # True where `text` is JSON, so that every key of `data` is spelled in it unless a
    # `\u` escape spells it.
    json_text: bool = False
    # True where every number is exact as a double; None where that was not checked.
    exact_numbers: bool | None = None
    # Every key of every object in `data` where the text is JSON, or None where unknown.
    keys: frozenset[str] | None = None

    @property
    def envelope(self) -> bool:
        return self.root_pointer == f"#/components/schemas/{ENVELOPE_COMPONENT}"


def load_file(path: Path) -> SchemaDocument:
    """Read and classify one schema file (JSON or YAML)."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(source, "file not found") from None
    except IsADirectoryError:
        raise DocumentError(source, "is a folder, expected a schema file") from None
    except OSError as exc:
        raise DocumentError(source, f"cannot read file ({exc.strerror})") from None
    yaml_hint = path.suffix.lower() in (".yaml", ".yml")
    json_only = path.suffix.lower() == ".json"
    return load_text(
        decode(raw, source), source, yaml_hint=yaml_hint, json_only=json_only, path=path
    )


def load_text(
    text: str,
    source: str,
    *,
    yaml_hint: bool = False,
    json_only: bool = False,
    path: Path | None = None,
) -> SchemaDocument:
    """Parse and classify a schema document from text, such as a registry version's content."""
    if not text.strip():
        raise DocumentError(source, "document is empty")
    parsed = parse_source(text, source, yaml_hint=yaml_hint, json_only=json_only)
    data = parsed.data
    if not isinstance(data, dict):
        raise DocumentError(
            source,
            f"top level is {_json_type(data)}, expected an object (OpenAPI 3 or JSON Schema)",
        )
    if "openapi" in data:
        root = _checked_openapi_root(data, source)
        kind, dialect = Kind.OPENAPI3, Dialect.OPENAPI30
    elif _looks_like_json_schema(data):
        _check_root_type(data, source)
        kind, dialect, root = Kind.JSONSCHEMA, _json_schema_dialect(data, source), "#"
    else:
        raise _neither_format(data, source)
    document = SchemaDocument(
        source,
        data,
        kind,
        dialect,
        root,
        text,
        path,
        parsed.json,
        parsed.exact_numbers,
        parsed.keys,
    )
    check_metaschema(source, text, document.dialect.value, _top_schemas(document))
    return document


def _top_schemas(document: SchemaDocument) -> Iterator[tuple[str, Any]]:
    if document.kind is Kind.JSONSCHEMA:
        yield "#", document.data
        return
    for name, schema in document.data["components"]["schemas"].items():
        yield f"#/components/schemas/{_escape(name)}", schema


def _neither_format(data: dict[str, Any], source: str) -> DocumentError:
    return DocumentError(
        source,
        "neither an OpenAPI 3 document (no 'openapi' key) nor a JSON Schema (keys "
        f"{', '.join(repr(k) for k in _unknown_keys(data)[:3])} are not JSON Schema keywords)",
    )


def _checked_openapi_root(data: dict[str, Any], source: str) -> str:
    """Return the root pointer of an OpenAPI document, or raise DocumentError."""
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise DocumentError(source, f"unsupported openapi version {version!r}; expected 3.0.x")
    components = (
        data.get("components", {}).get("schemas")
        if isinstance(data.get("components"), dict)
        else None
    )
    if not isinstance(components, dict) or not components:
        raise DocumentError(source, "OpenAPI document has no components/schemas to check")
    for name, schema in components.items():
        if not isinstance(schema, dict | bool):
            raise DocumentError(source, f"component {name!r} is not a schema object")
    return _openapi_root(data, components)


def _openapi_root(data: dict[str, Any], components: dict[str, Any]) -> str:
    if ENVELOPE_COMPONENT in components:
        return f"#/components/schemas/{ENVELOPE_COMPONENT}"
    title = data.get("info", {}).get("title") if isinstance(data.get("info"), dict) else None
    if isinstance(title, str) and title in components:
        return f"#/components/schemas/{_escape(title)}"
    events = event_components(components)
    if len(events) == 1:
        return f"#/components/schemas/{_escape(events[0])}"
    return f"#/{SYNTHETIC_ROOT}"


def event_components(components: dict[str, Any]) -> list[str]:
    """Return the components of an OpenAPI document without `AWSEvent` that are events.

    A component another one reaches through `$ref` is a part of events (an `Address`
    of an `Order`), not an event: extracting one is a refactor. Where every component is
    referenced (a cycle), all of them are events.
    """
    referenced = set()
    for name, schema in components.items():
        text = json.dumps(schema)
        for other in components:
            pointer = f"#/components/schemas/{_escape(other)}"
            # A reference names the component itself, or a schema inside it. Its `%`
            # starts an escape (`%25` for `%`), unless no escape follows it.
            spellings = {pointer.replace("%", "%25")}
            if unquote(pointer) == pointer:
                spellings.add(pointer)
            for target in spellings:
                if other != name and (f'"{target}"' in text or f'"{target}/' in text):
                    referenced.add(other)
    events = [name for name in components if name not in referenced]
    return events or list(components)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# Every keyword of JSON Schema drafts 4 to 2020-12, validation and annotation alike.
JSON_SCHEMA_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$ref",
        "$defs",
        "definitions",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$vocabulary",
        "$comment",
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "items",
        "additionalItems",
        "prefixItems",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "format",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})


def _looks_like_json_schema(data: dict[str, Any]) -> bool:
    """Tell a JSON Schema from other JSON: every key is a keyword or an `x-` extension.

    The empty object is a schema that accepts everything.
    """
    if "$schema" in data:
        return True
    return all(key in JSON_SCHEMA_KEYWORDS or key.startswith("x-") for key in data)


def _unknown_keys(data: dict[str, Any]) -> list[str]:
    return [k for k in data if k not in JSON_SCHEMA_KEYWORDS and not k.startswith("x-")]


def _check_root_type(data: dict[str, Any], source: str) -> None:
    declared = data.get("type")
    names = declared if isinstance(declared, list) else [declared]
    for name in names:
        if name is not None and name not in JSON_TYPES:
            raise DocumentError(
                source,
                f"type {name!r} is not a JSON Schema type; use one of "
                f"{', '.join(sorted(JSON_TYPES))}",
            )


def _json_schema_dialect(data: dict[str, Any], source: str) -> Dialect:
    declared = data.get("$schema")
    if declared is None:
        return Dialect.DRAFT4
    if not isinstance(declared, str):
        raise DocumentError(source, f"$schema must be a string, got {declared!r}")
    normal = declared.split("://", 1)[-1].rstrip("#")
    dialect = _DIALECT_BY_URI.get(normal)
    if dialect is None:
        raise DocumentError(
            source, f"unknown $schema {declared!r}; use draft-04, -06, -07, 2019-09 or 2020-12"
        )
    return dialect


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
