"""Validators that prove a witness: the reader's view of each document under a policy.

Under the tolerant policy a reader ignores properties its schema does not declare, so
the reader's view drops `additionalProperties: false` (and `unevaluatedProperties:
false`). OpenAPI 3.0 documents are validated as draft 4 with `nullable: true` turned
into a `"null"` type, which is how OpenAPI 3.0 defines it.

Whole events, and member examples under schemas without references, are validated
with jsonschema-rs where the document uses only keywords it reads as jsonschema does
(drafts 4 to 7 and OpenAPI 3.0, without patterns and a few other keywords), and with
jsonschema otherwise. Tests compare both on every value the rule cases validate.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from schemagate import compiled
from schemagate.diff.patterns import PatternTimedOut, bounded
from schemagate.load.document import Dialect, Kind, SchemaDocument
from schemagate.load.source import plain_numbers
from schemagate.modes import Direction, Policy
from schemagate.resolve.keywords import (
    LIST,
    MAP,
    SINGLE,
    as_reference,
    is_index,
    unescape,
    walk_nodes,
)
from schemagate.resolve.refs import METASCHEMA_ROOT, Resolver, keywords_of

_SCHEMA_URIS = {
    Dialect.DRAFT4: "http://json-schema.org/draft-04/schema#",
    Dialect.OPENAPI30: "http://json-schema.org/draft-04/schema#",
    Dialect.DRAFT6: "http://json-schema.org/draft-06/schema#",
    Dialect.DRAFT7: "http://json-schema.org/draft-07/schema#",
    Dialect.DRAFT2019: "https://json-schema.org/draft/2019-09/schema",
    Dialect.DRAFT2020: "https://json-schema.org/draft/2020-12/schema",
}

# The keywords jsonschema-rs asserts as jsonschema does, with numbers exact as doubles,
# under the drafts it validates witnesses for. Left out: `pattern` and
# `patternProperties` (ECMA-262 regular expressions against Python's `re`),
# `multipleOf` (another rounding of fractions) and `uniqueItems` (jsonschema sorts the
# items and compares neighbours, so [[1], [true], [1]] passes there).
_DRAFT4_ALIKE = frozenset(
    {
        "$ref",
        "additionalItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "definitions",
        "dependencies",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "not",
        "oneOf",
        "properties",
        "required",
        "type",
    }
)
_DRAFT6_ALIKE = _DRAFT4_ALIKE | {"const", "contains", "propertyNames"}
_READ_ALIKE = {
    Dialect.DRAFT4: _DRAFT4_ALIKE,
    Dialect.OPENAPI30: _DRAFT4_ALIKE,
    Dialect.DRAFT6: _DRAFT6_ALIKE,
    Dialect.DRAFT7: _DRAFT6_ALIKE | {"if", "then", "else"},
}
# Every keyword some draft reads, but `$defs`, which only contains schemas that count
# where a reference reaches them. Outside the sets above, each is one jsonschema-rs may
# read otherwise (`contentMediaType` is asserted in draft 7), or one that changes how
# references resolve (an `$id` below the root).
_KEYWORDS = _READ_ALIKE[Dialect.DRAFT7] | {
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$id",
    "$recursiveAnchor",
    "$recursiveRef",
    "$schema",
    "$vocabulary",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "dependentRequired",
    "dependentSchemas",
    "id",
    "maxContains",
    "minContains",
    "multipleOf",
    "pattern",
    "patternProperties",
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "uniqueItems",
}
# Per dialect, the keywords that keep jsonschema-rs from validating witnesses.
_OTHER_KEYWORDS = {dialect: frozenset(_KEYWORDS - alike) for dialect, alike in _READ_ALIKE.items()}
# Keywords that only the root may contain: below it, an id would change where references
# resolve.
_ROOT_ONLY = frozenset({"$schema", "$id", "id"})


class DocumentValidator:
    """Validate instances against a document's root, or any pointer in it, in one view."""

    def __init__(self, resolver: Resolver, policy: Policy) -> None:
        self.resolver = resolver
        self.policy = policy
        self._local: dict[tuple[str, bool], Any] = {}
        self._local_compiled: dict[tuple[str, bool], Any] = {}
        self._root_results: dict[str, bool] = {}

    @functools.cached_property
    def _root_schema(self) -> dict[str, Any]:
        """The schema whole events are validated against: the view, from its root."""
        root_pointer = self.resolver.document.root_pointer
        if root_pointer == "#":
            schema = self.view
        else:
            schema = {**self.view, "$ref": as_reference(root_pointer)}
        if self.resolver.document.kind is Kind.OPENAPI3:
            schema = {key: value for key, value in schema.items() if key != "$schema"}
        return schema

    # The view and the validators are built on first use: importing jsonschema takes
    # about 65 ms (python -X importtime, jsonschema 4.26), and a diff that finds nothing
    # to prove, or proves it with jsonschema-rs and no format, never needs it.
    @functools.cached_property
    def view(self) -> dict[str, Any]:
        return reader_view(self.resolver, self.policy)

    @functools.cached_property
    def _root(self) -> Any:
        import jsonschema
        import jsonschema.validators

        uri = _SCHEMA_URIS[self.resolver.document.dialect]
        cls = bounded(jsonschema.validators.validator_for({"$schema": uri}))
        return cls(self._root_schema, format_checker=self.format_checker)

    @functools.cached_property
    def _alike(self) -> frozenset[str] | None:
        """Formats of the document where jsonschema-rs reads every keyword of the view
        as jsonschema does, or None where it may not."""
        if not compiled.has_witness_class(self.resolver.document.dialect):
            return None
        return _alike_formats(self.resolver, self.view)

    @functools.cached_property
    def _compiled(self) -> Any:
        """jsonschema-rs's validator of whole events where it reads the view as
        jsonschema does, or None otherwise."""
        formats = self._alike
        if formats is None:
            return None
        dialect = self.resolver.document.dialect
        return compiled.witness_validator(self._root_schema, dialect, formats)

    @property
    def format_checker(self) -> Any:
        """jsonschema's checker of the formats that count in the document's dialect."""
        return compiled.format_checker(self.resolver.document.dialect.value)

    def is_valid(
        self, instance: Any, pointer: str | None = None, *, without_unions: bool = False
    ) -> bool:
        """Tell whether `instance` is valid at `pointer` (the document's root by default).

        With `without_unions`, the schema at `pointer` is used without its `anyOf` and
        `oneOf`, as when one branch of them is checked separately.
        """
        if pointer is None:
            # Several changes often propose the same witness. Its `repr` distinguishes
            # 1, 1.0 and True, which Python's `==` and hashing do not, and costs less
            # than its JSON text.
            text = repr(instance)
            found = self._root_results.get(text)
            if found is None:
                found = self._root_results[text] = self._root_accepts(instance)
            return found
        key = (pointer, without_unions)
        if key in self._local_compiled:
            fast = self._local_compiled[key]
        else:
            fast = self._local_compiled[key] = self._compiled_at(pointer, without_unions)
        verdict = _fast_verdict(fast, instance)
        if verdict is not None:
            return verdict
        return self._local_accepts(instance, pointer, without_unions)

    def _local_accepts(self, instance: Any, pointer: str, without_unions: bool) -> bool:
        """Tell with jsonschema whether `instance` is valid at `pointer`."""
        key = (pointer, without_unions)
        validator = self._local.get(key)
        if validator is None:
            schema = self._schema_at(pointer, without_unions)
            validator = self._root.evolve(schema=schema, _resolver=self._scope(pointer))
            self._local[key] = validator
        return bool(validator.is_valid(instance))

    def _root_accepts(self, instance: Any) -> bool:
        verdict = _fast_verdict(self._compiled, instance)
        if verdict is not None:
            return verdict
        return bool(self._root.is_valid(instance))

    def _compiled_at(self, pointer: str, without_unions: bool) -> Any:
        """Return jsonschema-rs's validator of the schema at `pointer`, or None unless
        jsonschema-rs reads the view as jsonschema does and no reference sits at or
        below `pointer`.

        Such a schema compiles alone in a few microseconds, where jsonschema's validator
        of the document takes tens to build.
        """
        formats = self._alike
        if formats is None or not self.resolver.self_contained(pointer):
            return None
        schema = self._schema_at(pointer, without_unions)
        if not isinstance(schema, dict):
            return None
        return compiled.witness_validator(schema, self.resolver.document.dialect, formats)

    def _schema_at(self, pointer: str, without_unions: bool) -> Any:
        schema = self._lookup(pointer)
        if without_unions and isinstance(schema, dict):
            schema = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
        return schema

    def _scope(self, pointer: str) -> Any:
        """Return jsonschema's reference resolver in the base URI scope of `pointer`.

        A subschema under an `id`/`$id` resolves relative references against that id,
        so a validator for it must start in that scope rather than at the root's.
        """
        root_resolver = self._root._resolver
        if pointer.startswith(f"#/{METASCHEMA_ROOT}/"):
            # jsonschema crawls no unknown keyword, so a mounted metaschema is looked up
            # under its own URI, which jsonschema's registry holds.
            uri, _, rest = pointer[len(METASCHEMA_ROOT) + 3 :].partition("/")
            target = f"{unescape(uri)}#/{rest}" if rest else f"{unescape(uri)}#"
            return root_resolver.lookup(target).resolver
        if pointer in ("#", "") or not self.resolver.embeds_resources:
            return root_resolver
        return root_resolver.lookup(pointer).resolver

    def _lookup(self, pointer: str) -> Any:
        node: Any = self.view
        if pointer in ("#", ""):
            return node
        from schemagate.resolve.keywords import unescape

        for raw in pointer[2:].split("/"):
            token = unescape(raw)
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def _fast_verdict(validator: Any, instance: Any) -> bool | None:
    """Return jsonschema-rs's verdict on `instance`, or None where jsonschema decides:
    no validator, a number not exact as a double, or a value jsonschema-rs cannot read
    (such as a string with a lone surrogate)."""
    if validator is None or not plain_numbers(instance):
        return None
    try:
        return bool(validator.is_valid(instance))
    except Exception:
        return None


def reader_view(resolver: Resolver, policy: Policy) -> dict[str, Any]:
    """Return the document in the form a reader validates with under `policy`.

    The document itself is returned when the view changes nothing; the view is never
    modified afterwards, so sharing it is safe.
    """
    openapi = resolver.document.kind is Kind.OPENAPI3
    if resolver.view_edits is not None:
        closed, nullable = resolver.view_edits
        if not (closed and policy is Policy.TOLERANT) and not (nullable and openapi):
            return resolver.data
    else:
        schemas = _document_schemas(resolver.data, openapi)
        if not any(_edit(schema, policy, openapi, dry_run=True) for schema in schemas):
            return resolver.data
    # A JSON round trip copies parsed documents several times faster than deepcopy.
    view: dict[str, Any] = json.loads(json.dumps(resolver.data))
    for schema in _document_schemas(view, openapi):
        _edit(schema, policy, openapi)
    return view


def _alike_formats(resolver: Resolver, view: dict[str, Any]) -> frozenset[str] | None:
    """Return the formats of `resolver`'s document where jsonschema-rs reads its view as
    jsonschema does, or None where it may not.

    It does where the document uses only keywords of the dialect's shared set,
    references that are JSON pointers to schema positions in it, no id below the root,
    and numbers exact as doubles. The view holds the document's keywords or fewer, and
    the same references.
    """
    document = resolver.document
    others = _OTHER_KEYWORDS[document.dialect]
    keywords = keywords_of(document, others)
    if keywords.nested_ids or METASCHEMA_ROOT in resolver.data:
        return None
    if keywords.names & others - _ROOT_ONLY:
        return None
    if not all(_schema_position(document, ref) for _, ref in resolver.references):
        return None
    exact = document.exact_numbers
    if not (plain_numbers(view) if exact is None else exact):
        return None
    return keywords.formats


def _schema_position(document: SchemaDocument, ref: Any) -> bool:
    """Tell whether a `$ref` is a JSON pointer ("#/a/b") to a schema position of the
    document: one reached from a top-level schema through keywords that contain schemas.

    A pointer with a percent sign is not one, as one validator may unescape it and the
    other not.
    """
    if not isinstance(ref, str) or "%" in ref or not (ref == "#" or ref.startswith("#/")):
        return False
    tokens = [unescape(raw) for raw in ref[2:].split("/")] if ref != "#" else []
    node: Any = document.data
    if document.kind is Kind.OPENAPI3:
        if len(tokens) < 3 or tokens[:2] != ["components", "schemas"]:
            return False
        node = node["components"]["schemas"].get(tokens[2])
        tokens = tokens[3:]
    tokens.reverse()
    while tokens:
        if not isinstance(node, dict):
            return False
        key = tokens.pop()
        value = node.get(key)
        if key in SINGLE or (key == "items" and isinstance(value, dict | bool)):
            node = value
        elif key in LIST or key == "items" or key in MAP or key == "dependencies":
            if not tokens:
                return False
            token = tokens.pop()
            if isinstance(value, list) and is_index(token) and int(token) < len(value):
                node = value[int(token)]
            elif isinstance(value, dict) and key != "items" and key not in LIST:
                node = value.get(token)
            else:
                return False
        else:
            return False
    return isinstance(node, dict | bool)


def _document_schemas(data: dict[str, Any], openapi: bool) -> Iterator[dict[str, Any]]:
    """Yield every object schema of a resolver's data (with OpenAPI's synthetic parts)."""
    if openapi:
        for schema in data["components"]["schemas"].values():
            yield from walk_nodes(schema)
        for key, value in data.items():
            if key.startswith("x-schemagate"):
                yield from walk_nodes(value)
    else:
        yield from walk_nodes(data)


def _edit(schema: dict[str, Any], policy: Policy, openapi: bool, *, dry_run: bool = False) -> bool:
    """Apply the reader's view to one schema; with `dry_run`, only tell whether it would."""
    edits = False
    if openapi and schema.get("nullable") is True:
        edits = True
        if not dry_run:
            _apply_nullable(schema)
    if policy is Policy.TOLERANT:
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if schema.get(keyword) is False:
                edits = True
                if not dry_run:
                    del schema[keyword]
    return edits


def _apply_nullable(schema: dict[str, Any]) -> None:
    if schema.get("nullable") is not True:
        return
    declared = schema.get("type")
    if isinstance(declared, str):
        schema["type"] = [declared, "null"]
    elif isinstance(declared, list) and "null" not in declared:
        schema["type"] = [*declared, "null"]


class Prover:
    """Check that an event is a witness: valid for one side's reader, invalid for the other's."""

    def __init__(
        self,
        old: DocumentValidator,
        new: DocumentValidator,
        old_pointer: str | None = None,
        new_pointer: str | None = None,
    ) -> None:
        # Pointers name the schemas events are checked against: each document's root
        # by default, or one component of each when components are compared by name.
        self.old = old
        self.new = new
        self.old_pointer = old_pointer
        self.new_pointer = new_pointer

    def target_rejects(self, direction: Direction, instance: Any) -> bool:
        """Tell whether the side a witness in `direction` goes to rejects `instance`.
        Return False where a pattern left its validity unknown."""
        try:
            return not self._target_accepts(direction, instance)
        except PatternTimedOut:
            return False

    def source_accepts(self, direction: Direction, instance: Any) -> bool:
        """Tell whether the side a witness in `direction` comes from accepts `instance`:
        the old side for backward, the new side for forward."""
        try:
            if direction is Direction.BACKWARD:
                return self.old.is_valid(instance, self.old_pointer)
            return self.new.is_valid(instance, self.new_pointer)
        except PatternTimedOut:
            return False

    def _target_accepts(self, direction: Direction, instance: Any) -> bool:
        if direction is Direction.BACKWARD:
            return self.new.is_valid(instance, self.new_pointer)
        return self.old.is_valid(instance, self.old_pointer)
