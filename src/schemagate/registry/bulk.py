"""Read many versions at once from any registry: concurrently where it supports that."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable

from schemagate.errors import RegistryError
from schemagate.registry.base import Registry, SchemaVersion

Progress = Callable[[int], None]


@runtime_checkable
class BulkReader(Protocol):
    """A registry that reads many versions in one call, as CachedEventBridgeRegistry does."""

    def fetch(
        self,
        names: Iterable[str] | None = None,
        all_versions: bool = True,
        progress: Progress | None = None,
    ) -> dict[str, list[SchemaVersion]]: ...


def fetch_versions(
    registry: Registry,
    names: Iterable[str] | None = None,
    all_versions: bool = True,
    progress: Progress | None = None,
) -> dict[str, list[SchemaVersion]]:
    """Return the latest or every version of each named schema that exists (default: all)."""
    if isinstance(registry, BulkReader):
        return registry.fetch(names, all_versions, progress)
    listed = [summary.name for summary in registry.list_schemas()]
    wanted = sorted(listed if names is None else set(names) & set(listed))
    result: dict[str, list[SchemaVersion]] = {}
    for name in wanted:
        numbers = registry.list_versions(name) if all_versions else [None]
        for number in numbers:
            found = registry.get_version(name, number)
            if found is None:
                raise RegistryError(
                    registry.uri,
                    "read",
                    f"version {number} of schema {name!r} disappeared while reading; run again",
                )
            result.setdefault(name, []).append(found)
        if progress is not None:
            progress(len(numbers))
    return result


def count_versions(registry: Registry, names: Iterable[str] | None = None) -> int:
    """Count the versions `fetch_versions` would read, from the listing alone."""
    summaries = registry.list_schemas()
    wanted = None if names is None else set(names)
    return sum(s.version_count for s in summaries if wanted is None or s.name in wanted)
