"""Local `$ref` resolution. Remote and file references are rejected, never fetched, except
the draft 4, 6 and 7 metaschemas, which jsonschema ships and which are mounted locally.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin

from schemagate.errors import DocumentError
from schemagate.load.document import (
    SYNTHETIC_ROOT,
    Dialect,
    Kind,
    SchemaDocument,
    event_components,
)
from schemagate.resolve.keywords import (
    CONTAINING_KEYWORDS,
    REFERENCE_KEYWORDS,
    as_reference,
    child_schemas,
    escape,
    is_index,
    unescape,
    walk_nodes,
    walk_schemas,
)

# Key under which referenced draft metaschemas are mounted in the resolver's copy.
METASCHEMA_ROOT = "x-schemagate-metaschemas"
# Metaschemas that are single documents; later drafts split theirs into vocabularies.
METASCHEMA_URIS = frozenset(
    {
        "http://json-schema.org/draft-04/schema",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema",
    }
)


class Resolver:
    """Look up JSON pointers and follow `$ref`s inside one document."""

    def __init__(self, document: SchemaDocument) -> None:
        self.document = document
        id_key = document.dialect.id_keyword
        # Pointers are built only where a reference can be. A document whose text names
        # no reference keyword, in JSON or YAML and with no `\u` escape that could spell
        # one, is walked without them.
        text = document.text
        if not text or "\\u" in text or any(key in text for key in REFERENCE_KEYWORDS):
            index = _placed_index(document.kind, document.data, document.dialect, document.keys)
        elif document.json_text:
            index = _text_index(text, document.dialect)
        else:
            index = _index(_walk_unplaced(document.kind, document.data), document.dialect)
        self.data = _with_synthetic_root(document, _referenced_metaschemas(index.refs))
        self._refs = index.refs
        # Whether the document has schemas a reader's view edits; None when mounted
        # metaschemas are part of the data, which the index did not walk.
        self.view_edits: tuple[bool, bool] | None = (
            None if METASCHEMA_ROOT in self.data else (index.closed, index.nullable)
        )
        self._own_ids = _own_ids(document.data, id_key)
        self._anchor_index: dict[str, str] | None = None
        self._targets: dict[tuple[str, str], str] = {}
        self._found: dict[str, tuple[bool, Any]] = {}
        # Without an absolute `id`/`$id` anywhere, every reference resolves in the
        # document's own scope, and the scope walk is skipped.
        self._scope_index: tuple[dict[str, str], dict[str, str]] | None = (
            None if index.absolute_ids or METASCHEMA_ROOT in self.data else ({}, {})
        )

    def references_under(self, pointer: str) -> list[tuple[str, Any]]:
        """Return the references of the schema at `pointer` and of those below it, each
        with the pointer of the schema containing it."""
        if self.self_contained(pointer):
            return []
        ordered = self._sorted_refs
        prefix = f"{pointer}/"
        start = bisect.bisect_left(ordered, (pointer,))
        found = []
        for where, ref in itertools.islice(ordered, start, None):
            if where != pointer and not where.startswith(prefix):
                if where > prefix:
                    break
                continue
            found.append((where, ref))
        return found

    @functools.cached_property
    def _sorted_refs(self) -> list[tuple[str, Any]]:
        return sorted(self._refs, key=lambda item: item[0])

    def is_own_node(self, pointer: str, schema: Any) -> bool:
        """Tell whether `schema` is the document's own node at `pointer`."""
        found, value = self._find(pointer)
        return found and value is schema

    @property
    def references(self) -> list[tuple[str, Any]]:
        """Every reference of the document, with the pointer of the schema containing it."""
        return self._refs

    @functools.cached_property
    def _ref_ancestors(self) -> frozenset[str]:
        """Pointers of the schemas with a reference at or below them."""
        ancestors = set()
        for where, _ in self._refs:
            pointer = where
            while pointer not in ancestors:
                ancestors.add(pointer)
                pointer = pointer.rpartition("/")[0]
                if not pointer:
                    break
        return frozenset(ancestors)

    def self_contained(self, pointer: str) -> bool:
        """Tell whether the schema at `pointer` has no reference keyword in it, so that
        its meaning depends on its own text alone.

        Pointers into the synthetic root or mounted metaschemas, which the index does not
        walk, are never self-contained.
        """
        if pointer.startswith((f"#/{METASCHEMA_ROOT}", f"#/{SYNTHETIC_ROOT}")):
            return False
        return pointer not in self._ref_ancestors

    @property
    def embeds_resources(self) -> bool:
        """True when subschemas declare absolute ids that start their own URI scope."""
        return bool(self._scopes()[1])

    def _scopes(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._scope_index is None:
            self._scope_index = _scopes(self.document, self.data)
        return self._scope_index

    def lookup(self, pointer: str) -> Any:
        """Return the value at a `#/...` pointer, or raise DocumentError naming it."""
        found, value = self._find(pointer)
        if not found:
            raise DocumentError(self.document.source, f"pointer {pointer!r} not found")
        return value

    def target(self, ref: str, at: str) -> str:
        """Return the local pointer a `$ref` found at pointer `at` refers to."""
        found = self._targets.get((ref, at))
        if found is None:
            found = self._targets[(ref, at)] = self._target(ref, at)
        return found

    def _target(self, ref: str, at: str) -> str:
        embedded = self._embedded_target(ref, at)
        if embedded is not None:
            return embedded
        base, _, fragment = ref.partition("#")
        if base and base.rstrip("/") not in self._own_ids:
            kind = "remote" if "://" in base else "file"
            id_key = self.document.dialect.id_keyword
            other = "$id" if id_key == "id" else "id"
            if f"{other!r}: " in repr(self.data):
                hint = (
                    f"; this draft names a schema with {id_key!r}, not {other!r}, so rename "
                    f"the {other!r} keys or declare the draft that uses them"
                )
            else:
                hint = "; bundle it into the document's definitions"
            raise DocumentError(
                self.document.source, f"{kind} $ref {ref!r} at {at} is not fetched{hint}"
            )
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            if self._anchor_index is None:
                nodes = _walk_document(self.document.kind, self.data)
                self._anchor_index = _anchors(nodes, self.document.dialect)
            anchor = self._anchor_index.get(fragment)
            if anchor is None:
                hint = ""
                if "'$anchor': " in repr(self.data) and not self.document.dialect.has_keyword(
                    "$anchor"
                ):
                    hint = "; $anchor counts from draft 2019-09, so declare that draft or later"
                raise DocumentError(
                    self.document.source,
                    f"$ref {ref!r} at {at}: anchor {fragment!r} not found{hint}",
                )
            return anchor
        pointer = "#" + fragment
        found, _ = self._find(pointer)
        if found:
            return self._canonical(pointer)
        lenient = self._component_by_literal_name(pointer)
        if lenient is not None:
            return lenient
        raise DocumentError(
            self.document.source,
            f"$ref {ref!r} at {at} points to nothing (dangling reference); fix the pointer "
            "or add the missing definition",
        )

    def _embedded_target(self, ref: str, at: str) -> str | None:
        """Resolve a reference to a schema embedded under its own `id`/`$id`, if any.

        The reference is resolved against the base URI in scope at `at`, as each draft
        defines it; a reference to a resource the document does not embed returns None.
        """
        resources = self._scopes()[1]
        if not resources:
            return None
        uri = urljoin(self._base_at(at), ref)
        resource, _, fragment = uri.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            return resources.get(uri)
        pointer = resources.get(resource)
        if pointer is None:
            return None
        target = pointer + fragment
        found, _ = self._find(target)
        return self._canonical(target) if found else None

    def _canonical(self, pointer: str) -> str:
        """Return an existing pointer as the document walk spells it.

        A reference may spell an index with leading zeros (`allOf/00`) or leave a `~` of
        a name unescaped, and still find its schema. Walks, caches and cycle checks
        compare pointers as text, so each schema keeps one spelling.
        """
        if pointer in ("#", ""):
            return "#"
        node: Any = self.data
        tokens = []
        for raw in pointer[2:].split("/"):
            if isinstance(node, list):
                index = int(raw)
                tokens.append(str(index))
                node = node[index]
            else:
                name = unescape(raw)
                tokens.append(escape(name))
                node = node[name]
        return "#/" + "/".join(tokens)

    def _base_at(self, pointer: str) -> str:
        while True:
            base = self._scopes()[0].get(pointer)
            if base is not None:
                return base
            if "/" not in pointer:
                return ""
            pointer = pointer.rsplit("/", 1)[0]

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
        """Resolve every `$ref` in the document once, so bad ones fail before any diff.

        References inside the mounted metaschemas and the synthetic root are written
        by jsonschema and by this module, so only the document's own are checked.
        """
        targets: set[str] = set()
        for where, ref in self._refs:
            if not isinstance(ref, str):
                raise DocumentError(self.document.source, f"$ref at {where} is not a string")
            target = self.target(ref, where)
            self.resolve(target, self.lookup(target))
            targets.add(target)
        # A cycle at one event position leaves some target through schemas that apply
        # to the same value (allOf branches, not, if) and reaches a reference there. So
        # where no reference lies at such a place, the search is skipped.
        if any(_applies_in_place(where, targets) for where, _ in self._refs):
            self._check_in_place_cycles()

    def _check_in_place_cycles(self) -> None:
        """Raise DocumentError for a `$ref` that leads back to itself at one event position.

        A schema such as `{"allOf": [{"$ref": "#/definitions/A"}]}` at A applies itself
        to the same value again without end, so no validator can finish with it.
        """
        done: set[str] = set()
        for where, _ in self._refs:
            if where in done:
                continue
            # Depth first: the nodes on the stack are the current path from `where`.
            on_path = {where}
            stack: list[tuple[str, Iterator[str]]] = [(where, self._in_place(where))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    on_path.discard(node)
                    done.add(node)
                    continue
                if child in on_path:
                    raise DocumentError(
                        self.document.source,
                        f"schema {child} applies itself again through {node} without "
                        "descending into the event, so no validator can finish; remove "
                        "the $ref cycle",
                    )
                if child not in done:
                    stack.append((child, self._in_place(child)))
                    on_path.add(child)

    def _in_place(self, pointer: str) -> Iterator[str]:
        """Yield the schemas that apply to the same value as the one at `pointer`."""
        schema = self.lookup(pointer)
        if not isinstance(schema, dict):
            return
        for key in self.document.dialect.reference_keywords:
            ref = schema.get(key)
            if isinstance(ref, str):
                yield self.target(ref, pointer)
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list):
                yield from (f"{pointer}/{keyword}/{i}" for i in range(len(branches)))
        for keyword in ("not", "if", "then", "else"):
            if isinstance(schema.get(keyword), dict):
                yield f"{pointer}/{keyword}"
        # A dependency's schema applies to the object itself once its member is present.
        for keyword in _IN_PLACE_MAPS:
            if not self.document.dialect.has_keyword(keyword):
                continue
            dependencies = schema.get(keyword)
            if isinstance(dependencies, dict):
                for name, sub in dependencies.items():
                    if isinstance(sub, dict):
                        yield f"{pointer}/{keyword}/{escape(name)}"

    def _find(self, pointer: str) -> tuple[bool, Any]:
        # The walk and the example builder look up the same pointers many times, and
        # nothing changes the data after the resolver is built.
        found = self._found.get(pointer)
        if found is None:
            found = self._found[pointer] = self._follow(pointer)
        return found

    def _follow(self, pointer: str) -> tuple[bool, Any]:
        if pointer in ("#", ""):
            return True, self.data
        if not pointer.startswith("#/"):
            return False, None
        node: Any = self.data
        for raw in pointer[2:].split("/"):
            token = unescape(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and is_index(token) and int(token) < len(node):
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


_IN_PLACE_SINGLE = frozenset({"not", "if", "then", "else"})
_IN_PLACE_LIST = frozenset({"allOf", "anyOf", "oneOf"})
_IN_PLACE_MAPS = ("dependencies", "dependentSchemas")


def _applies_in_place(pointer: str, targets: set[str]) -> bool:
    """Tell whether the schema at `pointer` is one of `targets`, or lies below one
    through keywords whose schemas apply to the same value only.

    A property named like one of those keywords may make this true where it is not,
    which costs a full check and nothing else.
    """
    while pointer not in targets:
        parent, _, token = pointer.rpartition("/")
        if token in _IN_PLACE_SINGLE:
            pointer = parent
            continue
        grandparent, _, keyword = parent.rpartition("/")
        if not (is_index(token) and keyword in _IN_PLACE_LIST) and keyword not in _IN_PLACE_MAPS:
            return False
        pointer = grandparent
    return True


class _Index(NamedTuple):
    refs: list[tuple[str, Any]]
    absolute_ids: bool
    closed: bool
    nullable: bool


def _index(nodes: Iterator[tuple[str, Any]], dialect: Dialect) -> _Index:
    """Collect every `$ref` with its pointer, and what else later passes look for.

    Those are whether any schema has an absolute id, is closed to undeclared members
    (`additionalProperties` or `unevaluatedProperties` false), or is `nullable`.
    """
    refs = []
    absolute_ids = closed = nullable = False
    keys = dialect.reference_keywords
    id_key = dialect.id_keyword
    for where, schema in nodes:
        if not isinstance(schema, dict):
            continue
        refs += [(where, schema[key]) for key in keys if key in schema]
        value = schema.get(id_key)
        if isinstance(value, str) and "://" in value:
            absolute_ids = True
        if schema.get("additionalProperties") is False:
            closed = True
        if schema.get("unevaluatedProperties") is False:
            closed = True
        if schema.get("nullable") is True:
            nullable = True
    return _Index(refs, absolute_ids, closed, nullable)


def _placed_index(
    kind: Kind, data: dict[str, Any], dialect: Dialect, keys: frozenset[str] | None = None
) -> _Index:
    """Return `_index` of every schema `_walk_document` yields, in the same order.

    The walk is written out here because the resolver of every document runs it, and a
    generator per schema cost about a third of the index's time. `keys`, every key of
    the document where known, skips the flags no schema can set.
    """
    refs = []
    absolute_ids = closed = nullable = False
    reference_keys = dialect.reference_keywords
    id_key = dialect.id_keyword
    find_ids = keys is None or id_key in keys
    find_closed = keys is None or not keys.isdisjoint(_CLOSING)
    find_nullable = keys is None or "nullable" in keys
    stack = _schema_roots(kind, data)
    stack.reverse()
    while stack:
        where, schema = stack.pop()
        if not isinstance(schema, dict):
            continue
        for key in reference_keys:
            if key in schema:
                refs.append((where, schema[key]))
        if find_ids:
            value = schema.get(id_key)
            if isinstance(value, str) and "://" in value:
                absolute_ids = True
        if find_closed and (
            schema.get("additionalProperties") is False
            or schema.get("unevaluatedProperties") is False
        ):
            closed = True
        if find_nullable and schema.get("nullable") is True:
            nullable = True
        # Leaves, most of the schemas, end here without a call.
        if CONTAINING_KEYWORDS.isdisjoint(schema):
            continue
        children = child_schemas(schema, where)
        children.reverse()
        stack += children
    return _Index(refs, absolute_ids, closed, nullable)


def _text_index(text: str, dialect: Dialect) -> _Index:
    """Return the index of a document without references from its JSON text alone.

    Each flag is set where the text spells what sets it anywhere, also inside a value,
    which at worst costs a later pass some time.
    """
    absolute_ids = any("://" in value for value in _string_values(text, dialect.id_keyword))
    # The plain searches come first, as they cost a fraction of a pattern's.
    closed = any(f'"{key}"' in text for key in _CLOSING) and _CLOSED.search(text) is not None
    nullable = '"nullable"' in text and _NULLABLE.search(text) is not None
    return _Index([], absolute_ids, closed, nullable)


_CLOSING = ("additionalProperties", "unevaluatedProperties")
_CLOSED = re.compile(r'"(?:additionalProperties|unevaluatedProperties)"\s*:\s*false')
_NULLABLE = re.compile(r'"nullable"\s*:\s*true')


class Keywords(NamedTuple):
    """What the schemas of a document contain, as far as a validator's choice depends on it."""

    # Every key of every schema. From JSON: the keys of `searched` among the document's
    # keys (member names too), or spelled anywhere in the text where those are unknown.
    names: frozenset[str]
    # Every `format` value, and from JSON text perhaps a few other strings.
    formats: frozenset[str]
    # True where a schema below the root may contain `$schema`, `$id` or `id`.
    nested_ids: bool


_ID_KEYS = ("$schema", "$id", "id")


def keywords_of(document: SchemaDocument, searched: frozenset[str]) -> Keywords:
    """Return what the document's schemas contain.

    The keys of `searched` are taken from the keys the JSON parser collected, or else
    searched for in JSON text without `\\u` escapes, which spells each key as written.
    Both cost less than walking the schemas. Where the text leaves a question open (an
    id string below the root, a format with an escape), the schemas are walked.
    """
    text = document.text
    if not document.json_text or "\\u" in text:
        return _walked_keywords(document)
    root = document.data
    keys = document.keys
    for key in _ID_KEYS:
        if keys is not None and key not in keys:
            continue
        # A member named `id` has an object, not a string: only strings can be ids.
        own = isinstance(root.get(key), str)
        if len(_string_values(text, key)) > own:
            return _walked_keywords(document)
    formats = (
        frozenset(_string_values(text, "format"))
        if keys is None or "format" in keys
        else frozenset()
    )
    if any("\\" in value for value in formats):
        return _walked_keywords(document)
    if keys is not None:
        return Keywords(searched & keys, formats, False)
    names = frozenset(key for key in searched if f'"{key}"' in text)
    return Keywords(names, formats, False)


def _string_values(text: str, key: str) -> list[str]:
    """Return every string that follows `"key":` in JSON text, up to its first quote."""
    return _string_value_pattern(key).findall(text)


@functools.cache
def _string_value_pattern(key: str) -> re.Pattern[str]:
    return re.compile(f'"{re.escape(key)}"' + r'\s*:\s*"([^"]*)"')


def _walked_keywords(document: SchemaDocument) -> Keywords:
    names: set[str] = set()
    formats: set[str] = set()
    nested_ids = False
    root = document.data
    for _, schema in _walk_unplaced(document.kind, root):
        names.update(schema)
        if "format" in schema and isinstance(schema["format"], str):
            formats.add(schema["format"])
        if not nested_ids and schema is not root:
            nested_ids = any(key in schema for key in _ID_KEYS)
    return Keywords(frozenset(names), frozenset(formats), nested_ids)


def _with_synthetic_root(document: SchemaDocument, mounted: dict[str, Any]) -> dict[str, Any]:
    data = document.data
    if mounted:
        data = {**data, METASCHEMA_ROOT: mounted}
    if document.root_pointer != f"#/{SYNTHETIC_ROOT}":
        return data
    names = sorted(event_components(document.data["components"]["schemas"]))
    union = {
        "anyOf": [{"$ref": as_reference(f"#/components/schemas/{escape(name)}")} for name in names]
    }
    return {**data, SYNTHETIC_ROOT: union}


def _referenced_metaschemas(refs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return the draft metaschemas among `refs`' targets, keyed by their URI.

    The metaschemas ship with jsonschema, so a reference to one is resolved locally
    like a bundled definition rather than fetched.
    """
    found: dict[str, Any] = {}
    for _, ref in refs:
        if not isinstance(ref, str):
            continue
        uri = ref.partition("#")[0].rstrip("/")
        if uri.replace("https://", "http://") in METASCHEMA_URIS and uri not in found:
            # Imported here: jsonschema takes about 65 ms to import, and few documents
            # need it.
            from jsonschema.validators import validator_for

            validator = validator_for({"$schema": uri.replace("https://", "http://") + "#"})
            found[uri] = validator.META_SCHEMA
    return found


def _own_ids(data: dict[str, Any], id_key: str) -> set[str]:
    value = data.get(id_key)
    if isinstance(value, str) and value:
        return {value.split("#", 1)[0].rstrip("/")}
    return set()


def _schema_roots(kind: Kind, data: dict[str, Any]) -> list[tuple[str, Any]]:
    mounted = [
        (f"#/{METASCHEMA_ROOT}/{escape(uri)}", schema)
        for uri, schema in data.get(METASCHEMA_ROOT, {}).items()
    ]
    if kind is not Kind.OPENAPI3:
        return [("#", data), *mounted]
    components = data["components"]["schemas"]
    roots = [
        (f"#/components/schemas/{escape(name)}", schema) for name, schema in components.items()
    ]
    if SYNTHETIC_ROOT in data:
        roots.append((f"#/{SYNTHETIC_ROOT}", data[SYNTHETIC_ROOT]))
    return [*roots, *mounted]


def _walk_document(kind: Kind, data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for pointer, schema in _schema_roots(kind, data):
        yield from walk_schemas(schema, pointer)


def _walk_unplaced(kind: Kind, data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield every object schema of the document as `_walk_document` does, without its
    pointer ("" in its place)."""
    for _, schema in _schema_roots(kind, data):
        for node in walk_nodes(schema):
            yield "", node


def _anchors(nodes: Iterator[tuple[str, Any]], dialect: Dialect) -> dict[str, str]:
    """Map the plain-name anchors the dialect reads to the schemas that declare them."""
    keys = [k for k in ("$anchor", "$dynamicAnchor") if dialect.has_keyword(k)]
    id_key = dialect.id_keyword
    anchors: dict[str, str] = {}
    for where, schema in nodes:
        if not isinstance(schema, dict):
            continue
        for key in keys:
            anchor = schema.get(key)
            if isinstance(anchor, str):
                anchors.setdefault(anchor, where)
        value = schema.get(id_key)
        if isinstance(value, str) and value.startswith("#") and len(value) > 1:
            anchors.setdefault(value[1:], where)
    return anchors


def _scopes(
    document: SchemaDocument, data: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """Map schema pointers to the base URI in scope there, and embedded URIs to pointers.

    Only schemas that declare an absolute or relative `id` (draft 4) or `$id` (draft 6
    on) start a new scope, and an id next to a `$ref` that overrides its siblings
    (drafts 4 to 7) is ignored with them. Plain-name fragments (`#foo`) are recorded with their
    resource URI so that `other.json#foo` resolves too.
    """
    bases: dict[str, str] = {}
    resources: dict[str, str] = {}
    ignore_ref_siblings = document.dialect.ref_overrides_siblings
    stack = [(pointer, schema, "") for pointer, schema in _schema_roots(document.kind, data)]
    while stack:
        pointer, schema, base = stack.pop()
        if isinstance(schema, dict) and not (ignore_ref_siblings and "$ref" in schema):
            declared = schema.get(document.dialect.id_keyword)
            if isinstance(declared, str) and declared:
                uri = urljoin(base, declared)
                resource, _, fragment = uri.partition("#")
                if fragment and not fragment.startswith("/"):
                    resources.setdefault(uri, pointer)
                elif resource:
                    base = resource
                    resources.setdefault(resource, pointer)
                    bases[pointer] = base
        stack.extend((where, child, base) for where, child in child_schemas(schema, pointer))
    if not any("://" in uri for uri in resources):
        return {}, {}
    return bases, resources
