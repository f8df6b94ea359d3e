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
    # Why the finding does not count against the gate (an accepted change, an allow
    # label, --allow-new), or None when it counts at its severity.
    accepted: str | None = None

    @property
    def pointer(self) -> str:
        """The JSON pointer shown to users: into the new document when it has one."""
        return _pointer(self.new_pointer or self.old_pointer or "#") or ""

    def blocks(self, fail_on: Severity) -> bool:
        """True when this finding fails a gate that fails on `fail_on` and worse."""
        return self.accepted is None and self.severity.rank <= fail_on.rank

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "breaks": sorted(d.value for d in self.breaks),
            "old_pointer": _pointer(self.old_pointer),
            "new_pointer": _pointer(self.new_pointer),
            "message": self.message,
            "witnesses": [w.to_json() for w in self.witnesses],
        }
        if self.accepted is not None:
            data["accepted"] = self.accepted
        return data


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
            # The same verdict under the key a check report uses.
            "ok": self.compatible,
            "mode": self.mode.value,
            "policy": self.policy.value,
            "findings": [f.to_json() for f in self.findings],
        }


class Status(enum.StrEnum):
    COMPATIBLE = "compatible"
    UNCHANGED = "unchanged"
    BREAKING = "breaking"
    UNREGISTERED = "unregistered"
    # No previous version exists, and new schemas are allowed (--allow-new).
    NEW = "new"


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
        return self.status in (Status.COMPATIBLE, Status.UNCHANGED, Status.NEW)

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
    fail_on: Severity = Severity.ERROR
    # Why breaking findings were lowered to warnings for this run (a pull request
    # label, say), or None.
    allowed_breaking: str | None = None

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.schemas)

    @property
    def blocking_count(self) -> int:
        """The number of findings that fail the gate."""
        return sum(f.blocks(self.fail_on) for s in self.schemas for f in s.findings)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "ok": self.ok,
            "registry": self.registry,
            "mode": self.mode.value,
            "policy": self.policy.value,
            "fail_on": self.fail_on.value,
            "blocking_count": self.blocking_count,
            "schemas": [s.to_json() for s in self.schemas],
        }
        if self.allowed_breaking is not None:
            data["allowed_breaking"] = self.allowed_breaking
        return data
