"""Parse registry URIs: `eventbridge:NAME` and `dir:PATH`."""

from __future__ import annotations

from pathlib import Path

from schemagate.errors import InputError
from schemagate.registry.base import Registry

SCHEMES = ("eventbridge", "dir")


def parse_registry_uri(uri: str) -> tuple[str, str]:
    """Split a registry URI into its scheme and value, rejecting unknown schemes."""
    scheme, sep, value = uri.partition(":")
    if not sep or scheme not in SCHEMES or not value:
        raise InputError(
            f"invalid registry {uri!r}; use eventbridge:REGISTRY_NAME or dir:SNAPSHOT_FOLDER"
        )
    return scheme, value


def open_registry(uri: str, base: Path | None = None) -> Registry:
    """Open the registry a URI names; relative `dir:` paths resolve against `base`."""
    scheme, value = parse_registry_uri(uri)
    if scheme == "dir":
        from schemagate.registry.snapshot import SnapshotRegistry

        path = Path(value)
        if base is not None and not path.is_absolute():
            path = base / path
        return SnapshotRegistry(path)
    from schemagate.registry.eventbridge import EventBridgeRegistry

    return EventBridgeRegistry(value)
