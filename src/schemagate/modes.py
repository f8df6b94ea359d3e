"""Compatibility modes and policies."""

from __future__ import annotations

import enum

from schemagate.errors import InputError


class Direction(enum.StrEnum):
    """Directions in which a change breaks readers.

    BACKWARD breaks mean an event valid under the old schema is rejected by the new one;
    FORWARD breaks mean an event valid under the new schema is rejected by the old one.
    """

    BACKWARD = "backward"
    FORWARD = "forward"


class Mode(enum.StrEnum):
    BACKWARD = "backward"
    FORWARD = "forward"
    FULL = "full"
    BACKWARD_TRANSITIVE = "backward-transitive"
    FORWARD_TRANSITIVE = "forward-transitive"
    FULL_TRANSITIVE = "full-transitive"
    NONE = "none"

    @property
    def directions(self) -> frozenset[Direction]:
        return _DIRECTIONS[self]

    @property
    def transitive(self) -> bool:
        return self.value.endswith("-transitive")


def _directions(mode: Mode) -> frozenset[Direction]:
    base = mode.value.removesuffix("-transitive")
    if base == "backward":
        return frozenset({Direction.BACKWARD})
    if base == "forward":
        return frozenset({Direction.FORWARD})
    if base == "full":
        return frozenset({Direction.BACKWARD, Direction.FORWARD})
    return frozenset()


# The engine reads a mode's directions for every change it reports.
_DIRECTIONS = {mode: _directions(mode) for mode in Mode}


class Policy(enum.StrEnum):
    """How object content outside the declared properties is treated.

    TOLERANT: producers send only declared properties and readers ignore undeclared
    ones, whatever `additionalProperties` specifies (a typed map is still compared).
    STRICT: exact set semantics over every instance each schema accepts.
    """

    TOLERANT = "tolerant"
    STRICT = "strict"


def parse_mode(value: str) -> Mode:
    """Parse a mode name case-insensitively, accepting `_` for `-`."""
    normal = value.strip().lower().replace("_", "-")
    try:
        return Mode(normal)
    except ValueError:
        choices = ", ".join(m.value for m in Mode)
        raise InputError(f"invalid mode {value!r}; use one of: {choices}") from None
