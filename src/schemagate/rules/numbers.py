"""Keyword checks for numbers: the range set by `minimum`/`maximum` and their exclusive
forms (booleans in draft 4 and OpenAPI 3.0, numbers from draft 6), and `multipleOf`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

from schemagate.diff.changes import Change
from schemagate.diff.shape import Shape, effective_types
from schemagate.rules.common import range_change, shares, suspects

if TYPE_CHECKING:
    from schemagate.diff.engine import Side


def check_number_range(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if not shares(old, new, "integer"):
        return
    old_range = _interval(old_side, old)
    new_range = _interval(new_side, new)
    if old_range == new_range:
        return
    integral = not (_has_fractions(old) and _has_fractions(new))
    backward = _points_outside(old_range, new_range, integral)
    forward = _points_outside(new_range, old_range, integral)
    message = f"number range {_show(old_range)} became {_show(new_range)}"
    yield range_change("number-range", message, old, new, backward, forward)


Interval = tuple[float, bool, float, bool]


def _interval(side: Side, shape: Shape) -> Interval:
    low, low_open, high, high_open = -float("inf"), False, float("inf"), False
    boolean = side.resolver.document.dialect.boolean_exclusive_bounds
    for _, schema in shape.locs:
        if not isinstance(schema, dict):
            continue
        bounds = _schema_bounds(schema, boolean)
        if bounds[0] > low or (bounds[0] == low and bounds[1]):
            low, low_open = bounds[0], bounds[1]
        if bounds[2] < high or (bounds[2] == high and bounds[3]):
            high, high_open = bounds[2], bounds[3]
    return low, low_open, high, high_open


def _schema_bounds(schema: dict[str, Any], boolean: bool) -> Interval:
    low, low_open, high, high_open = -float("inf"), False, float("inf"), False
    if _is_number(schema.get("minimum")):
        low = schema["minimum"]
        low_open = boolean and schema.get("exclusiveMinimum") is True
    if _is_number(schema.get("maximum")):
        high = schema["maximum"]
        high_open = boolean and schema.get("exclusiveMaximum") is True
    if not boolean:
        exclusive_low = schema.get("exclusiveMinimum")
        # Bounds keep their own type: a float cannot hold every integer past 2**53.
        if _is_number(exclusive_low) and exclusive_low >= low:
            low, low_open = exclusive_low, True
        exclusive_high = schema.get("exclusiveMaximum")
        if _is_number(exclusive_high) and exclusive_high <= high:
            high, high_open = exclusive_high, True
    return low, low_open, high, high_open


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _inside(value: float, interval: Interval) -> bool:
    low, low_open, high, high_open = interval
    above = value > low if low_open else value >= low
    below = value < high if high_open else value <= high
    return above and below


def _points_outside(source: Interval, target: Interval, integral: bool) -> list[int | float]:
    anchors = [b for b in (source[0], source[2], target[0], target[2]) if abs(b) != float("inf")]
    offsets = (0, 1, -1) if integral else (0, 1, -1, 0.5, -0.5)
    points: list[int | float] = []
    for anchor in anchors or [0]:
        if isinstance(anchor, float) and anchor.is_integer() and integral:
            # Integer arithmetic stays exact where a float's step exceeds 1.
            anchor = int(anchor)
        values: list[int | float] = [anchor + offset for offset in offsets]
        if integral and isinstance(anchor, float) and math.isfinite(anchor):
            # Integers next to a fractional bound: 5 and 6 for 5.5.
            values += [math.floor(anchor) + offset for offset in (0, 1, -1)]
        if isinstance(anchor, float):
            # Past 2**53 a float step exceeds 1, so the neighbouring floats are the
            # nearest values outside a bound.
            values += [math.nextafter(anchor, math.inf), math.nextafter(anchor, -math.inf)]
        for value in values:
            if integral:
                if not float(value).is_integer():
                    continue
                value = int(value)
            if value in points:
                continue
            if _inside(value, source) and not _inside(value, target):
                points.append(value)
    return points[:4]


def _has_fractions(shape: Shape) -> bool:
    types = effective_types(shape)
    return types is None or "number" in types


def _number(value: float) -> str:
    """Write a bound briefly, in full where the short form would hide a difference."""
    if isinstance(value, int):
        return str(value)
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _show(interval: Interval) -> str:
    low = "-inf" if interval[0] == -float("inf") else _number(interval[0])
    high = "inf" if interval[2] == float("inf") else _number(interval[2])
    return f"{'(' if interval[1] else '['}{low}, {high}{')' if interval[3] else ']'}"


def check_multiple_of(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    old_steps = sorted(v for v in old.all("multipleOf") if _is_number(v))
    new_steps = sorted(v for v in new.all("multipleOf") if _is_number(v))
    if old_steps == new_steps or not shares(old, new, "integer"):
        return
    # NOTE: steps are compared with exact arithmetic. jsonschema divides floats, so it
    # accepts 1.7000000000000002 under 0.1 and rejects it under 0.01, which is not found.
    backward = _multiples(old_steps, new_steps, _has_fractions(old), _interval(old_side, old))
    forward = _multiples(new_steps, old_steps, _has_fractions(new), _interval(new_side, new))
    yield Change(
        "multiple-of-changed",
        f"multipleOf {old_steps or 'none'} became {new_steps or 'none'}",
        old.where("multipleOf"),
        new.where("multipleOf"),
        suspects=suspects(bool(backward), bool(forward)),
        backward=tuple(backward),
        forward=tuple(forward),
    )


def _multiples(
    source: list[float], target: list[float], fractional: bool, interval: Interval
) -> list[float]:
    """Return up to three values allowed by the `source` steps that a `target` step
    rejects, those in the source's range first."""
    step = source[-1] if source else 1
    values: list[float] = [step * k for k in range(1, 7)]
    # Multiples at each finite bound of the range, so a minimum of 10 still leaves some.
    for bound, sign in ((interval[0], 1), (interval[2], -1)):
        if math.isfinite(bound) and abs(bound) < 2**53:
            start = (math.ceil if sign > 0 else math.floor)(bound / step) * step
            values += [start + sign * step * k for k in range(6)]
    if not source:
        values += [0.5, 1.5]
        if fractional:
            # Every integer is a multiple of a step such as 0.25, so only a smaller
            # fraction lies off its grid.
            values += [t / d for t in target for d in (2, 3)]
    off_grid = [v for v in values if any(_not_multiple(v, t) for t in target)]
    # Values in the range can prove a break, and the others still mark it suspect.
    return sorted(off_grid, key=lambda v: not _inside(v, interval))[:3]


def _not_multiple(value: float, step: float) -> bool:
    if isinstance(value, int) and isinstance(step, int):
        # Exact for integers past 2**53, where a float quotient rounds to a whole number.
        return value % step != 0
    quotient = value / step
    return abs(quotient - round(quotient)) > 1e-9
