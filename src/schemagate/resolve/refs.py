"""Local `$ref` resolution. Remote and file references are rejected, never fetched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from schemagate.errors import DocumentError
from schemagate.load.document import SYNTHETIC_ROOT, Kind, SchemaDocument
from schemagate.resolve.keywords import escape, unescape, walk_schemas


class Resolver:
    """Look up JSON pointers and follow `$ref`s inside one document."""

    def __init__(self, document: SchemaDocument) -> None:
        self.document = document
        self.data = _with_synthetic_root(document)
        self._own_ids = _own_ids(document.data)
        self._anchor_index: dict[str, str] | None = None

    def lookup(self, pointer: str) -> Any:
        """Return the value at a `#/...` pointer, or raise DocumentError naming it."""
        found, value = self._find(pointer)
        if not found:
            raise DocumentError(self.document.source, f"pointer {pointer!r} not found")
        return value

    def target(self, ref: str, at: str) -> str:
        """Return the local pointer a `$ref` found at pointer `at` refers to."""
        base, _, fragment = ref.partition("#")
        if base and base.rstrip("/") not in self._own_ids:
            kind = "remote" if "://" in base else "file"
            raise DocumentError(
                self.document.source,
                f"{kind} $ref {ref!r} at {at} is not fetched; bundle it into "
                "the document's definitions",
            )
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            if self._anchor_index is None:
                self._anchor_index = _anchors(_walk_document(self.document.kind, self.data))
            anchor = self._anchor_index.get(fragment)
            if anchor is None:
                raise DocumentError(
                    self.document.source, f"$ref {ref!r} at {at}: anchor {fragment!r} not found"
                )
            return anchor
        pointer = "#" + fragment
        found, _ = self._find(pointer)
        if found:
            return pointer
        lenient = self._component_by_literal_name(pointer)
        if lenient is not None:
            return lenient
        raise DocumentError(
            self.document.source,
            f"$ref {ref!r} at {at} points to nothing (dangling reference); fix the pointer "
            "or add the missing definition",
        )

    def resolve(self, pointer: str, schema: Any) -> tuple[str, Any]:
        """Follow a chain of `$ref`s whose siblings are ignored, detecting cycles."""
        seen = {pointer}
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            if not self.document.dialect.ref_overrides_siblings:
                return pointer, schema
            pointer = self.target(schema["$ref"], pointer)
            if pointer in seen:
                raise DocumentError(
                    self.document.source,
                    f"$ref cycle through {pointer!r} never reaches a schema",
                )
            seen.add(pointer)
            schema = self.lookup(pointer)
        return pointer, schema

    def schema_roots(self) -> list[tuple[str, Any]]:
        """List the top-level schema positions: the document, or each OpenAPI component."""
        return _schema_roots(self.document.kind, self.data)

    def check_references(self) -> None:
        """Resolve every `$ref` in the document once, so bad ones fail before any diff."""
        for where, schema in _walk_document(self.document.kind, self.data):
            if isinstance(schema, dict) and "$ref" in schema:
                ref = schema["$ref"]
                if not isinstance(ref, str):
                    raise DocumentError(self.document.source, f"$ref at {where} is not a string")
                self.resolve(self.target(ref, where), self.lookup(self.target(ref, where)))

    def _find(self, pointer: str) -> tuple[bool, Any]:
        if pointer in ("#", ""):
            return True, self.data
        if not pointer.startswith("#/"):
            return False, None
        node: Any = self.data
        for raw in pointer[2:].split("/"):
            token = unescape(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return False, None
        return True, node

    def _component_by_literal_name(self, pointer: str) -> str | None:
        # Registry tooling writes refs to component names containing `/` without
        # escaping them; accept the literal name when it exists.
        prefix = "#/components/schemas/"
        if self.document.kind is not Kind.OPENAPI3 or not pointer.startswith(prefix):
            return None
        name = unescape(pointer[len(prefix) :])
        components = self.data.get("components", {}).get("schemas", {})
        if name in components:
            return prefix + escape(name)
        return None


def _with_synthetic_root(document: SchemaDocument) -> dict[str, Any]:
    if document.root_pointer != f"#/{SYNTHETIC_ROOT}":
        return document.data
    names = sorted(document.data["components"]["schemas"])
    union = {"anyOf": [{"$ref": f"#/components/schemas/{escape(name)}"} for name in names]}
    return {**document.data, SYNTHETIC_ROOT: union}


def _own_ids(data: dict[str, Any]) -> set[str]:
    ids = set()
    for key in ("$id", "id"):
        value = data.get(key)
        if isinstance(value, str) and value:
            ids.add(value.split("#", 1)[0].rstrip("/"))
    return ids


def _schema_roots(kind: Kind, data: dict[str, Any]) -> list[tuple[str, Any]]:
    if kind is not Kind.OPENAPI3:
        return [("#", data)]
    components = data["components"]["schemas"]
    roots = [
        (f"#/components/schemas/{escape(name)}", schema) for name, schema in components.items()
    ]
    if SYNTHETIC_ROOT in data:
        roots.append((f"#/{SYNTHETIC_ROOT}", data[SYNTHETIC_ROOT]))
    return roots


def _walk_document(kind: Kind, data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for pointer, schema in _schema_roots(kind, data):
        yield from walk_schemas(schema, pointer)


def _anchors(nodes: Iterator[tuple[str, Any]]) -> dict[str, str]:
    anchors: dict[str, str] = {}
    for where, schema in nodes:
        if not isinstance(schema, dict):
            continue
        anchor = schema.get("$anchor")
        if isinstance(anchor, str):
            anchors.setdefault(anchor, where)
        for key in ("id", "$id"):
            value = schema.get(key)
            if isinstance(value, str) and value.startswith("#") and len(value) > 1:
                anchors.setdefault(value[1:], where)
    return anchors
