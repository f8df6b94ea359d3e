"""Registries that hold registered schema versions: EventBridge and folder snapshots."""

from schemagate.registry.base import Registry, SchemaVersion, sort_versions
from schemagate.registry.uri import open_registry

__all__ = ["Registry", "SchemaVersion", "open_registry", "sort_versions"]
