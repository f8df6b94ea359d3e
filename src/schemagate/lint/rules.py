"""Lint rules for event schemas: one small function per rule ID.

Each check receives the document and its detail schema and yields findings at the
rule's default severity; `lint_document` applies the project's severity overrides.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace

from schemagate.contracts.locate import FieldInfo, locate
from schemagate.contracts.paths import FieldPath
from schemagate.diff.engine import Side
from schemagate.diff.shape import Conj, Shape, build_shape
from schemagate.lint.settings import NAMING_STYLES, LintSettings
from schemagate.load.document import ENVELOPE_COMPONENT, Kind, SchemaDocument
from schemagate.modes import Policy
from schemagate.report.model import Finding
from schemagate.resolve.keywords import escape, walk_schemas
from schemagate.resolve.refs import METASCHEMA_ROOT
from schemagate.rules.catalogue import Severity, get_rule

# Bounds the walk over nested properties of self-referencing schemas.
MAX_DEPTH = 32
_DETAIL = FieldPath(("detail",), "detail")


@dataclass(frozen=True)
class Subject:
    """A document under lint, with its detail schema merged into one shape."""

    document: SchemaDocument
    side: Side
    detail: FieldInfo
    shape: Shape


def lint_document(
    document: SchemaDocument, settings: LintSettings, severity: Mapping[str, Severity]
) -> list[Finding]:
    """Run every enabled lint rule on one document."""
    side = Side.of(document, Policy.TOLERANT)
    detail = _detail(side)
    subject = Subject(document, side, detail, build_shape(side.resolver, detail.conj))
    findings = []
    for check in CHECKS:
        for finding in check(subject, settings):
            if settings.enabled(finding.rule):
                level = severity.get(finding.rule, finding.severity)
                findings.append(replace(finding, severity=level))
    return findings


def _detail(side: Side) -> FieldInfo:
    """Return the detail schema: the envelope's `detail`, or the root of a detail-only schema."""
    found = locate(side, _DETAIL)
    if found is not None:
        return found
    root = side.root()
    return FieldInfo(root[0][0] if root else "#", True, None, (), root)


def _finding(rule_id: str, pointer: str | None, message: str) -> Finding:
    rule = get_rule(rule_id)
    return Finding(rule.id, rule.severity, frozenset(), None, pointer, message)


def idempotency_key(subject: Subject, settings: LintSettings) -> Iterator[Finding]:
    shape = subject.shape
    names = [n for n in settings.idempotency_keys if n in shape.properties or n in shape.required]
    wanted = " or ".join(repr(n) for n in settings.idempotency_keys)
    if not names:
        yield _finding(
            "idempotency-key-missing",
            shape.pointer,
            f"detail declares no idempotency key; add a required property {wanted}",
        )
    elif not any(name in shape.required for name in names):
        pointer = shape.properties[names[0]][0][0] if names[0] in shape.properties else None
        yield _finding(
            "idempotency-key-optional",
            pointer or shape.pointer,
            f"idempotency key {names[0]!r} is optional; list it under required",
        )


def event_identity(subject: Subject, settings: LintSettings) -> Iterator[Finding]:
    document = subject.document
    if document.kind is not Kind.OPENAPI3:
        return
    schemas = document.data.get("components", {}).get("schemas", {})
    envelope = schemas.get(ENVELOPE_COMPONENT)
    pointer = f"#/components/schemas/{ENVELOPE_COMPONENT}" if envelope is not None else "#"
    where = f"the {ENVELOPE_COMPONENT} component" if envelope is not None else "the document"
    envelope = envelope if isinstance(envelope, dict) else {}
    for key, rule_id in (
        ("x-amazon-events-source", "event-source-missing"),
        ("x-amazon-events-detail-type", "event-detail-type-missing"),
    ):
        value = envelope.get(key)
        if not isinstance(value, str) or not value:
            yield _finding(
                rule_id, pointer, f"{where} has no {key}; add it with the event's value"
            )


def detail_not_empty(subject: Subject, settings: LintSettings) -> Iterator[Finding]:
    shape = subject.shape
    open_map = any(isinstance(schema, dict) for _, schema in shape.additional)
    described = (
        shape.properties
        or shape.required
        or shape.unions
        or shape.enum is not None
        or open_map
        or "patternProperties" in shape.keywords
    )
    if not described:
        yield _finding(
            "detail-empty",
            shape.pointer,
            "detail schema declares no properties, so consumers cannot rely on any field; "
            "declare the fields the event carries",
        )


def property_names(subject: Subject, settings: LintSettings) -> Iterator[Finding]:
    if settings.naming is None:
        return
    style = NAMING_STYLES[settings.naming]
    seen: set[str] = set()
    for pointer, name in _properties(subject.side, subject.detail.conj, seen, 0):
        if not style.match(name):
            yield _finding(
                "property-name-style",
                pointer,
                f"property {name!r} does not follow {settings.naming}",
            )


def _properties(side: Side, conj: Conj, seen: set[str], depth: int) -> Iterator[tuple[str, str]]:
    """Yield (pointer, name) for every property declared under `conj`, once each."""
    if depth > MAX_DEPTH:
        return
    shape = build_shape(side.resolver, conj)
    if shape.unions:
        for alternative in side.examples.alternatives(conj, shape):
            yield from _properties(side, alternative, seen, depth + 1)
        return
    for name, locs in sorted(shape.properties.items()):
        pointer = locs[0][0]
        if pointer in seen:
            continue
        seen.add(pointer)
        yield pointer, name
        yield from _properties(side, side.examples.conj(locs), seen, depth + 1)
    if shape.items:
        yield from _properties(side, side.examples.conj(shape.items), seen, depth + 1)


# Keywords of JSON Schema drafts 4 to 2020-12 and of OpenAPI 3.0 schema objects.
KNOWN_KEYWORDS = frozenset(
    {
        "$schema", "$id", "id", "$ref", "$comment", "$defs", "definitions", "$anchor",
        "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
        "type", "enum", "const", "format", "title", "description", "default", "examples",
        "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
        "contentSchema", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
        "exclusiveMinimum", "maxLength", "minLength", "pattern", "items", "additionalItems",
        "prefixItems", "maxItems", "minItems", "uniqueItems", "contains", "maxContains",
        "minContains", "unevaluatedItems", "properties", "patternProperties",
        "additionalProperties", "unevaluatedProperties", "propertyNames", "maxProperties",
        "minProperties", "required", "dependencies", "dependentRequired", "dependentSchemas",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "nullable", "discriminator", "xml", "externalDocs", "example",
    }
)  # fmt: skip


def unknown_keywords(subject: Subject, settings: LintSettings) -> Iterator[Finding]:
    """Flag keys of schema objects that no draft defines: validators ignore them."""
    resolver = subject.side.resolver
    for root_pointer, root in resolver.schema_roots():
        if root_pointer.startswith(("#/x-schemagate", "#/" + METASCHEMA_ROOT)):
            continue
        for pointer, schema in walk_schemas(root, root_pointer):
            if not isinstance(schema, dict):
                continue
            for key in sorted(schema):
                if key in KNOWN_KEYWORDS or key.startswith("x-"):
                    continue
                yield _finding(
                    "unknown-keyword",
                    f"{pointer}/{escape(key)}",
                    f"{key!r} is not a schema keyword, so validators ignore it; "
                    f"{_keyword_hint(key)}",
                )


def _keyword_hint(key: str) -> str:
    by_case = {keyword.lower(): keyword for keyword in KNOWN_KEYWORDS}
    match = by_case.get(key.lower()) or next(
        iter(difflib.get_close_matches(key, KNOWN_KEYWORDS, n=1, cutoff=0.8)), None
    )
    if match is not None:
        return f"did you mean {match!r}?"
    return "remove it, or prefix an extension with x-"


Check = Callable[[Subject, LintSettings], Iterator[Finding]]
CHECKS: tuple[Check, ...] = (
    idempotency_key,
    event_identity,
    detail_not_empty,
    property_names,
    unknown_keywords,
)
