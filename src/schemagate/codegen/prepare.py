"""Rewrite a schema document into the input the model generator gets.

The generator gets a copy that is safe and stable to generate from:

- every `$ref` is checked first, so a dangling reference fails with the loader's message;
- components and definitions are renamed to the class names chosen in `naming`, and
  every `$ref` and discriminator mapping is rewritten to match;
- keys are sorted, so the output does not depend on the key order of the input;
- extension keywords (`x-...`) and the generator's own code-bearing keywords
  (`customTypePath`, `customBasePath`) are removed, so schema text never becomes code;
- `additionalProperties: false` is dropped (bindings are tolerant readers), titles are
  dropped (they would rename classes), and every `format` except the date and time
  ones is dropped, so the bindings need no package beyond pydantic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from schemagate.codegen.naming import assign_class_names, class_base_name, short_hash
from schemagate.load.document import ENVELOPE_COMPONENT, SYNTHETIC_ROOT, Kind, SchemaDocument
from schemagate.resolve import Resolver
from schemagate.resolve.keywords import LIST, MAP, SINGLE, escape, unescape

# Formats the bindings parse into Python types: `date-time` becomes a plain `datetime`,
# which accepts timestamps with and without an offset, as EventBridge sends them.
KEPT_FORMATS = frozenset({"date-time", "date", "time"})
# Keywords through which datamodel-code-generator lets a schema name Python imports.
CODE_KEYWORDS = frozenset({"customTypePath", "customBasePath"})
SOURCE_KEY = "x-amazon-events-source"
DETAIL_TYPE_KEY = "x-amazon-events-detail-type"
COMPONENTS_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Route:
    """The `source` and `detail-type` an event type is recognised by; None matches any."""

    source: str | None
    detail_type: str | None

    @property
    def routable(self) -> bool:
        return self.source is not None or self.detail_type is not None


@dataclass(frozen=True)
class PreparedSchema:
    """A document ready for the generator, with the names the package refers to."""

    data: dict[str, Any]
    openapi: bool
    root_class: str
    route: Route
    content_hash: str


def content_hash(document: SchemaDocument) -> str:
    """Return the SHA-256 of the document's canonical JSON, independent of key order."""
    canonical = json.dumps(document.data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def prepare(document: SchemaDocument) -> PreparedSchema:
    """Check and rewrite one document; raises DocumentError for a dangling `$ref`."""
    resolver = Resolver(document)
    resolver.check_references()
    route = find_route(document, resolver)
    if document.kind is Kind.OPENAPI3:
        data, root_class = _openapi_input(document, resolver)
    else:
        data, root_class = _json_schema_input(document, resolver)
    return PreparedSchema(
        data=_sorted(data),
        openapi=document.kind is Kind.OPENAPI3,
        root_class=root_class,
        route=route,
        content_hash=content_hash(document),
    )


def _openapi_input(document: SchemaDocument, resolver: Resolver) -> tuple[dict[str, Any], str]:
    components: dict[str, Any] = document.data["components"]["schemas"]
    root_class = None
    taken: set[str] = set()
    if document.root_pointer == f"#/{SYNTHETIC_ROOT}":
        component_classes = {class_base_name(name) for name in components}
        root_class = _free_name(_document_title(document), component_classes)
        taken.add(root_class)
    names = assign_class_names(components, taken)
    renamer = _RefRenamer(resolver, COMPONENTS_PREFIX, names)
    schemas = {
        names[name]: renamer.clean(schema, COMPONENTS_PREFIX + escape(name))
        for name, schema in components.items()
    }
    if root_class is None:
        root_name = unescape(document.root_pointer[len(COMPONENTS_PREFIX) :])
        root_class = names[root_name]
    else:
        schemas[root_class] = {
            "anyOf": [{"$ref": COMPONENTS_PREFIX + names[name]} for name in sorted(components)]
        }
    data = {
        "openapi": document.data["openapi"],
        "info": {"title": root_class, "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return data, root_class


def _json_schema_input(document: SchemaDocument, resolver: Resolver) -> tuple[dict[str, Any], str]:
    data = document.data
    containers = [key for key in ("definitions", "$defs") if isinstance(data.get(key), dict)]
    originals = [name for key in containers for name in data[key]]
    taken_by_definitions = {class_base_name(name) for name in originals}
    root_class = _free_name(_json_schema_root_name(document), taken_by_definitions)
    # A name used in both containers would collide; `definitions` wins, as draft 4 reads it.
    names: dict[str, dict[str, str]] = {}
    used = {root_class}
    for key in containers:
        names[key] = assign_class_names(data[key], used)
        used.update(names[key].values())
    renamer = _RefRenamer(resolver, "#/", {})
    for key in containers:
        renamer.add_container(f"#/{escape(key)}/", names[key])
    cleaned = renamer.clean({k: v for k, v in data.items() if k not in containers}, "#")
    for key in containers:
        cleaned[key] = {
            names[key][name]: renamer.clean(schema, f"#/{escape(key)}/{escape(name)}")
            for name, schema in data[key].items()
        }
    return cleaned, root_class


def _json_schema_root_name(document: SchemaDocument) -> str:
    properties = document.data.get("properties")
    if not isinstance(properties, dict) or "detail" not in properties:
        return _document_title(document)
    if "detail-type" in properties or "source" in properties:
        return ENVELOPE_COMPONENT
    return _document_title(document)


def _document_title(document: SchemaDocument) -> str:
    title = document.data.get("title")
    info = document.data.get("info")
    if title is None and isinstance(info, dict):
        title = info.get("title")
    return class_base_name(title) if isinstance(title, str) and title else "Event"


def _free_name(preferred: str, taken: set[str]) -> str:
    for candidate in (preferred, preferred + "Event", preferred + "Root"):
        if candidate not in taken:
            return candidate
    return preferred + short_hash(preferred)


class _RefRenamer:
    """Copy schemas without unsafe keywords, pointing `$ref`s at renamed containers."""

    def __init__(self, resolver: Resolver, prefix: str, names: dict[str, str]) -> None:
        self.resolver = resolver
        self.containers: list[tuple[str, dict[str, str]]] = []
        if names:
            self.containers.append((prefix, names))

    def add_container(self, prefix: str, names: dict[str, str]) -> None:
        self.containers.append((prefix, names))

    def clean(self, schema: Any, pointer: str, in_all_of: bool = False) -> Any:
        if not isinstance(schema, dict):
            return schema
        result: dict[str, Any] = {}
        if not in_all_of:
            schema = _with_required_properties(schema)
        for key, value in schema.items():
            if _dropped(key, value):
                continue
            where = f"{pointer}/{escape(key)}"
            if key == "$ref" and isinstance(value, str):
                result[key] = self.rename(value, pointer)
            elif key == "discriminator" and isinstance(value, dict):
                result[key] = self._discriminator(value, pointer)
            elif key in SINGLE or (key == "items" and isinstance(value, dict)):
                result[key] = self.clean(value, where)
            elif key in LIST or (key == "items" and isinstance(value, list)):
                items = value if isinstance(value, list) else []
                result[key] = [
                    self.clean(item, f"{where}/{i}", in_all_of=key == "allOf")
                    for i, item in enumerate(items)
                ]
            elif key in MAP and isinstance(value, dict):
                result[key] = {
                    name: self.clean(item, f"{where}/{escape(name)}")
                    for name, item in value.items()
                }
            else:
                result[key] = value
        return result

    def rename(self, ref: str, at: str) -> str:
        """Return the rewritten form of a `$ref` found at pointer `at`."""
        target = self.resolver.target(ref, at)
        for prefix, names in self.containers:
            if not target.startswith(prefix):
                continue
            token, slash, rest = target[len(prefix) :].partition("/")
            name = unescape(token)
            if name in names:
                return prefix + names[name] + slash + rest
        return target

    def _discriminator(self, value: dict[str, Any], pointer: str) -> dict[str, Any]:
        result = {k: v for k, v in value.items() if not k.startswith("x-")}
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            # OpenAPI allows a bare component name as well as a reference.
            result["mapping"] = {
                tag: self.rename(_mapping_ref(ref), pointer)
                for tag, ref in mapping.items()
                if isinstance(ref, str)
            }
        return result


def _mapping_ref(value: str) -> str:
    return value if value.startswith("#") else COMPONENTS_PREFIX + escape(value)


def _with_required_properties(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare required names that `properties` lacks as any-value properties.

    JSON Schema requires such a name to be present with any value, but the generator
    would leave it out of the model. An `allOf` branch is left as it is, because its
    required names usually refer to properties that another branch declares.
    """
    required = schema.get("required")
    properties = schema.get("properties")
    if not isinstance(required, list) or not isinstance(properties, dict):
        return schema
    if any(key in schema for key in ("allOf", "anyOf", "oneOf")):
        return schema
    missing = [name for name in required if isinstance(name, str) and name not in properties]
    if not missing:
        return schema
    return {**schema, "properties": {**properties, **{name: {} for name in missing}}}


def _dropped(key: str, value: Any) -> bool:
    if key.startswith("x-") or key in CODE_KEYWORDS or key == "title":
        return True
    if key == "format":
        return value not in KEPT_FORMATS
    return key == "additionalProperties" and value is False


def find_route(document: SchemaDocument, resolver: Resolver) -> Route:
    """Find the `source` and `detail-type` of the document's event type, where fixed.

    The registry's extensions on the root schema come first. Without them, a root
    property with a single `enum` value or a `const` fixes the value.
    """
    found, root = _lookup(resolver, document.root_pointer)
    if not found or not isinstance(root, dict):
        return Route(None, None)
    source = root.get(SOURCE_KEY)
    detail_type = root.get(DETAIL_TYPE_KEY)
    if not isinstance(source, str):
        source = _fixed_property(resolver, root, "source", document.root_pointer)
    if not isinstance(detail_type, str):
        detail_type = _fixed_property(resolver, root, "detail-type", document.root_pointer)
    return Route(source, detail_type)


def _lookup(resolver: Resolver, pointer: str) -> tuple[bool, Any]:
    if pointer == f"#/{SYNTHETIC_ROOT}":
        return False, None
    return True, resolver.lookup(pointer)


def _fixed_property(resolver: Resolver, root: dict[str, Any], name: str, at: str) -> str | None:
    properties = root.get("properties")
    if not isinstance(properties, dict) or name not in properties:
        return None
    return _fixed_value(resolver, properties[name], f"{at}/properties/{escape(name)}", depth=0)


def _fixed_value(resolver: Resolver, schema: Any, pointer: str, depth: int) -> str | None:
    if depth > 8:
        return None
    pointer, schema = resolver.resolve(pointer, schema)
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return str(schema["const"])
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    for index, member in enumerate(schema.get("allOf") or []):
        value = _fixed_value(resolver, member, f"{pointer}/allOf/{index}", depth + 1)
        if value is not None:
            return value
    return None


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
