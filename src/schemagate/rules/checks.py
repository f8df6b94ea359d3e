"""Keyword checks: each compares one keyword family of an old and a new schema position.

A check reports what changed and proposes candidate values for witnesses; the engine
adds the instance path and proves each candidate against both whole documents, so a
check may propose values that turn out not to break anything.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

from schemagate.diff.changes import Change, Deferred
from schemagate.diff.examples import MAX_WITNESS_LENGTH, Unbuildable
from schemagate.diff.shape import Shape, effective_types, json_type, same_value, value_key
from schemagate.resolve.keywords import ANNOTATIONS
from schemagate.rules import numbers, structure
from schemagate.rules.common import (
    ALL_TYPES,
    ignored_note,
    range_change,
    same_keyword,
    shares,
    suspects,
)

if TYPE_CHECKING:
    from schemagate.diff.engine import Side
    from schemagate.modes import Direction


def describe_types(types: frozenset[str] | None) -> str:
    if types is None or types == ALL_TYPES:
        return "any type"
    names = set(types)
    if {"integer", "number"} <= names:
        names.discard("integer")
    elif "number" in names:
        names = (names - {"number"}) | {"non-integer number"}
    return " or ".join(sorted(names)) if names else "nothing"


def check_types(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if old.enum is not None and new.enum is not None:
        return
    old_types = effective_types(old)
    new_types = effective_types(new)
    old_all = ALL_TYPES if old_types is None else old_types
    new_all = ALL_TYPES if new_types is None else new_types
    lost = old_all - new_all
    gained = new_all - old_all
    if not lost and not gained:
        return
    rule = "type-changed" if lost and gained else ("type-narrowed" if lost else "type-widened")
    message = f"type changed from {describe_types(old_types)} to {describe_types(new_types)}"
    yield Change(
        rule,
        message,
        old.pointer,
        new.pointer,
        suspects=suspects(bool(lost), bool(gained)),
        backward=Deferred(_typed_examples(old_side, old, lost)),
        forward=Deferred(_typed_examples(new_side, new, gained)),
    )


def _typed_examples(side: Side, shape: Shape, types: frozenset[str]) -> Iterator[Any]:
    for type_name in sorted(types):
        try:
            yield side.examples.example(shape.locs, only_type=type_name)
        except Unbuildable:
            continue


def _listed_composites(
    old: Shape, new: Shape, old_values: list[Any], new_values: list[Any]
) -> Iterator[Change]:
    """Try the objects and arrays of an unchanged `enum` against the other side.

    They are whole events a producer sends whatever the schema declares, and a changed
    `properties` or `items` beside the list can reject them.
    """
    before = [v for v in old_values if isinstance(v, dict | list)]
    after = [v for v in new_values if isinstance(v, dict | list)]
    yield from _value_probes(old, new, before, after, ("listed", "listed"))


def _value_probes(
    old: Shape, new: Shape, before: list[Any], after: list[Any], words: tuple[str, str]
) -> Iterator[Change]:
    """Yield probes that try each side's values against the other side, reported only
    where one proves a break. `words` name the old and the new values in messages."""
    if before:
        yield Change(
            "enum-value-removed",
            f"the new schema rejects some of the {words[0]} values {_values(before)}",
            old.where("enum"),
            new.pointer,
            suspects=suspects(True, False),
            backward=tuple(before),
            probe=True,
        )
    if after:
        yield Change(
            "enum-value-added",
            f"the old schema rejects some of the {words[1]} values {_values(after)}",
            old.pointer,
            new.where("enum"),
            suspects=suspects(False, True),
            forward=tuple(after),
            probe=True,
        )


def _typed_enum(side: Side, shape: Shape) -> list[Any]:
    """Return the `enum` values of `shape` that its `type` accepts.

    Draft 4 and OpenAPI 3.0 count 1.0 as a number only, later drafts as an integer too.
    """
    assert shape.enum is not None
    if shape.types is None:
        return list(shape.enum)
    draft4 = side.resolver.document.dialect.boolean_exclusive_bounds
    return [
        v
        for v in shape.enum
        if ("number" if draft4 and isinstance(v, float) else json_type(v)) in shape.types
    ]


def check_enum(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if old.enum is None and new.enum is None:
        return
    if old.enum is not None and new.enum is not None:
        # A value listed in `enum` is accepted only where `type` allows it too, so an
        # unchanged list can still gain or lose values when `type` or `nullable` changes.
        old_values, new_values = _typed_enum(old_side, old), _typed_enum(new_side, new)
        new_keys = {value_key(v) for v in new_values}
        old_keys = {value_key(v) for v in old_values}
        removed = [v for v in old_values if value_key(v) not in new_keys]
        added = [v for v in new_values if value_key(v) not in old_keys]
        listed = [value_key(v) for v in old.enum] == [value_key(v) for v in new.enum]
        if removed:
            message = "no longer accepted by the type" if listed else "removed"
            yield Change(
                "enum-value-removed",
                f"enum values {message}: {_values(removed)}",
                old.pointer,
                new.pointer,
                suspects=suspects(True, False),
                backward=tuple(removed),
            )
        if added:
            message = "now accepted by the type" if listed else "added"
            yield Change(
                "enum-value-added",
                f"enum values {message}: {_values(added)}",
                old.pointer,
                new.pointer,
                suspects=suspects(False, True),
                forward=tuple(added),
            )
        if listed:
            yield from _listed_composites(old, new, old_values, new_values)
        return
    # Every value of one side's list must still be accepted by the other side.
    yield from _value_probes(old, new, old.enum or [], new.enum or [], ("old", "new"))
    if new.enum is not None:
        yield Change(
            "enum-added",
            f"value restricted to {_values(new.enum)}{ignored_note(old_side, old, 'const')}",
            old.pointer,
            new.where("enum"),
            suspects=suspects(True, False),
            backward=Deferred(_outside(old_side, old, new.enum)),
        )
    elif old.enum is not None:
        yield Change(
            "enum-removed",
            f"value no longer restricted to {_values(old.enum)}"
            f"{ignored_note(new_side, new, 'const')}",
            old.where("enum"),
            new.pointer,
            suspects=suspects(False, True),
            forward=Deferred(_outside(new_side, new, old.enum)),
        )


def _outside(side: Side, shape: Shape, listed: list[Any]) -> Iterator[Any]:
    """Yield values valid under `shape` that are not in `listed`."""
    seen = {value_key(v) for v in listed}
    candidates: list[Any] = []
    for type_name in sorted(effective_types(shape) or ALL_TYPES):
        try:
            candidates.append(side.examples.example(shape.locs, only_type=type_name))
        except Unbuildable:
            continue
    strings = [v for v in listed if isinstance(v, str)]
    numbers = [v for v in listed if isinstance(v, int | float) and not isinstance(v, bool)]
    candidates += [s + "-unlisted" for s in strings[:1]] + ["unlisted-value", "", True, False]
    candidates += [max(numbers) + 1] if numbers else [0, 1]
    # An object example has only its required members, so one more declared member
    # makes another object, which the list may not hold.
    for example in [c for c in candidates if isinstance(c, dict)][:1]:
        for name in [n for n in sorted(shape.properties) if n not in example][:3]:
            candidates.append({**example, name: structure.member_example(side, shape, name)})
    for value in candidates:
        if value_key(value) not in seen:
            seen.add(value_key(value))
            yield value


def _values(values: list[Any]) -> str:
    import json

    shown = ", ".join(json.dumps(v) for v in values[:5])
    return shown + (f" and {len(values) - 5} more" if len(values) > 5 else "")


def _bounds(shape: Shape, low_key: str, high_key: str) -> tuple[float, float]:
    lows = [v for v in shape.all(low_key) if isinstance(v, int | float)]
    highs = [v for v in shape.all(high_key) if isinstance(v, int | float)]
    return (max(lows) if lows else 0, min(highs) if highs else float("inf"))


def _length_candidates(old: tuple[float, float], new: tuple[float, float]) -> list[int]:
    lengths = []
    if new[0] > old[0]:
        lengths.append(int(old[0]))
    if new[1] < old[1]:
        lengths.append(int(new[1]) + 1)
    return lengths


def check_string_length(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    yield from _check_length(
        "string", ("minLength", "maxLength"), _string_of, old_side, new_side, old, new
    )


def _check_length(
    type_name: str,
    keywords: tuple[str, str],
    build: Callable[[Side, Shape, int], Any],
    old_side: Side,
    new_side: Side,
    old: Shape,
    new: Shape,
) -> Iterator[Change]:
    """Compare a length range of strings or arrays, with witnesses of the excluded lengths."""
    if not shares(old, new, type_name):
        return
    old_range = _bounds(old, *keywords)
    new_range = _bounds(new, *keywords)
    if old_range == new_range:
        return
    backward_lengths = _length_candidates(old_range, new_range)
    forward_lengths = _length_candidates(new_range, old_range)
    # A length past the witness bound keeps its direction suspected, with no candidate.
    backward = [build(old_side, old, n) for n in backward_lengths if n <= MAX_WITNESS_LENGTH]
    forward = [build(new_side, new, n) for n in forward_lengths if n <= MAX_WITNESS_LENGTH]
    if backward and type_name == "string":
        # A string cut to a boundary length can break a format or pattern it met.
        backward += _whole_example(old_side, old, old_range, new_range)
    if forward and type_name == "string":
        forward += _whole_example(new_side, new, new_range, old_range)
    message = f"{type_name} length range {_range(old_range)} became {_range(new_range)}"
    outside = (bool(backward_lengths), bool(forward_lengths))
    yield range_change(
        f"{type_name}-length", message, old, new, backward, forward, outside=outside
    )


def _whole_example(
    side: Side, shape: Shape, inside: tuple[float, float], outside: tuple[float, float]
) -> list[str]:
    """Return `shape`'s own string example when its length is in `inside` only."""
    try:
        example = side.examples.example(shape.locs, only_type="string")
    except Unbuildable:
        return []
    if not isinstance(example, str):
        return []
    length = len(example)
    if inside[0] <= length <= inside[1] and not outside[0] <= length <= outside[1]:
        return [example]
    return []


def _string_of(side: Side, shape: Shape, length: int) -> str:
    try:
        base = side.examples.example(shape.locs, only_type="string")
    except Unbuildable:
        base = "x"
    text = str(base)
    return (text * (length // max(len(text), 1) + 1))[:length] if text else "x" * length


def _range(bounds: tuple[float, float]) -> str:
    high = "unbounded" if bounds[1] == float("inf") else _length(bounds[1])
    return f"[{_length(bounds[0])}, {high}]"


def _length(value: float) -> str:
    """Write a length bound briefly, in full where the short form would hide a digit."""
    short = f"{value:g}"
    return short if float(short) == value else str(int(value))


def check_array_length(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    yield from _check_length(
        "array", ("minItems", "maxItems"), _array_of, old_side, new_side, old, new
    )


def _array_of(side: Side, shape: Shape, length: int) -> list[Any]:
    items = side.examples.items(shape)
    values: list[Any] = []
    candidates = side.examples.candidates(items) if items else iter(range(length))
    for value in candidates:
        if len(values) >= length:
            break
        fits = not items or side.examples.valid(items, value)
        if fits and all(not same_value(value, v) for v in values):
            values.append(value)
    while len(values) < length:
        values.append(values[-1] if values else "text")
    return values


def check_unique_items(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    before = any(v is True for v in old.all("uniqueItems"))
    after = any(v is True for v in new.all("uniqueItems"))
    if before == after or not shares(old, new, "array"):
        return
    side, shape = (old_side, old) if after else (new_side, new)
    try:
        item = side.examples.example(side.examples.items(shape)) if shape.items else 1
    except Unbuildable:
        item = 1
    pair = ([item, item],)
    yield Change(
        "unique-items-changed",
        f"uniqueItems {'added' if after else 'removed'}",
        old.pointer,
        new.pointer,
        suspects=suspects(after, before),
        backward=pair if after else (),
        forward=() if after else pair,
    )


def check_format(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    # Every format of a conjunction applies (one beside another through `allOf`).
    before = sorted({f for f in old.all("format") if isinstance(f, str)})
    after = sorted({f for f in new.all("format") if isinstance(f, str)})
    if before == after or not shares(old, new, "string"):
        return
    # A changed format is a suspected break even where no checker of the draft checks
    # it, because some reader may. The prover then reports it as unproven.
    backward = bool(set(after) - set(before))
    forward = bool(set(before) - set(after))
    samples = ["text", *(f"not-a-{f}" for f in (*after, *before))]
    yield Change(
        "format-changed",
        f"format {' and '.join(before) or 'none'} became {' and '.join(after) or 'none'}",
        old.where("format"),
        new.where("format"),
        suspects=suspects(backward, forward),
        backward=Deferred(_with_example(old_side, old, samples)) if backward else (),
        forward=Deferred(_with_example(new_side, new, samples)) if forward else (),
    )


def _with_example(side: Side, shape: Shape, extra: list[Any]) -> Iterator[Any]:
    with contextlib.suppress(Unbuildable):
        yield side.examples.example(shape.locs, only_type="string")
    yield from extra


def check_pattern(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    before, after = old.all("pattern"), new.all("pattern")
    if before == after or not shares(old, new, "string"):
        return
    samples = ["text", "", "x", "0", "A"]
    yield Change(
        "pattern-changed",
        f"pattern {_patterns(before)} became {_patterns(after)}",
        old.where("pattern"),
        new.where("pattern"),
        suspects=suspects(bool(after), bool(before)),
        backward=Deferred(_with_example(old_side, old, samples)) if after else (),
        forward=Deferred(_with_example(new_side, new, samples)) if before else (),
    )


def _patterns(values: list[Any]) -> str:
    return " and ".join(repr(v) for v in values) if values else "none"


def check_annotations(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if not _declared(old) or not _declared(new):
        # A member compared with "any value" (an undeclared name) has nothing to annotate.
        return
    before = _annotations(old)
    after = _annotations(new)
    if before == after:
        return
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    yield Change(
        "annotation-changed",
        f"annotations changed: {', '.join(changed)}",
        old.pointer,
        new.pointer,
    )


def _declared(shape: Shape) -> bool:
    return bool(shape.locs) and isinstance(shape.locs[0][1], dict)


def _annotations(shape: Shape) -> dict[str, Any]:
    if not shape.locs or not isinstance(shape.locs[0][1], dict):
        return {}
    schema = shape.locs[0][1]
    # The gate reports routing extensions under `event-routing-changed` instead.
    return {
        k: v
        for k, v in schema.items()
        if (k in ANNOTATIONS or k.startswith("x-")) and not k.startswith("x-amazon-events-")
    }


# Keywords this stage compares only by proof: a difference yields candidates from each
# side's examples, proven or reported as unproven.
GENERIC_KEYWORDS = (
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "unevaluatedProperties",
)


def check_other_keywords(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    changed = [
        k
        for k in GENERIC_KEYWORDS
        if not same_keyword(old_side, new_side, old, new, k) and _generic(k, old, new)
    ]
    if not changed:
        return
    directions = suspects(True, True)
    if set(changed) <= {"minContains", "maxContains"}:
        directions = _count_suspects(old, new)
    if not directions:
        return
    yield Change(
        "schema-changed",
        f"{', '.join(changed)} changed",
        old.pointer,
        new.pointer,
        suspects=directions,
        backward=Deferred(itertools.chain(_few(old_side, old), _counted(old_side, old, new))),
        forward=Deferred(itertools.chain(_few(new_side, new), _counted(new_side, new, old))),
    )


# Items tried in arrays for a changed `contains`, beside examples of `contains` itself.
PLAIN_ITEMS: tuple[Any, ...] = ("text", 0, 1.5)


def _count_suspects(old: Shape, new: Shape) -> frozenset[Direction]:
    """Return the directions a change of `minContains`/`maxContains` alone may break.

    The defaults are 1 and no limit, so removing `minContains: 1` changes nothing.
    """
    old_low, old_high = _contains_bounds(old)
    new_low, new_high = _contains_bounds(new)
    backward = new_low > old_low or new_high < old_high
    forward = new_low < old_low or new_high > old_high
    return suspects(backward, forward)


def _contains_bounds(shape: Shape) -> tuple[float, float]:
    lows = [v for v in shape.all("minContains") if isinstance(v, int | float)]
    highs = [v for v in shape.all("maxContains") if isinstance(v, int | float)]
    return max(lows, default=1), min(highs, default=math.inf)


def _counted(side: Side, shape: Shape, other: Shape) -> Iterator[list[Any]]:
    """Yield arrays holding 0, 1, 2 and each bound's count (and one past it) of an item
    that this side's `contains` accepts, or of a plain value, for changes to `contains`
    and its counts."""
    counts = {0, 1, 2}
    for keyword in ("minContains", "maxContains"):
        for value in (*shape.all(keyword), *other.all(keyword)):
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100:
                counts |= {value, value + 1}
    items = []
    for where, rule in shape.keywords.get("contains", []):
        if not isinstance(rule, bool):
            with contextlib.suppress(Unbuildable):
                items.append(side.examples.example(side.examples.conj([(where, rule)])))
    items += list(PLAIN_ITEMS)
    for item in items:
        for count in sorted(counts):
            yield [item] * count


def _generic(keyword: str, old: Shape, new: Shape) -> bool:
    """Tell whether a change to `keyword` is left to this check.

    `unevaluatedProperties` is compared with `additionalProperties`, whose meaning it
    has for the members the whole shape declares.
    """
    return keyword != "unevaluatedProperties"


def _few(side: Side, shape: Shape) -> Iterator[Any]:
    count = 0
    for value in side.examples.candidates(shape.locs):
        if side.examples.valid(shape.locs, value):
            yield value
            count += 1
            if count >= 4:
                return


NodeCheck = Callable[["Side", "Side", Shape, Shape], Iterator[Change]]

NODE_CHECKS: tuple[NodeCheck, ...] = (
    check_types,
    check_enum,
    check_string_length,
    numbers.check_number_range,
    numbers.check_multiple_of,
    check_array_length,
    check_unique_items,
    check_format,
    check_pattern,
    structure.check_property_count,
    structure.check_dependencies,
    structure.check_conditional,
    structure.check_property_names,
    structure.check_pattern_properties,
    structure.check_tuple_items,
    structure.check_not,
    structure.check_discriminator,
    check_other_keywords,
    check_annotations,
)

# The keywords each check reads, for checks that find nothing where neither side has
# one of them. A check not listed runs at every position.
CHECK_KEYWORDS: dict[NodeCheck, frozenset[str]] = {
    check_string_length: frozenset({"minLength", "maxLength"}),
    numbers.check_number_range: frozenset(
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    ),
    numbers.check_multiple_of: frozenset({"multipleOf"}),
    check_array_length: frozenset({"minItems", "maxItems"}),
    check_unique_items: frozenset({"uniqueItems"}),
    check_format: frozenset({"format"}),
    check_pattern: frozenset({"pattern"}),
    structure.check_property_count: frozenset({"minProperties", "maxProperties"}),
    structure.check_dependencies: frozenset(
        {"dependencies", "dependentRequired", "dependentSchemas"}
    ),
    structure.check_conditional: frozenset({"if", "then", "else"}),
    structure.check_property_names: frozenset({"propertyNames"}),
    structure.check_pattern_properties: frozenset({"patternProperties"}),
    structure.check_tuple_items: frozenset({"items", "prefixItems"}),
    structure.check_not: frozenset({"not"}),
    structure.check_discriminator: frozenset({"discriminator"}),
    check_other_keywords: frozenset(GENERIC_KEYWORDS),
}


def _readers() -> dict[str, frozenset[NodeCheck]]:
    """Return, per keyword, the checks that read it."""
    readers: dict[str, set[NodeCheck]] = {}
    for check, keywords in CHECK_KEYWORDS.items():
        for keyword in keywords:
            readers.setdefault(keyword, set()).add(check)
    return {keyword: frozenset(checks) for keyword, checks in readers.items()}


# The checks that run at every position, and per keyword the checks that read it.
_ALWAYS = frozenset(check for check in NODE_CHECKS if check not in CHECK_KEYWORDS)
_READERS = _readers()


# Positions have few keyword combinations, so the cache stays small.
@functools.lru_cache(maxsize=1024)
def _checks_for(present: frozenset[str]) -> tuple[NodeCheck, ...]:
    selected = set(_ALWAYS)
    for keyword in present:
        selected |= _READERS.get(keyword, frozenset())
    return tuple(check for check in NODE_CHECKS if check in selected)


def checks_for(present: AbstractSet[str]) -> tuple[NodeCheck, ...]:
    """Return the checks, in `NODE_CHECKS` order, that may find a change at a position
    whose two sides have the `present` keywords: those that run everywhere, and those
    that read one of them."""
    return _checks_for(frozenset(present))


__all__ = [
    "CHECK_KEYWORDS",
    "NODE_CHECKS",
    "checks_for",
    "describe_types",
    "json_type",
    "shares",
]
