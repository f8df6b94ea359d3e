"""`oneOf` exclusivity: an instance matching two branches of a `oneOf` is rejected.

Pairing union branches by meaning shows that each old alternative is accepted by some
new branch, but under `oneOf` it must be accepted by exactly one. Where the new
branches may overlap and the union changed, the engine proposes instances of each old
alternative as witnesses. The prover decides, and a change it cannot prove either way
stays `unproven` rather than compatible.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from schemagate.diff.changes import Change
from schemagate.diff.shape import Conj, Shape, build_shape, effective_types
from schemagate.modes import Direction
from schemagate.resolve.keywords import ANNOTATIONS, walk_nodes

if TYPE_CHECKING:
    from schemagate.diff.engine import Side

# Instances of each alternative tried as witnesses of an overlap.
CANDIDATES_PER_ALTERNATIVE = 4


def exclusivity_change(
    source: Side,
    target: Side,
    source_shape: Shape,
    target_shape: Shape,
    source_alts: list[Conj],
    direction: Direction,
) -> Change | None:
    """Return a change when `target`'s `oneOf` may accept a `source` instance twice."""
    pointer = _overlapping_one_of(target, target_shape)
    if pointer is None or _same_unions(source, target, source_shape, target_shape):
        return None
    candidates = tuple(_instances(source, source_alts))
    backward = direction is Direction.BACKWARD
    return Change(
        "one-of-overlap",
        "an instance may match more than one branch of this oneOf, which rejects it",
        source_shape.pointer if backward else pointer,
        pointer if backward else source_shape.pointer,
        suspects=frozenset({direction}),
        backward=candidates if backward else (),
        forward=() if backward else candidates,
    )


def _overlapping_one_of(side: Side, shape: Shape) -> str | None:
    """Return the pointer of a `oneOf` whose branches may share an instance."""
    for pointer, branches in shape.unions:
        if not pointer.endswith("/oneOf") or len(branches) < 2:
            continue
        types = [
            effective_types(build_shape(side.resolver, side.examples.conj([branch])))
            for branch in branches
        ]
        for left, right in itertools.combinations(types, 2):
            if left is None or right is None or left & right:
                return pointer
    return None


def _same_unions(source: Side, target: Side, left: Shape, right: Shape) -> bool:
    return _canonical_unions(source, left) == _canonical_unions(target, right)


def _canonical_unions(side: Side, shape: Shape) -> list[tuple[str, list[str]]]:
    canonical = []
    for pointer, branches in shape.unions:
        keyword = pointer.rsplit("/", 1)[-1]
        texts = sorted(_canonical(side, [branch]) for branch in branches)
        canonical.append((keyword, texts))
    return sorted(canonical)


def _canonical(side: Side, locs: list[Any]) -> str:
    """Return a branch's text without annotations, which a reworded description changes."""
    conj = side.examples.conj(locs)
    schemas = json.loads(json.dumps([schema for _, schema in conj], default=str))
    for schema in schemas:
        for node in walk_nodes(schema):
            for key in [k for k in node if k in ANNOTATIONS or k.startswith("x-")]:
                del node[key]
    return json.dumps(schemas, sort_keys=True)


def _instances(side: Side, alternatives: list[Conj]) -> Iterator[Any]:
    for alternative in alternatives:
        found = 0
        for value in side.examples.candidates(alternative):
            if found >= CANDIDATES_PER_ALTERNATIVE:
                break
            if side.examples.valid(alternative, value):
                found += 1
                yield value
