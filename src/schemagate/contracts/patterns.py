"""Turn EventBridge event patterns into the fields and event types a consumer reads.

A pattern leaf is a list of matchers: exact values (strings, numbers, booleans, null)
and objects such as `{"prefix": ...}`, `{"numeric": [...]}`, `{"exists": true}` and
`{"anything-but": ...}`. Every matcher except `{"exists": false}` matches only events
that carry the field, so the consumer reads it, with the JSON types its matchers imply.

NOTE: that anything-but does not match an event lacking the field is assumed here and
was not checked against the live service. If it does match, the consumer still reads
the field whenever it is present, so keeping it in the contract is the safe reading.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from schemagate.contracts.locate import ENVELOPE_FIELDS
from schemagate.contracts.model import ContractField
from schemagate.contracts.paths import path_from_tokens

logger = logging.getLogger(__name__)

# Matchers that compare the field as a string.
STRING_MATCHERS = frozenset({"prefix", "suffix", "equals-ignore-case", "wildcard", "cidr"})
# Returned by `matcher_types` for a matcher that needs the field but not a type.
ANY_TYPE = None


@dataclass(frozen=True)
class PatternReading:
    """Event-type selectors and matched fields of one pattern."""

    selectors: tuple[str, ...]
    fields: tuple[ContractField, ...]


def read_pattern(pattern: dict[str, Any], origin: str) -> PatternReading:
    """Derive selectors and fields from an event pattern; `origin` names the rule or pipe."""
    fields: dict[tuple[str, ...], ContractField] = {}
    for tokens, matchers in leaves(pattern, ()):
        if len(tokens) == 1 and tokens[0] in ENVELOPE_FIELDS:
            continue
        if all(_is_exists(m, False) for m in matchers):
            continue
        types = leaf_types(matchers)
        item = ContractField(path_from_tokens(tokens), types, matchers, origin)
        earlier = fields.get(tokens)
        if earlier is not None:
            item = _union(earlier, item)
        fields[tokens] = item
    return PatternReading(selectors(pattern), tuple(fields[key] for key in sorted(fields)))


def leaves(pattern: Any, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
    """Yield each matcher list with the field path it applies to; `$or` branches inline."""
    if not isinstance(pattern, dict):
        return
    for key, value in pattern.items():
        if key == "$or" and isinstance(value, list):
            for branch in value:
                yield from leaves(branch, prefix)
        elif isinstance(value, dict):
            yield from leaves(value, (*prefix, key))
        elif isinstance(value, list):
            yield (*prefix, key), value
        else:
            logger.warning("pattern value at %s is not a list; ignored", ".".join((*prefix, key)))


def leaf_types(matchers: list[Any]) -> frozenset[str] | None:
    """Return the JSON types a field may take to match, or None when any type may match."""
    types: set[str] = set()
    for matcher in matchers:
        if _is_exists(matcher, False):
            continue
        found = matcher_types(matcher)
        if found is ANY_TYPE:
            return None
        types |= found
    return frozenset(types) if types else None


def matcher_types(matcher: Any) -> set[str] | None:
    """Return the JSON types one matcher accepts, or None (ANY_TYPE) for `exists: true`."""
    if not isinstance(matcher, dict):
        return {_value_type(matcher)}
    if _is_exists(matcher, True):
        return ANY_TYPE
    if "numeric" in matcher:
        return {"number"}
    if STRING_MATCHERS & matcher.keys():
        return {"string"}
    if "anything-but" in matcher:
        return _anything_but_types(matcher["anything-but"])
    logger.warning("unknown matcher %r; reading the field as any type", matcher)
    return ANY_TYPE


def _anything_but_types(excluded: Any) -> set[str] | None:
    """Anything-but matches values of the excluded values' types; a nested matcher is textual."""
    if isinstance(excluded, dict):
        return {"string"}
    values = excluded if isinstance(excluded, list) else [excluded]
    return {_value_type(value) for value in values} or ANY_TYPE


def _value_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _is_exists(matcher: Any, expected: bool) -> bool:
    return isinstance(matcher, dict) and matcher.get("exists") is expected


def _union(left: ContractField, right: ContractField) -> ContractField:
    types = None if left.types is None or right.types is None else left.types | right.types
    match = [*left.match, *right.match]
    return ContractField(left.path, types, match, left.origin)


def selectors(pattern: dict[str, Any]) -> tuple[str, ...]:
    """Name the event types a pattern matches: `source@detail-type`, `detail-type`,
    `source@*` or `*`, from the exact values of its `source` and `detail-type` leaves."""
    sources = _exact_strings(pattern.get("source"))
    detail_types = _exact_strings(pattern.get("detail-type"))
    if detail_types and sources:
        return tuple(f"{s}@{d}" for s in sources for d in detail_types)
    if detail_types:
        return tuple(detail_types)
    if sources:
        return tuple(f"{s}@*" for s in sources)
    return ("*",)


def _exact_strings(leaf: Any) -> list[str]:
    """Return the leaf's values when all are exact strings; otherwise none."""
    if not isinstance(leaf, list) or not leaf or not all(isinstance(v, str) for v in leaf):
        return []
    return sorted(set(leaf))
