"""Findings and results: the data every reporter renders."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from schemagate.modes import Direction, Mode, Policy
from schemagate.rules.catalogue import Severity

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Witness:
    """An event that one side's reader accepts and the other side's reader rejects."""

    direction: Direction
    instance: Any

    def to_json(self) -> dict[str, Any]:
        return {"direction": self.direction.value, "instance": self.instance}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    breaks: frozenset[Direction]
    old_pointer: str | None
    new_pointer: str | None
    message: str
    witnesses: tuple[Witness, ...] = ()
    path: tuple[str | int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "breaks": sorted(d.value for d in self.breaks),
            "old_pointer": _pointer(self.old_pointer),
            "new_pointer": _pointer(self.new_pointer),
            "message": self.message,
            "witnesses": [w.to_json() for w in self.witnesses],
        }


def _pointer(pointer: str | None) -> str | None:
    """Render `#/a/b` as the JSON pointer `/a/b`, and `#` as the empty pointer."""
    if pointer is None:
        return None
    return pointer[1:] if pointer.startswith("#") else pointer


@dataclass(frozen=True)
class DiffResult:
    compatible: bool
    mode: Mode
    policy: Policy
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "compatible": self.compatible,
            "mode": self.mode.value,
            "policy": self.policy.value,
            "findings": [f.to_json() for f in self.findings],
        }


class Status(enum.StrEnum):
    COMPATIBLE = "compatible"
    UNCHANGED = "unchanged"
    BREAKING = "breaking"
    UNREGISTERED = "unregistered"


@dataclass(frozen=True)
class SchemaResult:
    """The gate's verdict on one local schema."""

    name: str
    path: str
    status: Status
    registered_version: str | None
    findings: list[Finding] = field(default_factory=list)
    compared_versions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in (Status.COMPATIBLE, Status.UNCHANGED)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "status": self.status.value,
            "registered_version": self.registered_version,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class CheckResult:
    registry: str
    mode: Mode
    policy: Policy
    schemas: list[SchemaResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.schemas)

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "ok": self.ok,
            "registry": self.registry,
            "mode": self.mode.value,
            "policy": self.policy.value,
            "schemas": [s.to_json() for s in self.schemas],
        }
