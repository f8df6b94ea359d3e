"""Changes the keyword checks report, before the engine proves them with witnesses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemagate.modes import Direction

PathToken = str | int


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new schema at one place.

    `backward` holds candidate values, at `path` inside an event, that the old schema
    may accept and the new one reject; `forward` the reverse. A direction listed in
    `suspects` with no candidate that proves it becomes an `unproven` finding, unless
    the change is a `probe`: a speculative check reported only when a witness proves it.
    """

    rule: str
    message: str
    old_pointer: str | None
    new_pointer: str | None
    path: tuple[PathToken, ...] = ()
    suspects: frozenset[Direction] = frozenset()
    backward: tuple[Any, ...] = ()
    forward: tuple[Any, ...] = ()
    whole_event: bool = field(default=False)
    probe: bool = False

    def candidates(self, direction: Direction) -> tuple[Any, ...]:
        return self.backward if direction is Direction.BACKWARD else self.forward
