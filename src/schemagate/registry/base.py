"""The registry protocol that the gate, `pull` and `publish` are written against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

SCHEMA_TYPES = ("OpenApi3", "JSONSchemaDraft4")


@dataclass(frozen=True)
class SchemaVersion:
    """One registered version of a schema, as `DescribeSchema` returns it."""

    name: str
    version: str
    type: str
    content: str
    created: str | None = None
    description: str | None = None

    @property
    def number(self) -> int:
        return int(self.version)


@dataclass(frozen=True)
class SchemaSummary:
    """One row of `ListSchemas`: enough to tell whether a cached copy is current."""

    name: str
    version_count: int
    last_modified: str | None = None


def sort_versions(versions: Iterable[str]) -> list[str]:
    """Sort registry version strings as integers, so "10" comes after "9"."""
    return sorted(versions, key=int)


@runtime_checkable
class Registry(Protocol):
    """Read access to a schema registry; versions are immutable once registered."""

    @property
    def uri(self) -> str: ...

    def list_schemas(self) -> list[SchemaSummary]:
        """List every schema in the registry, sorted by name."""
        ...

    def list_versions(self, name: str) -> list[str]:
        """List the version strings of one schema, sorted as integers."""
        ...

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        """Return one version (the latest when `version` is None), or None if absent."""
        ...


@runtime_checkable
class WritableRegistry(Registry, Protocol):
    """A registry that `publish` can write to."""

    def create_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        """Register a new schema; raises ConflictError when the name already exists."""
        ...

    def update_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        """Register a new version of an existing schema and return it."""
        ...
