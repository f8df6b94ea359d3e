"""Changes the keyword checks report, before the engine proves them with witnesses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from schemagate.modes import Direction

PathToken = str | int


class Deferred:
    """Candidate values built one at a time as they are asked for, and kept.

    Checks suggest candidates for every change they find, but only the changes that
    reach the prover use them, and the prover stops at the first that proves a break.
    Comparisons that only count changes, as when union branches are matched, never
    build any.
    """

    __slots__ = ("_built", "_source")

    def __init__(self, source: Iterable[Any]) -> None:
        self._source: Iterator[Any] | None = iter(source)
        self._built: list[Any] = []

    def __iter__(self) -> Iterator[Any]:
        index = 0
        while True:
            if index < len(self._built):
                yield self._built[index]
                index += 1
                continue
            if self._source is None:
                return
            try:
                value = next(self._source)
            except StopIteration:
                self._source = None
                return
            self._built.append(value)


Candidates = tuple[Any, ...] | Deferred


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new schema at one place.

    `backward` holds candidate values, at `path` inside an event, that the old schema
    may accept and the new one reject, and `forward` the reverse. Either may be Deferred.
    A direction listed in `suspects` with no candidate that proves it becomes an
    `unproven` finding, unless the change is a `probe`: a speculative check reported
    only when a witness proves it.
    """

    rule: str
    message: str
    old_pointer: str | None
    new_pointer: str | None
    path: tuple[PathToken, ...] = ()
    suspects: frozenset[Direction] = frozenset()
    backward: Candidates = ()
    forward: Candidates = ()
    whole_event: bool = field(default=False)
    probe: bool = False
    # Changes that share a nonzero group explain one suspected break: once one of them
    # is proven in a direction, the others are not reported as unproven in it.
    group: int = 0
    # For a change found inside one union alternative: the length of the path to the
    # union and the alternative's schemas, so a witness is built through that branch.
    branch: tuple[int, Any] | None = None

    def candidates(self, direction: Direction) -> Iterable[Any]:
        return self.backward if direction is Direction.BACKWARD else self.forward
