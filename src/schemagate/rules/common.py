"""Helpers shared by the keyword checks."""

from __future__ import annotations

from typing import Any

from schemagate.diff.changes import Change
from schemagate.diff.shape import Shape, effective_types
from schemagate.modes import Direction

ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
BACKWARD, FORWARD = Direction.BACKWARD, Direction.FORWARD


def suspects(backward: bool, forward: bool) -> frozenset[Direction]:
    """Return the directions a change may break, from one flag per direction."""
    found = set()
    if backward:
        found.add(BACKWARD)
    if forward:
        found.add(FORWARD)
    return frozenset(found)


def shares(old: Shape, new: Shape, type_name: str) -> bool:
    """Tell whether both positions may hold a value of `type_name`."""
    old_types = effective_types(old)
    new_types = effective_types(new)
    names = {type_name, "number"} if type_name == "integer" else {type_name}
    in_old = old_types is None or bool(old_types & names)
    in_new = new_types is None or bool(new_types & names)
    return in_old and in_new


def range_change(
    family: str, message: str, old: Shape, new: Shape, backward: list[Any], forward: list[Any]
) -> Change:
    """Build a `FAMILY-narrowed` change when old values fall outside, else `-widened`."""
    rule = f"{family}-narrowed" if backward else f"{family}-widened"
    return Change(
        rule,
        message,
        old.pointer,
        new.pointer,
        suspects=suspects(bool(backward), bool(forward)),
        backward=tuple(backward),
        forward=tuple(forward),
    )
