"""Object comparison: declared properties by name, `required`, and the members that
only `additionalProperties` or `patternProperties` govern, under each policy.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from schemagate.diff.changes import Change, Deferred, PathToken
from schemagate.diff.examples import Unbuildable
from schemagate.diff.shape import Conj, Loc, Shape
from schemagate.modes import Direction, Policy

if TYPE_CHECKING:
    from schemagate.diff.engine import Side, Walk

Path = tuple[PathToken, ...]
# Name used for object members that only `additionalProperties` governs.
EXTRA_MEMBER = "extraMember"


def compare_objects(walk: Walk, old: Shape, new: Shape, path: Path) -> None:
    # A name listed in `required` is declared even without a `properties` entry: a
    # producer must send it, with any value the catch-all schema allows.
    old_names = old.properties.keys() | old.required
    new_names = new.properties.keys() | new.required
    for name in sorted(old_names & new_names):
        # A member with the same text on both sides, whose references lead to the same
        # text, is skipped before its conjunctions are built. Most members are so.
        old_locs = old.properties.get(name)
        new_locs = new.properties.get(name)
        if old_locs and new_locs and walk.unchanged(old_locs, new_locs):
            continue
        walk.compare(
            _member(walk, walk.old, old, name),
            _member(walk, walk.new, new, name),
            (*path, name),
        )
    removed = sorted(old.properties.keys() - new_names)
    added = sorted(new.properties.keys() - old_names)
    _report_membership(walk, old, new, path, removed, added)
    _compare_required(walk, old, new, path)
    _compare_additional(walk, old, new, path)


def _member(walk: Walk, side: Side, shape: Shape, name: str) -> Conj:
    if name in shape.properties:
        return side.examples.conj(shape.properties[name])
    return _catch_all(walk, side, shape, name)


def _report_membership(
    walk: Walk,
    old: Shape,
    new: Shape,
    path: Path,
    removed: list[str],
    added: list[str],
) -> None:
    strict = walk.policy is Policy.STRICT
    for name in removed:
        pointer = old.properties[name][0][0]
        walk.changes.append(
            Change(
                "property-removed", f"property {name!r} removed", pointer, None, path=(*path, name)
            )
        )
        if strict:
            walk.compare(
                walk.old.examples.conj(old.properties[name]),
                _catch_all(walk, walk.new, new, name),
                (*path, name),
            )
        elif typed := walk.new.examples.member(new, name):
            # A tolerant reader still checks members a typed map or pattern covers.
            walk.compare(walk.old.examples.conj(old.properties[name]), typed, (*path, name))
    for name in added:
        pointer = new.properties[name][0][0]
        walk.changes.append(
            Change("property-added", f"property {name!r} added", None, pointer, path=(*path, name))
        )
        if strict:
            walk.compare(
                _catch_all(walk, walk.old, old, name),
                walk.new.examples.conj(new.properties[name]),
                (*path, name),
            )
        elif typed := walk.old.examples.member(old, name):
            walk.compare(typed, walk.new.examples.conj(new.properties[name]), (*path, name))
    _report_renames(walk, old, new, path, removed, added)


def _catch_all(walk: Walk, side: Side, shape: Shape, name: str) -> Conj:
    """Return what an object of `shape` accepts under a name it does not declare."""
    member = side.examples.member(shape, name)
    if member:
        return member
    if shape.closed and walk.policy is Policy.STRICT:
        # The `additionalProperties` or `unevaluatedProperties` that closes the object.
        closing = next((loc for loc in shape.additional if loc[1] is False), None)
        return (closing or (f"{shape.pointer}/additionalProperties", False),)
    return ((shape.pointer, True),)


def _report_renames(
    walk: Walk,
    old: Shape,
    new: Shape,
    path: Path,
    removed: list[str],
    added: list[str],
) -> None:
    if not removed:
        return
    # Each optional added member's text, computed once for every removed one.
    candidates = {
        name: _canonical(walk.new, new.properties[name])
        for name in added
        if name not in new.required
    }
    for gone in removed:
        if gone in old.required or not candidates:
            continue
        gone_schema = _canonical(walk.old, old.properties[gone])
        for name, schema in candidates.items():
            if schema != gone_schema:
                continue
            walk.changes.append(
                Change(
                    "property-possibly-renamed",
                    f"optional property {gone!r} removed and {name!r} added with the same schema; "
                    "a consumer reading the old name loses its data",
                    old.properties[gone][0][0],
                    new.properties[name][0][0],
                    path=(*path, gone),
                )
            )


def _canonical(side: Side, locs: list[Loc]) -> str:

    conj = side.examples.conj(locs)
    return json.dumps([schema for _, schema in conj], sort_keys=True, default=str)


def _compare_required(walk: Walk, old: Shape, new: Shape, path: Path) -> None:
    for name in sorted(new.required - old.required):
        candidates = _without_member((walk.new, new), (walk.old, old), name=name)
        walk.changes.append(
            Change(
                "required-property-added",
                f"property {name!r} became required",
                old.pointer,
                new.pointer,
                path=path,
                suspects=frozenset({Direction.BACKWARD}),
                backward=candidates,
            )
        )
    for name in sorted(old.required - new.required):
        candidates = _without_member((walk.old, old), (walk.new, new), name=name)
        walk.changes.append(
            Change(
                "required-property-removed",
                f"property {name!r} is no longer required",
                old.pointer,
                new.pointer,
                path=path,
                suspects=frozenset({Direction.FORWARD}),
                forward=candidates,
            )
        )


def _without_member(*sides: tuple[Side, Shape], name: str) -> Deferred:
    """Return each side's example object without member `name`, once each, built when
    the prover requests them.

    The side that requires `name` comes first: its example has every other member it
    requires, so the event lacks `name` alone.
    """

    def build() -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for side, shape in sides:
            try:
                instance = side.examples.example(shape.locs, only_type="object")
            except Unbuildable:
                instance = {}
            candidate = (
                {k: v for k, v in instance.items() if k != name}
                if isinstance(instance, dict)
                else {}
            )
            # `repr` distinguishes 1 from True, which `==` does not.
            key = repr(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate

    return Deferred(build())


def _compare_additional(walk: Walk, old: Shape, new: Shape, path: Path) -> None:
    old_maps = [loc for loc in old.additional if isinstance(loc[1], dict)]
    new_maps = [loc for loc in new.additional if isinstance(loc[1], dict)]
    name = _fresh_member(old, new)
    if walk.policy is Policy.TOLERANT:
        if old_maps and new_maps:
            walk.compare(
                walk.old.examples.conj(old_maps),
                walk.new.examples.conj(new_maps),
                (*path, name),
            )
        return
    if _open_to_anything(old) and _open_to_anything(new):
        # Both sides accept any undeclared member, so there is nothing to compare.
        return
    scratch = walk.scratch()
    member = (*path, name)
    scratch.compare(
        _catch_all(walk, walk.old, old, name),
        _catch_all(walk, walk.new, new, name),
        member,
    )
    walk.seen |= scratch.seen
    for change in scratch.changes:
        rule = _ADDITIONAL_RULES.get(change.rule) if change.path == member else None
        walk.changes.append(dataclasses.replace(change, rule=rule) if rule else change)


def _open_to_anything(shape: Shape) -> bool:
    """Tell whether an object of `shape` accepts any value under an undeclared name:
    no `additionalProperties`, `unevaluatedProperties` or `patternProperties`."""
    return not shape.additional and "patternProperties" not in shape.keywords


# A type change of the member no declared property covers is a change of
# `additionalProperties` itself, reported under that family's rule IDs.
_ADDITIONAL_RULES = {
    "type-narrowed": "additional-properties-narrowed",
    "type-widened": "additional-properties-widened",
}


def _fresh_member(old: Shape, new: Shape) -> str:
    name = EXTRA_MEMBER
    while name in old.properties or name in new.properties:
        name += "_"
    return name
