"""Parse registry URIs: `eventbridge:NAME` and `dir:PATH`."""

from __future__ import annotations

from pathlib import Path

from schemagate.errors import InputError
from schemagate.registry.base import Registry

SCHEMES = ("eventbridge", "dir")
# Concurrent requests to an EventBridge registry. boto3's default pool keeps 10 connections.
DEFAULT_JOBS = 8


def parse_registry_uri(uri: str) -> tuple[str, str]:
    """Split a registry URI into its scheme and value, rejecting unknown schemes."""
    scheme, sep, value = uri.partition(":")
    if not sep or scheme not in SCHEMES or not value:
        raise InputError(
            f"invalid registry {uri!r}; use eventbridge:REGISTRY_NAME or dir:SNAPSHOT_FOLDER"
        )
    return scheme, value


def open_registry(
    uri: str,
    base: Path | None = None,
    cache_root: Path | None = None,
    use_cache: bool = True,
    jobs: int = DEFAULT_JOBS,
) -> Registry:
    """Open the registry a URI names; relative `dir:` paths resolve against `base`.

    `cache_root`, `use_cache` and `jobs` apply to `eventbridge:` registries: where
    immutable versions are cached (default: the platform cache folder) and how many
    requests run at once.
    """
    scheme, value = parse_registry_uri(uri)
    if scheme == "dir":
        from schemagate.registry.snapshot import SnapshotRegistry

        path = Path(value)
        if base is not None and not path.is_absolute():
            path = base / path
        return SnapshotRegistry(path)
    from schemagate.registry.cached import CachedEventBridgeRegistry
    from schemagate.registry.eventbridge import EventBridgeRegistry

    remote = EventBridgeRegistry(value, pool_size=max(jobs, 10))
    return CachedEventBridgeRegistry(remote, cache_root, use_cache, jobs)
